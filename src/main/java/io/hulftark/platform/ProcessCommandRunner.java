package io.hulftark.platform;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs a program straight from its argument list (no shell), with stdin closed and stdout and
 * stderr merged and cut to {@link #MAX_OUTPUT} bytes. On overrun it kills the process and every
 * descendant (children first, so none is re-parented and forgotten) and waits for them to go.
 * While it runs a command is noted in the {@link ChildLedger} (and, on Windows, in a job object
 * that ends it with this process), so that it cannot outlive a killed agent unseen.
 */
public final class ProcessCommandRunner implements CommandRunner {

    /** Enough for any message a HULFT or OS command prints; a runaway writer cannot fill memory. */
    static final int MAX_OUTPUT = 64 * 1024;

    private final Charset charset;
    private final boolean tracked;

    public ProcessCommandRunner() {
        this(Charset.defaultCharset());
    }

    public ProcessCommandRunner(Charset charset) {
        this(charset, true);
    }

    private ProcessCommandRunner(Charset charset, boolean tracked) {
        this.charset = charset;
        this.tracked = tracked;
    }

    /**
     * A runner whose commands are not in the {@link ChildLedger}: for a command that takes the resource's lock
     * itself (perform_action runs our launcher), which must not be ended because the agent that started it died.
     */
    public static ProcessCommandRunner untracked() {
        return new ProcessCommandRunner(Charset.defaultCharset(), false);
    }

    @Override
    public CommandResult run(List<String> argv, Duration bound) {
        long start = System.nanoTime();
        Process process;
        try {
            process = new ProcessBuilder(argv)
                    .redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(nullDevice()))
                    .start();
        } catch (IOException | RuntimeException e) {
            return new CommandResult(-1, "", false, oneLine(e), elapsed(start));
        }
        ProcessScope.noteStarted(process.toHandle());
        if (tracked) {
            ChildLedger.spawned(process.toHandle(), argv);
            Containment.current().adopt(process);
        }
        try {
            return await(process, bound, start);
        } finally {
            if (tracked) {
                ChildLedger.ended(process.toHandle());
            }
        }
    }

    private CommandResult await(Process process, Duration bound, long start) {
        OutputDrain drain = new OutputDrain(process.getInputStream());
        drain.start();
        boolean finished;
        try {
            finished = process.waitFor(Math.max(0, bound.toNanos()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            finished = false;
        }
        if (!finished) {
            killTree(process.toHandle());
            drain.awaitEnd(Duration.ofSeconds(2));
            return new CommandResult(-1, drain.text(charset), true, null, elapsed(start));
        }
        // A child the command left behind may still hold the pipe open: do not wait for it forever.
        drain.awaitEnd(Duration.ofMillis(Math.max(200, Math.min(2000, bound.toMillis()))));
        return new CommandResult(process.exitValue(), drain.text(charset), false, null, elapsed(start));
    }

    /** Kills {@code root} and all its descendants and waits (bounded) until they are gone. */
    public static void killTree(ProcessHandle root) {
        List<ProcessHandle> descendants;
        try (Stream<ProcessHandle> s = root.descendants()) {
            descendants = s.toList();
        }
        // Stop the parent first so it cannot spawn more, then every descendant found before.
        root.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
        try (Stream<ProcessHandle> s = root.descendants()) {
            s.forEach(ProcessHandle::destroyForcibly);
        }
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (ProcessHandle h : concat(root, descendants)) {
            try {
                long left = until - System.nanoTime();
                if (left > 0) {
                    h.onExit().get(left, TimeUnit.NANOSECONDS);
                }
            } catch (Exception ignored) {
                // best effort: a process we cannot wait for has been sent its kill already
            }
        }
    }

    private static List<ProcessHandle> concat(ProcessHandle root, List<ProcessHandle> rest) {
        return Stream.concat(Stream.of(root), rest.stream()).toList();
    }

    private static java.io.File nullDevice() {
        return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }

    private static Duration elapsed(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private static String oneLine(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.lines().findFirst().orElse(m);
    }

    /** Reads a process's output on a daemon thread, keeping at most MAX_OUTPUT bytes. */
    private static final class OutputDrain extends Thread {
        private final InputStream in;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();

        OutputDrain(InputStream in) {
            super("command-output");
            this.in = in;
            setDaemon(true);
        }

        @Override
        public void run() {
            byte[] buf = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    synchronized (kept) {
                        int room = MAX_OUTPUT - kept.size();
                        if (room > 0) {
                            kept.write(buf, 0, Math.min(room, n));
                        }
                    }
                }
            } catch (IOException ignored) {
                // the process is gone or was killed: what was read so far is the output
            }
        }

        void awaitEnd(Duration d) {
            try {
                join(Math.max(1, d.toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        String text(Charset cs) {
            synchronized (kept) {
                return kept.toString(cs);
            }
        }
    }
}
