package io.hulftark.fleet.store;

import io.hulftark.agent.Status;
import io.hulftark.fleet.state.ClusterState;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Quarkus wiring on PostgreSQL, as 'hulft-ark fleet' boots it with hulftark.fleet.store=postgresql: the
 * postgresql datasource activated by a property, Flyway run at start (here into a schema of the test's own).
 */
@QuarkusTest
@TestProfile(FleetStorePostgresWiringTest.Postgres.class)
class FleetStorePostgresWiringTest {

    static final String SCHEMA = TestDatabases.newSchema();

    public static class Postgres implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            TestDatabases.requirePostgres();
            String url = TestDatabases.PG_URL + (TestDatabases.PG_URL.contains("?") ? "&" : "?")
                    + "currentSchema=" + SCHEMA;
            return Map.of("hulftark.fleet.store", "postgresql",
                    "quarkus.datasource.postgresql.active", "true",
                    "quarkus.datasource.postgresql.jdbc.url", url,
                    "quarkus.datasource.postgresql.username", TestDatabases.PG_USER,
                    "quarkus.datasource.postgresql.password", TestDatabases.PG_PASSWORD,
                    "quarkus.flyway.postgresql.schemas", SCHEMA);
        }
    }

    @Inject
    FleetStore store;

    @AfterAll
    static void dropSchema() {
        TestDatabases.dropSchema(SCHEMA);
    }

    @Test
    void flywayMigratedAndTheStoreIngestsAndReadsBack() {
        Instant now = Instant.now();
        IngestResult r = store.ingest(FleetStoreContract.report("pg-wiring", "n1", 1, Status.RUNNING), now);

        assertThat(r.state()).isEqualTo(ClusterState.OK);
        assertThat(store.toString()).isEqualTo("JdbcFleetStore[POSTGRESQL]");
        assertThat(store.summary(now).clusters()).isEqualTo(1);
        assertThat(store.cluster("pg-wiring", 5, now).orElseThrow().nodes()).hasSize(1);
    }
}
