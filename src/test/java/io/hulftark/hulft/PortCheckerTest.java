package io.hulftark.hulft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;

class PortCheckerTest {

    private static final List<Integer> FIVE = List.of(30000, 31000, 32000, 33000, 34000);

    /** A probe built from a lambda, for scripting each case. */
    private interface Body {
        ProbeResult run(String host, int port, Duration bound) throws Exception;
    }

    private static PortProbe probe(Body body) {
        return new PortProbe() {
            @Override
            public ProbeResult probe(String host, int port, Duration bound) {
                try {
                    return body.run(host, port, bound);
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public String name() {
                return "fake";
            }
        };
    }

    @Test
    void allFiveRunAtOnce() {
        // The barrier trips only when all five probes wait at the same time; one by one, each times out.
        CyclicBarrier barrier = new CyclicBarrier(5);
        PortProbe together = probe((host, port, bound) -> {
            try {
                barrier.await(3, TimeUnit.SECONDS);
                return ProbeResult.success(port, Duration.ofMillis(1));
            } catch (TimeoutException | BrokenBarrierException e) {
                return ProbeResult.failure(port, "alone", Duration.ZERO, "barrier did not trip");
            }
        });
        long start = System.nanoTime();
        List<ProbeResult> results = PortChecker.checkAll(together, "vip", FIVE, Duration.ofSeconds(10));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertEquals(5, results.size());
        results.forEach(r -> assertTrue(r.ok(), r.toString()));
        assertTrue(took.compareTo(Duration.ofSeconds(3)) < 0, "took " + took);
    }

    @Test
    void resultsKeepTheInputOrder() {
        // The first port answers last, so completion order is the reverse of input order.
        PortProbe slowFirst = probe((host, port, bound) -> {
            Thread.sleep((34000 - port) / 1000 * 40L);
            return ProbeResult.success(port, Duration.ofMillis(1));
        });
        List<ProbeResult> results = PortChecker.checkAll(slowFirst, "vip", FIVE, Duration.ofSeconds(5));
        assertEquals(FIVE, results.stream().map(ProbeResult::port).toList());
    }

    @Test
    void hostAndBoundArePassedThrough() {
        Set<String> seen = ConcurrentHashMap.newKeySet();
        PortChecker.checkAll(probe((host, port, bound) -> {
            seen.add(host + ":" + port + "/" + bound.toMillis());
            return ProbeResult.success(port, Duration.ZERO);
        }), "hulft-vip", List.of(1, 2), Duration.ofMillis(1500));
        assertEquals(Set.of("hulft-vip:1/1500", "hulft-vip:2/1500"), seen);
    }

    @Test
    void throwingProbeBecomesAFailureWithOneLine() {
        PortProbe thrower = probe((host, port, bound) -> {
            if (port == 31000) {
                throw new IllegalStateException("probe broke\nat some stack line");
            }
            return ProbeResult.success(port, Duration.ZERO);
        });
        List<ProbeResult> results = PortChecker.checkAll(thrower, "vip", FIVE, Duration.ofSeconds(5));
        ProbeResult broken = results.get(1);
        assertEquals(31000, broken.port());
        assertFalse(broken.ok());
        assertEquals("error", broken.code());
        assertEquals("probe broke", broken.detail());
        assertEquals(4, results.stream().filter(ProbeResult::ok).count());
    }

    @Test
    void exceptionWithoutMessageIsNamedByClass() {
        List<ProbeResult> results = PortChecker.checkAll(probe((host, port, bound) -> {
            throw new NullPointerException();
        }), "vip", List.of(1), Duration.ofSeconds(5));
        assertEquals("NullPointerException", results.get(0).detail());
    }

    @Test
    void hangingProbeIsReportedAsTimeoutAndInterrupted() throws InterruptedException {
        CountDownLatch interrupted = new CountDownLatch(1);
        PortProbe hangs = probe((host, port, bound) -> {
            if (port != 32000) {
                return ProbeResult.success(port, Duration.ZERO);
            }
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
            return ProbeResult.success(port, Duration.ZERO);
        });
        long start = System.nanoTime();
        // Preemptive, so an implementation that waits for the hung probe fails instead of hanging the build.
        List<ProbeResult> results = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> PortChecker.checkAll(hangs, "vip", FIVE, Duration.ofMillis(300)));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        ProbeResult hung = results.get(2);
        assertEquals(32000, hung.port());
        assertFalse(hung.ok());
        assertEquals("timeout", hung.code());
        assertEquals("no answer within 300 ms", hung.detail());
        assertEquals(4, results.stream().filter(ProbeResult::ok).count());
        assertTrue(took.compareTo(Duration.ofMillis(300)) >= 0, "took " + took);
        assertTrue(took.compareTo(Duration.ofMillis(300).plus(PortChecker.GRACE).plusSeconds(1)) < 0, "took " + took);
        assertTrue(interrupted.await(2, TimeUnit.SECONDS), "the hung probe was not interrupted");
    }

    @Test
    void probeReturningNullIsAFailure() {
        ProbeResult r = PortChecker.checkAll(probe((host, port, bound) -> null), "vip", List.of(7), Duration.ofSeconds(1)).get(0);
        assertEquals(new ProbeResult(7, false, "error", r.latency(), "the probe returned nothing"), r);
    }

    @Test
    void noPortsNoResults() {
        assertEquals(List.of(), PortChecker.checkAll(probe((h, p, b) -> {
            throw new AssertionError("must not be called");
        }), "vip", List.of(), Duration.ofSeconds(1)));
    }

    @Test
    void probesRunOnDaemonThreads() {
        ProbeResult r = PortChecker.checkAll(probe((host, port, bound) ->
                ProbeResult.failure(port, "x", Duration.ZERO, Boolean.toString(Thread.currentThread().isDaemon()))),
                "vip", List.of(1), Duration.ofSeconds(1)).get(0);
        assertEquals("true", r.detail());
    }
}
