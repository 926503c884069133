package io.hulftark.hulft;

import io.hulftark.platform.CommandResult;
import io.hulftark.platform.CommandRunner;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/** Asks HULFT itself, as the original kit did: {@code utlalivecheck -h host -p port -w wait}, ok iff exit 0. */
public final class AliveCheckProbe implements PortProbe {

    /** The original kit's {@code -w 10}. */
    public static final int DEFAULT_WAIT_SECONDS = 10;

    /** utlalivecheck needs a moment beyond its own wait to start and report. */
    private static final Duration SLACK = Duration.ofSeconds(5);

    private final HulftCommands commands;
    private final CommandRunner runner;
    private final int waitSeconds;

    public AliveCheckProbe(HulftCommands commands, CommandRunner runner, int waitSeconds) {
        if (waitSeconds < 1) {
            throw new IllegalArgumentException("waitSeconds must be at least 1, not " + waitSeconds);
        }
        this.commands = Objects.requireNonNull(commands, "commands");
        this.runner = Objects.requireNonNull(runner, "runner");
        this.waitSeconds = waitSeconds;
    }

    @Override
    public ProbeResult probe(String host, int port, Duration bound) {
        List<String> argv;
        try {
            argv = commands.aliveCheckArgv(host, port, waitSeconds);
        } catch (IllegalStateException e) {
            return ProbeResult.failure(port, "not started", Duration.ZERO, e.getMessage());
        }
        Duration own = Duration.ofSeconds(waitSeconds).plus(SLACK);
        CommandResult r = runner.run(argv, bound.compareTo(own) < 0 ? bound : own);
        return new ProbeResult(port, r.ok(), r.code(), r.elapsed(), detail(r));
    }

    @Override
    public String name() {
        return "utlalivecheck";
    }

    private static String detail(CommandResult r) {
        if (r.ok()) {
            return "";
        }
        if (r.timedOut()) {
            return "utlalivecheck did not end within its bound and was killed";
        }
        if (r.failedToStart() != null) {
            return r.failedToStart();
        }
        String first = r.firstLine();
        return first.isEmpty() ? "utlalivecheck exited with " + r.exitCode() : first;
    }
}
