package io.hulftark.agent.fast;

import io.hulftark.app.ConfigLoader;
import io.hulftark.cli.Cli;
import io.hulftark.ocf.OcfParameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code hulft-ark ocf monitor}, the OCF agent's only read-only action, as the launcher's JVM would run it (the
 * same {@link Cli}: OcfParameters, OcfAgent.monitor, messages, syslog, exit code). Pacemaker's per-call variables
 * (see {@link #passed}) are not part of the view: the launcher sends them in the request, and the check runs
 * with exactly those in place of any the agent has.
 */
public final class OcfMonitorCheck implements FastCheck {

    public static final String NAME = "ocf";
    static final String ACTION = "monitor";

    private final Supplier<Map<String, String>> env;
    private final Path cwd;

    public OcfMonitorCheck(Supplier<Map<String, String>> env, Path cwd) {
        this.env = env;
        this.cwd = cwd.toAbsolutePath();
    }

    /**
     * What the JVM's {@code ocf} command reads from the environment beyond the view: the resource's parameters
     * and Pacemaker's meta values (OCF_RESKEY_*), the resource's name and Pacemaker's debug switch. The client
     * (hulft-ark-fast) sends these names and no others: one contract, change both.
     */
    public static boolean passed(String name) {
        return name.startsWith("OCF_RESKEY_") || name.equals("OCF_RESOURCE_INSTANCE") || name.equals("HA_debug");
    }

    @Override
    public Optional<String> refuse(List<String> args, Path clientCwd) {
        return refuse(args, Map.of(), clientCwd);
    }

    @Override
    public Optional<String> refuse(List<String> args, Map<String, String> callEnv, Path clientCwd) {
        // start, stop, validate-all, reload change or may change things: only the JVM runs them.
        if (!args.equals(List.of(ACTION))) {
            return Optional.of("only the OCF action monitor is answered by the agent");
        }
        for (Map.Entry<String, String> e : callEnv.entrySet()) {
            if (!passed(e.getKey())) {
                return Optional.of("setenv " + e.getKey() + " is not an OCF variable the monitor reads");
            }
            // Bytes that are not UTF-8 reach the agent changed: the JVM would read another value.
            if (e.getValue().indexOf('\uFFFD') >= 0 || e.getKey().indexOf('\uFFFD') >= 0) {
                return Optional.of("setenv " + e.getKey() + " is not UTF-8");
            }
        }
        if (!clientCwd.toAbsolutePath().normalize().equals(cwd.normalize())) {
            try {
                Map<String, String> merged = merged(callEnv);
                List<String> relative = LifeKeeperCheck.relativePaths(ConfigLoader.load(merged), merged);
                if (!relative.isEmpty()) {
                    return Optional.of("relative path in " + relative.get(0) + " read from another working folder");
                }
            } catch (RuntimeException e) {
                // A configuration error: the ocf command reports it the same way here as in the JVM.
            }
        }
        return Optional.empty();
    }

    @Override
    public Duration bound(List<String> args) {
        return bound(args, Map.of());
    }

    /** Pacemaker's operation timeout (the action's bound, less the answer margin) and the kit's watchdog grace. */
    @Override
    public Duration bound(List<String> args, Map<String, String> callEnv) {
        if (OcfParameters.read(merged(callEnv)) instanceof OcfParameters.Read.Good good) {
            return good.settings().actionTimeout().plus(LifeKeeperCheck.MARGIN);
        }
        return LifeKeeperCheck.MARGIN;  // a wrong parameter is said at once, here as in the JVM
    }

    @Override
    public int run(List<String> args, PrintWriter out, PrintWriter err) {
        return run(args, Map.of(), out, err);
    }

    @Override
    public int run(List<String> args, Map<String, String> callEnv, PrintWriter out, PrintWriter err) {
        return Cli.execute(new String[] {NAME, ACTION}, out, err, merged(callEnv));
    }

    /** The agent's environment without any OCF variable of its own, and the launcher's in their place. */
    Map<String, String> merged(Map<String, String> callEnv) {
        Map<String, String> m = new HashMap<>(env.get());
        m.keySet().removeIf(OcfMonitorCheck::passed);
        m.putAll(callEnv);
        return Map.copyOf(m);
    }
}
