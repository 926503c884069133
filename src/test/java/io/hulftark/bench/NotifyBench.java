package io.hulftark.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.agroal.api.AgroalDataSource;
import io.hulftark.wire.Status;
import io.hulftark.fleet.notify.Dispatcher;
import io.hulftark.fleet.notify.Filter;
import io.hulftark.fleet.notify.HttpTransport;
import io.hulftark.fleet.notify.JdbcOutbox;
import io.hulftark.fleet.notify.Redactor;
import io.hulftark.wire.Report;
import io.hulftark.fleet.state.ClusterState;
import io.hulftark.fleet.store.JdbcFleetStore;
import io.hulftark.fleet.store.TestDatabases;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Notifications under a failover burst (issue 14: a burst of 200 clusters notifies within 5 s of each state
 * change, without slowing ingest past its target). In-process, as StoreBench: the store on H2 or PostgreSQL with
 * heartbeats of N nodes at a steady rate, and every 15 s a burst of 200 clusters going DOWN (and 15 s later OK
 * again). Two real HTTP receivers on loopback: "summary" with the default fold-above (a burst comes as one
 * summary) and "each" with one message per change. The dispatcher runs as NotifyService runs it (fan-out and one
 * delivery task per receiver every 500 ms). Prints, for the phase without receivers and the phase with them, the
 * ingest p50/p99, and for each receiver the delay from each state change (its ingest) to its arrival.
 *
 * <pre>
 * ./mvnw -q test-compile && ./mvnw -q dependency:build-classpath -Dmdep.outputFile=cp.txt
 * java -Xmx1g -cp target/classes:target/test-classes:$(cat cp.txt) io.hulftark.bench.NotifyBench \
 *      [--nodes 4000] [--rate 400] [--seconds 60] [--db h2|pg] [--burst 200]
 * </pre>
 */
