package io.hulftark.fleet.store;

import io.agroal.api.AgroalDataSource;
import io.hulftark.fleet.state.ClusterState;
import io.hulftark.fleet.state.Maintenance;
import io.hulftark.fleet.view.ClusterSnapshotRow;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static io.hulftark.wire.Status.RUNNING;
import static io.hulftark.wire.Status.STOPPED;
import static io.hulftark.fleet.store.FleetStoreContract.FRESH_FOR;
import static io.hulftark.fleet.store.FleetStoreContract.T0;
import static io.hulftark.fleet.store.FleetStoreContract.report;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code FleetStore.snapshot}, the metrics' one read per scrape, on both databases: what each row says. */
class FleetSnapshotTest {

    @TempDir
    Path dir;

    private AgroalDataSource pool;
    private String schema;

    private FleetStore open(JdbcFleetStore.Dialect dialect) {
        if (dialect == JdbcFleetStore.Dialect.H2) {
            pool = TestDatabases.h2(dir.resolve("fleet"), 4);
        } else {
            schema = TestDatabases.newSchema();
            pool = TestDatabases.postgres(schema, 4);
        }
        return new JdbcFleetStore(pool, dialect, FRESH_FOR, Duration.ofMinutes(10), 2);
    }

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
    void everyClusterWithItsSilentNodesAsOfNow(JdbcFleetStore.Dialect dialect) {
        FleetStore store = open(dialect);
        Instant now = T0.plusSeconds(60);
        assertThat(store.snapshot(now)).isEmpty();
        // ok: both nodes fresh. silent: n2's last report is 60 s old (fresh for 35 s). down: nobody serves, acked.
        // forgot: its silent n2 is forgotten, so it counts no more. window: in a maintenance window.
        store.ingest(report("ok", "n1", 1, RUNNING), now);
        store.ingest(report("ok", "n2", 1, STOPPED), now);
        store.ingest(report("silent", "n2", 1, STOPPED), T0);
        store.ingest(report("silent", "n1", 1, RUNNING), now);
        store.ingest(report("down", "n1", 1, STOPPED), now);
        store.ingest(report("down", "n2", 1, STOPPED), now);
        store.acknowledge("down", "otto", "on it", now.plusSeconds(3600), false, now);
        store.ingest(report("forgot", "n2", 1, STOPPED), T0);
        store.ingest(report("forgot", "n1", 1, RUNNING), now);
        store.forgetNode("forgot", "n2", "otto", now);
        store.ingest(report("window", "n1", 1, RUNNING), now);
        store.addMaintenance("window", new Maintenance(now.minusSeconds(1), now.plusSeconds(3600), "patching"), "otto", now);

        Map<String, ClusterSnapshotRow> rows = store.snapshot(now).stream()
                .collect(Collectors.toMap(r -> r.row().name(), Function.identity()));

        assertThat(rows.keySet()).containsExactlyInAnyOrder("ok", "silent", "down", "forgot", "window");
        assertThat(rows.get("ok").row().state()).isEqualTo(ClusterState.OK);
        assertThat(rows.get("ok").silentNodes()).isZero();
        assertThat(rows.get("ok").row().lastReportAt()).isEqualTo(now);
        assertThat(rows.get("silent").silentNodes()).isEqualTo(1);
        assertThat(rows.get("silent").row().state()).isEqualTo(ClusterState.DEGRADED);
        assertThat(rows.get("down").row().state()).isEqualTo(ClusterState.DOWN);
        assertThat(rows.get("down").row().acknowledged()).isTrue();
        assertThat(rows.get("down").row().problems()).isPositive();
        assertThat(rows.get("forgot").silentNodes()).isZero();
        assertThat(rows.get("window").row().inMaintenance()).isTrue();
        assertThat(rows.get("window").row().state()).as("the real state, marked").isEqualTo(ClusterState.OK);
        // The same fleet as the summary counts it.
        assertThat(rows.values().stream().filter(r -> r.row().state() == ClusterState.OK).count())
                .isEqualTo((long) store.summary(now).byState().get(ClusterState.OK));
        // Time alone makes a node silent: 36 s later nobody of "ok" is fresh.
        assertThat(store.snapshot(now.plusSeconds(36)).stream().filter(r -> r.row().name().equals("ok"))
                .findFirst().orElseThrow().silentNodes()).isEqualTo(2);
    }
}
