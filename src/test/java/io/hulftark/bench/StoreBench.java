package io.hulftark.bench;

import io.agroal.api.AgroalDataSource;
import io.hulftark.wire.Status;
import io.hulftark.wire.Report;
import io.hulftark.fleet.store.JdbcFleetStore;
import io.hulftark.fleet.store.TestDatabases;
import io.hulftark.fleet.view.ClusterQuery;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The fleet store under the fleet view's load, without HTTP: N nodes (two per cluster) each sending a heartbeat
 * every N/rate seconds, a burst of failovers (1 % of the clusters, with a transition event each) every 10 s,
 * the periodic reevaluation every second, and a dashboard reading the summary and a page of the cluster table
 * 10 times a second each. Prints p50/p99/max of ingest, summary and page, per database.
 *
 * <pre>
 * ./mvnw -q -o test-compile
 * java -cp target/classes:target/test-classes:$(cat /tmp/cp.txt) io.hulftark.bench.StoreBench \
 *      [--nodes 10000] [--rate 1000] [--seconds 60] [--db h2,pg] [--workers 16] [--pool 16 (h2) / 20 (pg)]
 * </pre>
 * (/tmp/cp.txt from {@code ./mvnw -q -o dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt}.) PostgreSQL:
 * the test server and credentials of the store's tests (hulftark.test.pg.url/.user/.password), a schema of its own.
 */
public final class StoreBench {

    private final int nodes;
    private final int rate;
    private final int seconds;
    private final int workers;
    private final int poolSize;

    private StoreBench(int nodes, int rate, int seconds, int workers, int poolSize) {
        this.nodes = nodes;
        this.rate = rate;
        this.seconds = seconds;
        this.workers = workers;
        this.poolSize = poolSize;
    }