public final class NotifyBench {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        int nodes = intArg(args, "--nodes", 4000);
        int rate = intArg(args, "--rate", 400);
        int seconds = intArg(args, "--seconds", 60);
        int burst = intArg(args, "--burst", 200);
        String db = strArg(args, "--db", "h2");
        int clusters = nodes / 2;
        if (burst > clusters) {
            throw new IllegalArgumentException("--burst must not exceed the clusters (nodes / 2)");
        }
        System.out.printf("NotifyBench: %d nodes (%d clusters), %d reports/s, bursts of %d, %d s per phase, %s%n",
                nodes, clusters, rate, burst, seconds, db);
        for (boolean notify : new boolean[] {false, true}) {
            phase(db, nodes, rate, seconds, burst, notify);
        }
    }

    private static void phase(String db, int nodes, int rate, int seconds, int burst, boolean notify) throws Exception {
        AgroalDataSource ds;
        String schema = null;
        if (db.equals("pg")) {
            schema = TestDatabases.newSchema();
            ds = TestDatabases.postgres(schema, 20);
        } else {
            Path dir = Files.createTempDirectory("notify-bench");
            ds = TestDatabases.h2(dir.resolve("fleet"), 16);
        }
        JdbcFleetStore.Dialect dialect = db.equals("pg") ? JdbcFleetStore.Dialect.POSTGRESQL : JdbcFleetStore.Dialect.H2;
        JdbcFleetStore store = new JdbcFleetStore(ds, dialect, Duration.ofSeconds(35), Duration.ofMinutes(10), 1000);
        store.recordStateChanges(notify);
        int clusters = nodes / 2;
        // Every cluster OK to begin with, outside the measurement.
        AtomicLong seq = new AtomicLong();
        boolean[] down = new boolean[clusters];
        ExecutorService workers = Executors.newFixedThreadPool(16);
        List<java.util.concurrent.Future<?>> seeding = new ArrayList<>();
        for (int c = 0; c < clusters; c++) {
            int cc = c;
            seeding.add(workers.submit(() -> {
                store.ingest(report(cc, 1, false, seq.incrementAndGet()), Instant.now());
                store.ingest(report(cc, 2, false, seq.incrementAndGet()), Instant.now());
            }));
        }
        for (var f : seeding) {
            f.get();
        }

        Receiver summary = new Receiver();
        Receiver each = new Receiver();
        ScheduledExecutorService background = Executors.newScheduledThreadPool(3);
        if (notify) {
            Clock clock = Clock.systemUTC();
            Set<ClusterState> states = Set.of(ClusterState.DOWN, ClusterState.SPLIT, ClusterState.STALE,
                    ClusterState.DEGRADED);
            List<Dispatcher.Receiver> receivers = List.of(
                    new Dispatcher.Receiver("summary", new Filter(states, List.of("*"), Map.of()), Duration.ZERO, 10,
                            Duration.ofMinutes(5), new HttpTransport(false, summary.url, Optional.of("bench-secret"),
                            Duration.ofSeconds(10), clock)),
                    new Dispatcher.Receiver("each", new Filter(states, List.of("*"), Map.of()), Duration.ZERO, 100_000,
                            Duration.ofMinutes(5), new HttpTransport(false, each.url, Optional.of("bench-secret"),
                            Duration.ofSeconds(10), clock)));
            Dispatcher d = new Dispatcher(new JdbcOutbox(ds), receivers,
                    names -> store.rows(names, clock.instant()), clock, "bench",
                    Duration.ofSeconds(60), new Redactor(List.of()));
            background.scheduleWithFixedDelay(d::fanOut, 500, 500, TimeUnit.MILLISECONDS);
            for (String r : d.receivers()) {
                background.scheduleWithFixedDelay(() -> d.deliver(r), 500, 500, TimeUnit.MILLISECONDS);
            }
        }

        // Heartbeats at the steady rate, and the bursts; each report's ingest time is kept.
        ConcurrentLinkedQueue<Long> ingestNanos = new ConcurrentLinkedQueue<>();
        long intervalNanos = 1_000_000_000L / rate;
        long start = System.nanoTime();
        long end = start + Duration.ofSeconds(seconds).toNanos();
        long nextBurst = start + Duration.ofSeconds(5).toNanos();
        int burstFrom = 0;
        boolean burstDown = true;
        List<int[]> bursts = new ArrayList<>();
        long i = 0;
        while (System.nanoTime() < end) {
            long due = start + i * intervalNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            if (System.nanoTime() >= nextBurst) {
                // 200 clusters fail over at once: both nodes report STOPPED (DOWN), or the first RUNNING again.
                int from = burstFrom;
                boolean goDown = burstDown;
                for (int k = 0; k < burst; k++) {
                    int c = (from + k) % clusters;
                    down[c] = goDown;
                    workers.submit(() -> timed(ingestNanos, () -> store.ingest(report(c, 1, goDown,
                            seq.incrementAndGet()), Instant.now())));
                }
                bursts.add(new int[] {from, goDown ? 1 : 0});
                if (!goDown) {
                    burstFrom = (burstFrom + burst) % clusters;
                }
                burstDown = !burstDown;
                nextBurst += Duration.ofSeconds(15).toNanos();
            }
            long n = i++;
            int c = (int) ((n / 2) % clusters);
            int node = (int) (n % 2) + 1;
            boolean isDown = down[c];
            workers.submit(() -> timed(ingestNanos, () -> store.ingest(report(c, node, node == 1 && isDown,
                    seq.incrementAndGet()), Instant.now())));
        }
        Thread.sleep(notify ? 10_000 : 0); // the last burst's messages
        background.shutdownNow();
        workers.shutdown();
        workers.awaitTermination(30, TimeUnit.SECONDS);

        System.out.printf("%n-- %s receivers --%n", notify ? "with" : "without");
        System.out.println("ingest:   " + stats(ingestNanos.stream().mapToLong(Long::longValue).toArray(), 1e6, "ms"));
        if (notify) {
            System.out.println("summary:  " + summary.report(bursts.size() * (long) burst));
            System.out.println("each:     " + each.report(bursts.size() * (long) burst));
        }
        summary.close();
        each.close();
        store.close();
        ds.close();
        if (schema != null) {
            TestDatabases.dropSchema(schema);
        }
    }

    private static void timed(ConcurrentLinkedQueue<Long> into, Runnable r) {
        long t0 = System.nanoTime();
        try {
            r.run();
        } catch (RuntimeException e) {
            System.err.println("ingest failed: " + e.getMessage());
            return;
        }
        into.add(System.nanoTime() - t0);
    }

    /** A node's report: node 1 is active (RUNNING) unless {@code stopped}, node 2 stands by. */
    private static Report report(int cluster, int node, boolean stopped, long seq) {
        Instant now = Instant.now();
        Status status = node == 1 && !stopped ? Status.RUNNING : Status.STOPPED;
        String role = status == Status.RUNNING ? "active" : "standby";
        Report.Resource r = new Report.Resource("HULFT", "HULFT8 Service", status, role, now.minusSeconds(600), null,
                now, List.of(new Report.Port("rcvport", 30000, status == Status.RUNNING, 250, null)));
        return new Report("bench-" + cluster, "n" + node, "1.0.0", Instant.parse("2026-01-01T00:00:00Z"), seq, now,
                List.of(r), List.of(), 0);
    }

    /** A webhook receiver that keeps, per change, the delay from the change (its "at") to the arrival. */
    private static final class Receiver implements AutoCloseable {
        final HttpServer server;
        final URI url;
        final ConcurrentLinkedQueue<Long> delaysMillis = new ConcurrentLinkedQueue<>();
        final AtomicLong requests = new AtomicLong();

        Receiver() throws Exception {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
            server.createContext("/", ex -> {
                long arrived = System.currentTimeMillis();
                JsonNode body = JSON.readTree(ex.getRequestBody().readAllBytes());
                requests.incrementAndGet();
                body.path("changes").forEach(c -> delaysMillis.add(arrived - Instant.parse(c.path("at").asText())
                        .toEpochMilli()));
                ex.sendResponseHeaders(204, -1);
                ex.close();
            });
            server.setExecutor(Executors.newFixedThreadPool(4));
            server.start();
            url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
        }

        String report(long changesExpected) {
            return stats(delaysMillis.stream().mapToLong(Long::longValue).toArray(), 1, "ms") + " in "
                    + requests.get() + " requests; " + delaysMillis.size() + " of " + changesExpected
                    + " changes told (target: every change within 5000 ms)";
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    private static String stats(long[] values, double divisor, String unit) {
        if (values.length == 0) {
            return "n=0";
        }
        Arrays.sort(values);
        return String.format("n=%d p50=%.1f %s p99=%.1f %s max=%.1f %s", values.length,
                values[values.length / 2] / divisor, unit, values[(int) Math.min(values.length - 1,
                        Math.ceil(values.length * 0.99) - 1)] / divisor, unit, values[values.length - 1] / divisor,
                unit);
    }

    private static int intArg(String[] args, String name, int def) {
        return Integer.parseInt(strArg(args, name, Integer.toString(def)));
    }

    private static String strArg(String[] args, String name, String def) {
        for (int k = 0; k < args.length - 1; k++) {
            if (args[k].equals(name)) {
                return args[k + 1];
            }
        }
        return def;
    }
}
