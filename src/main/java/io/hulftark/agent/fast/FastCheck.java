package io.hulftark.agent.fast;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One read-only check a launcher may have the agent run for it, by name (the server's allow-list). */
public interface FastCheck {

    /**
     * Why the agent must not answer these arguments (not read-only, or they would read differently here than
     * in the launcher's JVM started in {@code clientCwd}); empty when it may.
     */
    Optional<String> refuse(List<String> args, Path clientCwd);

    /** How long the check may take at most, so the client waits for the answer no longer. */
    Duration bound(List<String> args);

    /** Runs the check exactly as the launcher's JVM would, its output to {@code out}/{@code err}: the exit code. */
    int run(List<String> args, PrintWriter out, PrintWriter err);

    /**
     * The same three with the values the launcher passed for this call alone (the request's {@code setenv}
     * lines, e.g. Pacemaker's OCF_RESKEY_*), which the view leaves out. A check that takes none refuses them.
     */
    default Optional<String> refuse(List<String> args, Map<String, String> callEnv, Path clientCwd) {
        return callEnv.isEmpty() ? refuse(args, clientCwd) : Optional.of("this check takes no per-call environment");
    }

    default Duration bound(List<String> args, Map<String, String> callEnv) {
        return bound(args);
    }

    default int run(List<String> args, Map<String, String> callEnv, PrintWriter out, PrintWriter err) {
        return run(args, out, err);
    }
}
