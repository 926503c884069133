package io.hulftark.fleet.metrics;

import io.agroal.api.AgroalDataSource;
import io.hulftark.fleet.store.FleetStore;
import io.hulftark.fleet.store.JdbcFleetStore;
import io.hulftark.fleet.store.TestDatabases;
import io.hulftark.fleet.view.ClusterSnapshotRow;
import io.hulftark.wire.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The snapshot's drift and readiness counts on both databases: read from the cluster row in the scrape's one
 * statement. Ingest keeps the columns with each derivation; here they are set with plain SQL, so this test is about
 * the read alone.
 */
class SnapshotCountsTest {

    @TempDir
    Path dir;

    private AgroalDataSource pool;
    private String schema;

    @AfterEach
    void close() {
        if (pool != null) {
            pool.close();
        }
        if (schema != null) {
            TestDatabases.dropSchema(schema);
        }
    }

    @ParameterizedTest
    @EnumSource(JdbcFleetStore.Dialect.class)
    void theCountsOfEachClusterRowAreInTheSnapshot(JdbcFleetStore.Dialect dialect) throws SQLException {
        if (dialect == JdbcFleetStore.Dialect.H2) {
            pool = TestDatabases.h2(dir.resolve("fleet"), 2);
        } else {
            schema = TestDatabases.newSchema();
            pool = TestDatabases.postgres(schema, 2);
        }
        FleetStore store = new JdbcFleetStore(pool, dialect, Duration.ofSeconds(35), Duration.ofMinutes(10), 2);
        Instant now = Instant.now();
        for (String cluster : new String[] {"drifting", "clean"}) {
            store.ingest(FleetMetricsTest.report(cluster, "n1", 1, Status.RUNNING), now);
            store.ingest(FleetMetricsTest.report(cluster, "n2", 1, Status.STOPPED), now);
        }
        assertThat(store.snapshot(now)).allSatisfy(r -> {
            assertThat(r.drift()).as("a new cluster drifts in nothing").isZero();
            assertThat(r.readinessFailures()).isZero();
        });
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE fleet_cluster SET drift_count = 3, readiness_failures = 2 WHERE name = ?")) {
            ps.setString(1, "drifting");
            assertThat(ps.executeUpdate()).isOne();
            if (!c.getAutoCommit()) {
                c.commit();
            }
        }

        Map<String, ClusterSnapshotRow> rows = store.snapshot(now).stream()
                .collect(Collectors.toMap(r -> r.row().name(), Function.identity()));
        assertThat(rows.get("drifting").drift()).isEqualTo(3);
        assertThat(rows.get("drifting").readinessFailures()).isEqualTo(2);
        assertThat(rows.get("clean").drift()).isZero();
        assertThat(rows.get("clean").readinessFailures()).isZero();
    }
}