    public static void main(String[] args) throws Exception {
        int nodes = 10_000;
        int rate = -1;
        int seconds = 60;
        int workers = 16;
        int poolSize = -1;
        List<String> dbs = List.of("h2", "pg");
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--nodes" -> nodes = Integer.parseInt(args[i + 1]);
                case "--rate" -> rate = Integer.parseInt(args[i + 1]);
                case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
                case "--workers" -> workers = Integer.parseInt(args[i + 1]);
                case "--pool" -> poolSize = Integer.parseInt(args[i + 1]);
                case "--db" -> dbs = List.of(args[i + 1].split(","));
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (--nodes, --rate, --seconds, --workers, --pool, --db h2,pg)");
            }
        }
        StoreBench bench = new StoreBench(nodes, rate < 0 ? nodes / 10 : rate, seconds, workers, poolSize);
        for (String db : dbs) {
            bench.run(db);
        }
        System.exit(0);
    }

    private void run(String db) throws Exception {
        AgroalDataSource pool;
        JdbcFleetStore.Dialect dialect;
        String schema = null;
        Path dir = null;
        if (db.equals("h2")) {
            dir = Files.createTempDirectory("storebench");
            pool = TestDatabases.h2(dir.resolve("fleet"), poolSize > 0 ? poolSize : 16);
            dialect = JdbcFleetStore.Dialect.H2;
        } else {
            schema = TestDatabases.newSchema();
            pool = TestDatabases.postgres(schema, poolSize > 0 ? poolSize : 20);
            dialect = JdbcFleetStore.Dialect.POSTGRESQL;
        }
        try {
            JdbcFleetStore store = new JdbcFleetStore(pool, dialect, Duration.ofSeconds(35), Duration.ofMinutes(10), 4);
            new Load(store).run(db);
        } finally {
            pool.close();
            if (schema != null) {
                TestDatabases.dropSchema(schema);
            }
            if (dir != null) {
                try (var files = Files.walk(dir)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    /** One run: the simulated agents, the dashboard, the reevaluation, and the figures. */
    private final class Load {
        private final JdbcFleetStore store;
        private final int clusters = nodes / 2;
        private final boolean[] aActive;
        private final long[] seq;
        private final long[] eventSeq;
        private final Instant started = Instant.now();
        private final Latencies ingest = new Latencies();
        private final Latencies summary = new Latencies();
        private final Latencies page = new Latencies();
        private final AtomicLong rejected = new AtomicLong();
        private final AtomicInteger reevaluated = new AtomicInteger();
        private final Random random = new Random(42);

        Load(JdbcFleetStore store) {
            this.store = store;
            aActive = new boolean[clusters];
            Arrays.fill(aActive, true);
            seq = new long[nodes];
            eventSeq = new long[nodes];
        }

        void run(String db) throws Exception {
            long t0 = System.nanoTime();
            // Every node reports once, as after a fleet-view restart.
            ExecutorService fill = Executors.newFixedThreadPool(workers);
            for (int n = 0; n < nodes; n++) {
                int node = n;
                fill.submit(() -> store.ingest(report(node, null), Instant.now()));
            }
            fill.shutdown();
            fill.awaitTermination(1, TimeUnit.HOURS);
            System.out.printf("%s: %d nodes in %d clusters loaded in %.1f s%n", db, nodes, clusters,
                    (System.nanoTime() - t0) / 1e9);

            ThreadPoolExecutor pool = new ThreadPoolExecutor(workers, workers, 0, TimeUnit.SECONDS,
                    new ArrayBlockingQueue<>(rate * 2), new ThreadPoolExecutor.AbortPolicy());
            ScheduledExecutorService timer = Executors.newScheduledThreadPool(3);
            AtomicInteger next = new AtomicInteger();
            // Heartbeats: every 10 ms, a hundredth of the second's reports.
            timer.scheduleAtFixedRate(() -> {
                for (int i = 0; i < Math.max(1, rate / 100); i++) {
                    int node = Math.floorMod(next.getAndIncrement(), nodes);
                    submit(pool, () -> timed(ingest, () -> store.ingest(report(node, null), Instant.now())));
                }
            }, 0, 10, TimeUnit.MILLISECONDS);
            // Bursts: 1 % of the clusters fail over at once, both nodes report with a transition.
            timer.scheduleAtFixedRate(() -> {
                for (int i = 0; i < Math.max(1, clusters / 100); i++) {
                    int c = random.nextInt(clusters);
                    synchronized (aActive) {
                        aActive[c] = !aActive[c];
                    }
                    for (int node : new int[] {2 * c, 2 * c + 1}) {
                        submit(pool, () -> timed(ingest, () -> store.ingest(report(node, "failover"), Instant.now())));
                    }
                }
            }, 5, 10, TimeUnit.SECONDS);
            timer.scheduleWithFixedDelay(() -> reevaluated.addAndGet(store.reevaluateDue(Instant.now())),
                    1, 1, TimeUnit.SECONDS);
            // The dashboard: the summary and a page of the table (problem first; now and then a search).
            Thread reader = new Thread(() -> {
                Random r = new Random(7);
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
                while (System.nanoTime() < end) {
                    timed(summary, () -> store.summary(Instant.now()));
                    Optional<String> q = r.nextInt(4) == 0 ? Optional.of("-0" + r.nextInt(10)) : Optional.empty();
                    timed(page, () -> store.clusters(new ClusterQuery(Optional.empty(), q,
                            ClusterQuery.Sort.PROBLEM, r.nextInt(5), 50), Instant.now()));
                    sleep(100);
                }
            });
            reader.start();
            reader.join();
            timer.shutdownNow();
            pool.shutdown();
            pool.awaitTermination(1, TimeUnit.MINUTES);
            double secs = seconds;
            System.out.printf("%s: %d nodes, %d reports/s asked, %.0f reports/s done, %d rejected (queue full), "
                            + "%d reevaluated, %d workers, pool %d, %d s%n", db, nodes, rate, ingest.count() / secs,
                    rejected.get(), reevaluated.get(), workers, poolSize, seconds);
            System.out.println(db + ": ingest  " + ingest);
            System.out.println(db + ": summary " + summary);
            System.out.println(db + ": page    " + page);
            var s = store.summary(Instant.now());
            System.out.println(db + ": " + s.byState() + " flapping " + s.flapping() + " lastEventId " + s.lastEventId());
        }

        private void submit(ThreadPoolExecutor pool, Runnable r) {
            try {
                pool.execute(r);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                rejected.incrementAndGet();
            }
        }

        /** Node 2c is "a", 2c+1 is "b" of cluster c; the active one runs, the other stands by. */
        private Report report(int node, String event) {
            int c = node / 2;
            boolean a = node % 2 == 0;
            boolean active;
            synchronized (aActive) {
                active = aActive[c] == a;
            }
            long s;
            long e;
            synchronized (seq) {
                s = ++seq[node];
                e = event == null ? eventSeq[node] : ++eventSeq[node];
            }
            Instant now = Instant.now();
            Status status = active ? Status.RUNNING : Status.STOPPED;
            Report.Resource resource = new Report.Resource("HULFT", "HULFT8 Service", status,
                    active ? "active" : "standby", started, null, now,
                    List.of(new Report.Port("rcvport", 30000, active, 200, null),
                            new Report.Port("obsport", 31000, active, 180, null)));
            List<Report.Event> events = event == null ? List.of()
                    : List.of(new Report.Event(e, now, "HULFT", "transition", event + ": " + status));
            return new Report(String.format("cluster-%05d", c), String.format("node-%05d-%s", c, a ? "a" : "b"),
                    "1.0.0", started, s, now, List.of(resource), events, 0);
        }
    }

    private static void timed(Latencies into, Runnable r) {
        long t = System.nanoTime();
        try {
            r.run();
        } catch (RuntimeException e) {
            into.failures.incrementAndGet();
            System.err.println("failed: " + e.getMessage());
            return;
        }
        into.add(System.nanoTime() - t);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Latencies in microseconds. */
    private static final class Latencies {
        private final List<Long> micros = new ArrayList<>();
        final AtomicInteger failures = new AtomicInteger();

        synchronized void add(long nanos) {
            micros.add(nanos / 1000);
        }

        synchronized int count() {
            return micros.size();
        }

        @Override
        public synchronized String toString() {
            if (micros.isEmpty()) {
                return "no samples";
            }
            long[] sorted = micros.stream().mapToLong(Long::longValue).sorted().toArray();
            return String.format("n=%d p50=%.1f ms p99=%.1f ms max=%.1f ms failures=%d", sorted.length,
                    sorted[sorted.length / 2] / 1000.0, sorted[(int) (sorted.length * 0.99)] / 1000.0,
                    sorted[sorted.length - 1] / 1000.0, failures.get());
        }
    }
}
