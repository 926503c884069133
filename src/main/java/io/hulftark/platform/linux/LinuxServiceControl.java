package io.hulftark.platform.linux;

import io.hulftark.platform.CommandResult;
import io.hulftark.platform.CommandRunner;
import io.hulftark.platform.PlatformException;
import io.hulftark.platform.ServiceControl;
import io.hulftark.platform.ServiceState;
import io.hulftark.platform.StartType;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * systemd through {@code systemctl}, run from argument lists. A HULFT "service" is a systemd unit;
 * a name without a unit suffix gets {@code .service}.
 *
 * <p>{@code systemctl is-active} and {@code is-enabled} answer with one word on stdout and use the
 * exit code only to say "not active"/"not enabled", so the word decides here, not the exit code;
 * output that is not one of the known words is a failure (no bus, no permission, ...).
 */
public final class LinuxServiceControl implements ServiceControl {

    public static final String DEFAULT_SYSTEMCTL = "systemctl";

    private static final Set<String> UNIT_TYPES = Set.of("service", "socket", "device", "mount", "automount",
            "swap", "target", "path", "timer", "slice", "scope");

    /** systemd's own alphabet for unit names; anything else (a leading "-" too) never reaches systemctl. */
    private static final Pattern UNIT_NAME = Pattern.compile("[A-Za-z0-9:_.@\\\\][A-Za-z0-9:_.@\\\\-]*");

    private static final Map<String, ServiceState> ACTIVE_STATES = Map.of(
            "active", ServiceState.RUNNING,
            "failed", ServiceState.STOPPED,
            "activating", ServiceState.START_PENDING,
            // up but not settled: the kit waits for it as it waits for a start
            "reloading", ServiceState.START_PENDING,
            "refreshing", ServiceState.START_PENDING,
            "deactivating", ServiceState.STOP_PENDING,
            "maintenance", ServiceState.OTHER);

    private static final Map<String, StartType> ENABLED_STATES = Map.ofEntries(
            Map.entry("enabled", StartType.AUTO),
            Map.entry("enabled-runtime", StartType.AUTO),
            Map.entry("alias", StartType.AUTO),
            Map.entry("static", StartType.AUTO),
            Map.entry("indirect", StartType.AUTO),
            Map.entry("generated", StartType.AUTO),
            // "manual start" on systemd = not enabled: linked and transient units do not start at boot
            Map.entry("disabled", StartType.DEMAND),
            Map.entry("linked", StartType.DEMAND),
            Map.entry("linked-runtime", StartType.DEMAND),
            Map.entry("transient", StartType.DEMAND),
            Map.entry("masked", StartType.DISABLED),
            Map.entry("masked-runtime", StartType.DISABLED));

    private final CommandRunner runner;
    private final String systemctl;

    /** @param systemctl the program to run: a full path, or a name the OS resolves on PATH */
    public LinuxServiceControl(CommandRunner runner, String systemctl) {
        this.runner = Objects.requireNonNull(runner, "runner");
        if (systemctl == null || systemctl.isBlank()) {
            throw new IllegalArgumentException("systemctl must name a program");
        }
        this.systemctl = systemctl;
    }

    public LinuxServiceControl(CommandRunner runner) {
        this(runner, DEFAULT_SYSTEMCTL);
    }

    @Override
    public ServiceState state(String service, Duration bound) {
        String unit = unitName(service);
        long deadline = System.nanoTime() + bound.toNanos();
        CommandResult r = run(List.of("is-active", unit), bound);
        String word = word(r);
        ServiceState known = ACTIVE_STATES.get(word);
        if (known != null) {
            return known; // the common case: one command
        }
        if (!word.equals("inactive") && !word.equals("unknown")) {
            throw failure("is-active", unit, r);
        }
        // is-active says "inactive" for units that do not exist too: only then ask for the load state.
        CommandResult load = run(List.of("show", "-p", "LoadState", "--value", unit), left(deadline));
        String loadState = word(load);
        if (!load.ok() || loadState.isEmpty()) {
            throw failure("show -p LoadState", unit, load);
        }
        if (loadState.equals("not-found")) {
            return ServiceState.NOT_INSTALLED;
        }
        if (word.equals("unknown")) {
            throw new PlatformException("systemctl cannot tell the state of " + unit + " (is-active: unknown, LoadState: "
                    + loadState + ")");
        }
        return ServiceState.STOPPED;
    }

    @Override
    public StartType startType(String service, Duration bound) {
        String unit = unitName(service);
        CommandResult r = run(List.of("is-enabled", unit), bound);
        String word = word(r);
        StartType known = ENABLED_STATES.get(word);
        if (known != null) {
            return known;
        }
        if (word.equals("not-found")) {
            throw new PlatformException("systemd unit " + unit + " does not exist (systemctl is-enabled: not-found)");
        }
        throw failure("is-enabled", unit, r);
    }

    /** {@code systemctl disable UNIT}, never {@code --now}: remove must not stop the service here. */
    @Override
    public void setDemandStart(String service, Duration bound) {
        String unit = unitName(service);
        CommandResult r = run(List.of("disable", unit), bound);
        if (!r.ok()) {
            throw failure("disable", unit, r);
        }
    }

    /** The unit systemd knows {@code service} by: {@code .service} is added to a name without a unit suffix. */
    public static String unitName(String service) {
        String s = service == null ? "" : service.strip();
        if (!UNIT_NAME.matcher(s).matches()) {
            throw new PlatformException("not a valid systemd unit name: \"" + s + "\"");
        }
        int dot = s.lastIndexOf('.');
        boolean typed = dot > 0 && UNIT_TYPES.contains(s.substring(dot + 1));
        return typed ? s : s + ".service";
    }

    private CommandResult run(List<String> args, Duration bound) {
        List<String> argv = new java.util.ArrayList<>(args.size() + 1);
        argv.add(systemctl);
        argv.addAll(args);
        return runner.run(List.copyOf(argv), bound);
    }

    private static String word(CommandResult r) {
        if (r.timedOut() || r.failedToStart() != null) {
            return "";
        }
        return r.firstLine().toLowerCase(Locale.ROOT);
    }

    private PlatformException failure(String what, String unit, CommandResult r) {
        String why;
        if (r.timedOut()) {
            why = "timed out after " + r.elapsed().toMillis() + " ms";
        } else if (r.failedToStart() != null) {
            why = "could not run " + systemctl + ": " + r.failedToStart();
        } else {
            String line = r.firstLine();
            why = "code = " + r.exitCode() + (line.isEmpty() ? ", no output" : ": " + line);
        }
        return new PlatformException("systemctl " + what + " " + unit + " failed (" + why + ")");
    }

    private static Duration left(long deadline) {
        return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    }
}
