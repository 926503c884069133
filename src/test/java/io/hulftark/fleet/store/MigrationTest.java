package io.hulftark.fleet.store;

import io.agroal.api.AgroalDataSource;
import io.hulftark.wire.Status;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;

import static io.hulftark.fleet.store.FleetStoreContract.T0;
import static io.hulftark.fleet.store.FleetStoreContract.report;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A database made by an older schema is upgraded with what it holds: V1 with a window and an acknowledgement, then
 * V2 and V3, and V8 (acknowledgements of a problem, windows as markers).
 */
class MigrationTest {

    @TempDir
    Path dir;

    @Test
    void v2FillsTheLatestWindowEndAndV3TheProblemRankOfExistingClusters() throws Exception {
        String url = "jdbc:h2:retry:" + dir.resolve("fleet").toAbsolutePath() + TestDatabases.H2_OPTIONS;
        Flyway.configure().dataSource(url, "sa", "").locations("classpath:db/fleet").target("1").load().migrate();
        try (Connection c = java.sql.DriverManager.getConnection(url, "sa", "");
             Statement s = c.createStatement()) {
            s.execute("INSERT INTO fleet_cluster (id, name, state, since, reason) VALUES (1, 'c1', 'OK', "
                    + "TIMESTAMP WITH TIME ZONE '2025-06-01 11:59:00Z', 'r')");
            s.execute("INSERT INTO fleet_maintenance (cluster_id, starts_at, ends_at, reason, by_user, at) VALUES "
                    + "(1, TIMESTAMP WITH TIME ZONE '2025-06-01 11:59:00Z', TIMESTAMP WITH TIME ZONE "
                    + "'2025-06-01 12:10:00Z', 'patch', 'alice', TIMESTAMP WITH TIME ZONE '2025-06-01 11:59:00Z')");
            s.execute("INSERT INTO fleet_cluster (id, name, state, since, reason, ack_until) VALUES (2, 'c2', 'DOWN', "
                    + "TIMESTAMP WITH TIME ZONE '2025-06-01 11:58:00Z', 'r', TIMESTAMP WITH TIME ZONE '2999-01-01 00:00:00Z')");
            s.execute("INSERT INTO fleet_cluster (id, name, state, since, reason) VALUES (3, 'c3', 'SPLIT', "
                    + "TIMESTAMP WITH TIME ZONE '2025-06-01 11:58:00Z', 'r')");
            s.execute("INSERT INTO fleet_ack (cluster_id, by_user, comment_text, at, until_at) VALUES (2, 'alice', "
                    + "'disk', TIMESTAMP WITH TIME ZONE '2025-06-01 11:58:00Z', TIMESTAMP WITH TIME ZONE "
                    + "'2999-01-01 00:00:00Z')");
        }

        AgroalDataSource pool = TestDatabases.h2(dir.resolve("fleet"), 2);
        try {
            // V3: SPLIT (0), DOWN acknowledged (2 + 1), OK (10), as the store ranks them.
            try (Connection c = pool.getConnection(); Statement s = c.createStatement();
                 java.sql.ResultSet rs = s.executeQuery("SELECT name, problem_rank FROM fleet_cluster ORDER BY id")) {
                java.util.Map<String, Integer> ranks = new java.util.LinkedHashMap<>();
                while (rs.next()) {
                    ranks.put(rs.getString(1), rs.getInt(2));
                }
                assertThat(ranks).containsExactly(java.util.Map.entry("c1", 10), java.util.Map.entry("c2", 3),
                        java.util.Map.entry("c3", 0));
            }
            JdbcFleetStore store = new JdbcFleetStore(pool, JdbcFleetStore.Dialect.H2, Duration.ofSeconds(35),
                    Duration.ofMinutes(10), 2);
            // The window read from the new column still covers now: a report shows the real state, in maintenance.
            assertThat(store.ingest(report("c1", "n1", 1, Status.RUNNING), T0).state())
                    .isEqualTo(io.hulftark.fleet.state.ClusterState.OK);
            assertThat(store.cluster("c1", 0, T0).orElseThrow().cluster().inMaintenance()).isTrue();
            assertThat(store.cluster("c1", 0, T0).orElseThrow().cluster().maintenanceUntil())
                    .isEqualTo(java.time.Instant.parse("2025-06-01T12:10:00Z"));
            // V8: the acknowledgement kept acknowledges the state its cluster was in, and the row says by whom.
            var c2 = store.cluster("c2", 0, T0).orElseThrow();
            assertThat(c2.cluster().acknowledgedBy()).isEqualTo("alice");
            assertThat(c2.acknowledgements()).singleElement().satisfies(a -> {
                assertThat(a.state()).isEqualTo(io.hulftark.fleet.state.ClusterState.DOWN);
                assertThat(a.sticky()).isFalse();
            });
        } finally {
            pool.close();
        }
    }
}
