package io.hulftark.platform.linux;

import io.hulftark.platform.CommandResult;
import io.hulftark.platform.CommandRunner;
import io.hulftark.platform.EventLog;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Syslog (and so the journal) through util-linux {@code logger}:
 * {@code logger -t TAG -p user.err|user.warning|user.info -- "CODE text"}, from an argument list.
 * The code leads the text because syslog has no event ID. Never throws: the first failure is
 * reported as one line on stderr, later ones are dropped so a broken syslog cannot flood the output.
 */
public final class LinuxSyslog implements EventLog {

    public static final String DEFAULT_LOGGER = "logger";
    public static final String DEFAULT_TAG = "hulft-ark";

    /** logger hands one datagram to the local syslog socket; more than this means it hangs. */
    static final Duration BOUND = Duration.ofSeconds(5);

    private final CommandRunner runner;
    private final String logger;
    private final String tag;
    private final PrintStream err;
    private final AtomicBoolean complained = new AtomicBoolean();

    public LinuxSyslog(CommandRunner runner, String logger, String tag, PrintStream err) {
        this.runner = Objects.requireNonNull(runner, "runner");
        this.logger = Objects.requireNonNull(logger, "logger");
        this.tag = Objects.requireNonNull(tag, "tag");
        this.err = Objects.requireNonNull(err, "err");
    }

    public LinuxSyslog(CommandRunner runner, String tag) {
        this(runner, DEFAULT_LOGGER, tag, System.err);
    }

    @Override
    public void write(Level level, int code, String text) {
        try {
            // One record per message: a newline would split it (or be escaped as #012) in the log.
            String message = code + " " + (text == null ? "" : text.replaceAll("[\\r\\n]+", " "));
            CommandResult r = runner.run(List.of(logger, "-t", tag, "-p", priority(level), "--", message), BOUND);
            if (!r.ok()) {
                complainOnce(r.timedOut() ? "timed out"
                        : r.failedToStart() != null ? r.failedToStart()
                        : "code = " + r.exitCode() + (r.firstLine().isEmpty() ? "" : ": " + r.firstLine()));
            }
        } catch (RuntimeException e) {
            complainOnce(String.valueOf(e.getMessage()));
        }
    }

    static String priority(Level level) {
        return switch (level) {
            case ERROR -> "user.err";
            case WARNING -> "user.warning";
            case INFORMATION -> "user.info";
        };
    }

    private void complainOnce(String why) {
        if (complained.compareAndSet(false, true)) {
            err.println("hulft-ark: cannot write to syslog with " + logger + " (" + why.lines().findFirst().orElse("")
                    + "); further syslog failures are not reported");
        }
    }
}
