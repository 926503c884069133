package io.hulftark.bench;

import io.agroal.api.AgroalDataSource;
import io.hulftark.wire.Status;
import io.hulftark.fleet.metrics.ClusterMetricsProbe;
import io.hulftark.wire.Report;
import io.hulftark.fleet.store.JdbcFleetStore;
import io.hulftark.fleet.store.TestDatabases;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The metrics' share of a scrape in-process, without HTTP: {@code FleetStore.snapshot} of CLUSTERS two-node
 * clusters and the exposition written from it, on H2 (a file) and PostgreSQL (the test server), each timed RUNS
 * times after a warm-up. {@code java -cp target/classes:target/test-classes:$(cat cp.txt)
 * io.hulftark.bench.SnapshotBench [CLUSTERS] [RUNS] [h2,pg]}
 */
public final class SnapshotBench {

    public static void main(String[] args) throws Exception {
        int clusters = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        for (String db : (args.length > 2 ? args[2] : "h2,pg").split(",")) {
            Path dir = Files.createTempDirectory("snapshot-bench");
            String schema = db.equals("pg") ? TestDatabases.newSchema() : null;
            AgroalDataSource pool = db.equals("pg") ? TestDatabases.postgres(schema, 4)
                    : TestDatabases.h2(dir.resolve("fleet"), 4);
            try {
                JdbcFleetStore store = new JdbcFleetStore(pool, db.equals("pg") ? JdbcFleetStore.Dialect.POSTGRESQL
                        : JdbcFleetStore.Dialect.H2, Duration.ofSeconds(35), Duration.ofMinutes(10), 4);
                Instant now = Instant.now();
                for (int c = 0; c < clusters; c++) {
                    String name = String.format(Locale.ROOT, "c%05d", c);
                    store.ingest(report(name, "node1", Status.RUNNING, now), now);
                    store.ingest(report(name, "node2", Status.STOPPED, now), now);
                }
                long[] snap = new long[runs];
                long[] all = new long[runs];
                int bytes = 0;
                for (int i = -10; i < runs; i++) {
                    long t0 = System.nanoTime();
                    var rows = store.snapshot(Instant.now());
                    long t1 = System.nanoTime();
                    bytes = ClusterMetricsProbe.exposition(rows).length();
                    long t2 = System.nanoTime();
                    if (i >= 0) {
                        snap[i] = t1 - t0;
                        all[i] = t2 - t0;
                    }
                }
                System.out.printf(Locale.ROOT, "%s, %d clusters: snapshot p50 %.1f ms p99 %.1f ms; with the exposition "
                        + "p50 %.1f ms p99 %.1f ms; %,d bytes%n", db, clusters, p(snap, 0.5), p(snap, 0.99),
                        p(all, 0.5), p(all, 0.99), bytes);
            } finally {
                pool.close();
                if (schema != null) {
                    TestDatabases.dropSchema(schema);
                }
            }
        }
    }

    private static double p(long[] nanos, double q) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        return s[(int) Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] / 1e6;
    }

    private static Report report(String cluster, String node, Status status, Instant now) {
        return new Report(cluster, node, "bench", now.minusSeconds(600), 1, now,
                List.of(new Report.Resource("hulft", "HULFT8", status, status == Status.RUNNING ? "active" : "standby",
                        now.minusSeconds(600), null, now, List.of(new Report.Port("hulrcvd", 30000,
                        status == Status.RUNNING, 180, null)))), List.of(), 0);
    }
}
