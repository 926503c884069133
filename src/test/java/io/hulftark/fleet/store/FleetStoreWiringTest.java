package io.hulftark.fleet.store;

import io.agroal.api.AgroalDataSource;
import io.hulftark.wire.Status;
import io.hulftark.fleet.state.ClusterState;
import io.hulftark.fleet.view.FleetEvent;
import io.quarkus.agroal.DataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Quarkus wiring, as 'hulft-ark fleet' boots it on the embedded store: the datasource activated by a
 * property, Flyway run at start on an H2 file under the state directory, and the producer's store working.
 */
@QuarkusTest
@TestProfile(FleetStoreWiringTest.Embedded.class)
class FleetStoreWiringTest {

    // A directory per run: Flyway starts from an empty database, as on a first start.
    static final Path STATE_DIR = Path.of("target", "fleet-wiring-state", UUID.randomUUID().toString())
            .toAbsolutePath();

    public static class Embedded implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // H2 takes no implicitly relative path: the fleet command passes the state directory absolute too.
            return Map.of("quarkus.datasource.embedded.active", "true", "hulftark.state-dir", STATE_DIR.toString());
        }
    }

    @Inject
    FleetStore store;

    @Inject
    @DataSource("embedded")
    AgroalDataSource dataSource;

    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "quarkus.flyway.embedded.locations")
    java.util.List<String> locations;

    @Test
    void flywayReadsTheScriptsTheDialectNames() {
        assertThat(locations).isEqualTo(JdbcFleetStore.Dialect.H2.migrations());
    }

    @Test
    void flywayMigratedTheFileUnderTheStateDirAndTheStoreIngestsAndReadsBack() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT version, success FROM flyway_schema_history WHERE version = '1'")) {
            assertThat(rs.next()).as("Flyway's V1 is applied").isTrue();
            assertThat(rs.getBoolean("success")).isTrue();
        }
        assertThat(Files.exists(STATE_DIR.resolve("fleet").resolve("fleet.mv.db"))).isTrue();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT setting_value FROM information_schema.settings "
                     + "WHERE setting_name = 'info.CACHE_MAX_SIZE'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).as("MB of pages kept in memory").isEqualTo("64");
        }

        String cluster = "wiring-" + UUID.randomUUID();
        Instant now = Instant.now();
        IngestResult r = store.ingest(FleetStoreContract.report(cluster, "n1", 1, Status.RUNNING), now);

        assertThat(r.outcome()).isEqualTo(IngestResult.Outcome.ACCEPTED);
        assertThat(r.state()).isEqualTo(ClusterState.OK);
        var detail = store.cluster(cluster, 10, now).orElseThrow();
        assertThat(detail.cluster().serving()).containsExactly("HULFT@n1");
        assertThat(detail.history()).extracting(FleetEvent::kind).containsExactly("STATE", "NODE");
        assertThat(store.summary(now).byState().get(ClusterState.OK)).isPositive();
    }
}
