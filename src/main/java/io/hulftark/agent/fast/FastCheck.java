package io.hulftark.agent.fast;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
}
