package io.hulftark.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The processes the demo started, each with its log file. Stopping ends each one's whole tree: a polite
 * SIGTERM first, then SIGKILL for whatever of the tree is still alive after the grace period.
 */
public final class ChildProcesses {

    /** One child: what it is for people ("agent demo-1/node-a"), its process and its log. */
    public record Child(String label, Process process, Path log) {
        /** The last line of its log, for a one-line reason when it died. */
        public String lastLogLine() {
            try {
                List<String> lines = Files.readAllLines(log);
                for (int i = lines.size() - 1; i >= 0; i--) {
                    if (!lines.get(i).isBlank()) {
                        return lines.get(i).strip();
                    }
                }
                return "(its log is empty)";
            } catch (IOException e) {
                return "(no log: " + e.getMessage() + ")";
            }
        }
    }

    private final List<Child> children = new CopyOnWriteArrayList<>();
    private final Consumer<Child> unexpectedExit;
    private volatile boolean stopping;

    /** @param unexpectedExit told of a child that ended while the demo was not stopping */
    public ChildProcesses(Consumer<Child> unexpectedExit) {
        this.unexpectedExit = unexpectedExit;
    }

    public Child start(String label, List<String> argv, Map<String, String> env, Path log) throws IOException {
        Files.createDirectories(log.toAbsolutePath().getParent());
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().putAll(env);
        Child c = new Child(label, pb.start(), log);
        children.add(c);
        // A Ctrl-C reaches the children too (same process group) and may end them before our shutdown hook says
        // we are stopping: look a second later before calling an exit unexpected.
        c.process().onExit().thenRunAsync(() -> {
            if (!stopping) {
                unexpectedExit.accept(c);
            }
        }, CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS));
        return c;
    }

    public List<Child> children() {
        return List.copyOf(children);
    }

    public boolean stopping() {
        return stopping;
    }

    /** Ends every child's process tree; returns how many processes were ended. */
    public int stopAll(Duration grace) {
        stopping = true;
        List<ProcessHandle> all = new ArrayList<>();
        for (Child c : children) {
            ProcessHandle h = c.process().toHandle();
            all.addAll(h.descendants().toList());
            all.add(h);
            h.destroy();
        }
        long until = System.nanoTime() + grace.toNanos();
        for (Child c : children) {
            try {
                c.process().waitFor(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        // Descendants born during the grace period (a check's command, say) are still reachable from live parents.
        for (Child c : children) {
            all.addAll(c.process().toHandle().descendants().toList());
        }
        for (ProcessHandle h : all) {
            if (h.isAlive()) {
                h.destroyForcibly();
            }
        }
        for (ProcessHandle h : all) {
            try {
                h.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                // reported by the caller's final sweep
            }
        }
        return (int) all.stream().map(ProcessHandle::pid).distinct().count();
    }
}
