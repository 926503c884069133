package io.hulftark.hulft;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Probes all ports at once, so a check takes about as long as its slowest probe rather than the sum.
 * Never throws: a probe that throws, hangs or cannot be scheduled becomes a failed result.
 */
public final class PortChecker {

    /** Lets a probe that honours its bound report its own answer before we call it a timeout. */
    static final Duration GRACE = Duration.ofMillis(500);

    /** Caps threads held by probes that ignore interrupts, so repeated checks cannot pile them up. */
    private static final int MAX_THREADS = 64;

    private static final ThreadPoolExecutor EXECUTOR = newExecutor();

    private PortChecker() {
    }

    /** One result per port, in the order of {@code ports}. */
    public static List<ProbeResult> checkAll(PortProbe probe, String host, List<Integer> ports, Duration bound) {
        long start = System.nanoTime();
        List<Future<ProbeResult>> futures = new ArrayList<>(ports.size());
        for (int port : ports) {
            try {
                futures.add(EXECUTOR.submit(() -> probe.probe(host, port, bound)));
            } catch (RejectedExecutionException e) {
                futures.add(null);
            }
        }
        long deadline = start + bound.plus(GRACE).toNanos();
        List<ProbeResult> results = new ArrayList<>(ports.size());
        for (int i = 0; i < ports.size(); i++) {
            results.add(await(futures.get(i), ports.get(i), deadline, start, bound));
        }
        return List.copyOf(results);
    }

    private static ProbeResult await(Future<ProbeResult> future, int port, long deadline, long start, Duration bound) {
        if (future == null) {
            return ProbeResult.failure(port, "error", Duration.ZERO,
                    "too many probes still running (" + MAX_THREADS + ")");
        }
        try {
            ProbeResult r = future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            return r != null ? r : ProbeResult.failure(port, "error", since(start), "the probe returned nothing");
        } catch (TimeoutException e) {
            future.cancel(true);
            return ProbeResult.failure(port, "timeout", since(start), "no answer within " + bound.toMillis() + " ms");
        } catch (ExecutionException e) {
            return ProbeResult.failure(port, "error", since(start), oneLine(e.getCause()));
        } catch (InterruptedException e) {
            // Keep the flag for our caller; the remaining probes are then reported the same way.
            Thread.currentThread().interrupt();
            future.cancel(true);
            return ProbeResult.failure(port, "interrupted", since(start), "the check was interrupted");
        }
    }

    private static ThreadPoolExecutor newExecutor() {
        AtomicInteger count = new AtomicInteger();
        // Daemon threads: a probe stuck in a native call must not keep the JVM (the kit) alive.
        return new ThreadPoolExecutor(0, MAX_THREADS, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "port-probe-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    private static Duration since(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private static String oneLine(Throwable t) {
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return m.lines().findFirst().orElse(m);
    }
}
