package io.hulftark.platform.command;

import io.hulftark.platform.CommandResult;
import io.hulftark.platform.CommandRunner;
import io.hulftark.platform.PlatformException;
import io.hulftark.platform.ServiceControl;
import io.hulftark.platform.ServiceState;
import io.hulftark.platform.StartType;

import java.time.Duration;
import java.util.List;

/**
 * Every service operation an external command from configuration, run from its argument list
 * with {@code {service}} replaced (never through a shell): for sites with their own tooling, and
 * for the simulated HULFT. {@code status} exits 0 running, 3 stopped, 4 not installed, anything
 * else: cannot tell; {@code start-type} prints auto, delayed-auto, demand or disabled.
 */
public final class CommandServiceControl implements ServiceControl {

    public static final String PLACEHOLDER = "{service}";

    private final CommandRunner runner;
    private final List<String> status;
    private final List<String> startType;
    private final List<String> setDemand;

    public CommandServiceControl(CommandRunner runner, List<String> status, List<String> startType,
                                 List<String> setDemand) {
        this.runner = runner;
        this.status = List.copyOf(status);
        this.startType = List.copyOf(startType);
        this.setDemand = List.copyOf(setDemand);
    }

    @Override
    public ServiceState state(String service, Duration bound) {
        CommandResult r = run("status", status, service, bound);
        return switch (r.exitCode()) {
            case 0 -> ServiceState.RUNNING;
            case 3 -> ServiceState.STOPPED;
            case 4 -> ServiceState.NOT_INSTALLED;
            default -> throw new PlatformException(describe("status", r));
        };
    }

    @Override
    public StartType startType(String service, Duration bound) {
        CommandResult r = run("start-type", startType, service, bound);
        if (r.exitCode() != 0) {
            throw new PlatformException(describe("start-type", r));
        }
        return StartType.parse(r.firstLine()).orElseThrow(() -> new PlatformException(
                "the start-type command printed \"" + r.firstLine() + "\", not auto, delayed-auto, demand or disabled"));
    }

    @Override
    public void setDemandStart(String service, Duration bound) {
        CommandResult r = run("set-demand", setDemand, service, bound);
        if (r.exitCode() != 0) {
            throw new PlatformException(describe("set-demand", r));
        }
    }

    /** The argument list with every {@code {service}} replaced; the service name stays one argument. */
    public static List<String> argv(List<String> template, String service) {
        return template.stream().map(a -> a.replace(PLACEHOLDER, service)).toList();
    }

    private CommandResult run(String what, List<String> template, String service, Duration bound) {
        if (template.isEmpty()) {
            throw new PlatformException("hulftark.command." + what + " is not configured");
        }
        CommandResult r = runner.run(argv(template, service), bound);
        if (r.timedOut() || r.failedToStart() != null) {
            throw new PlatformException(describe(what, r));
        }
        return r;
    }

    private static String describe(String what, CommandResult r) {
        if (r.timedOut()) {
            return "the " + what + " command did not answer within " + r.elapsed().toSeconds() + " s and was killed";
        }
        if (r.failedToStart() != null) {
            return "the " + what + " command could not be run: " + r.failedToStart();
        }
        String line = r.firstLine();
        return "the " + what + " command exited with " + r.exitCode() + (line.isEmpty() ? "" : ": " + line);
    }
}
