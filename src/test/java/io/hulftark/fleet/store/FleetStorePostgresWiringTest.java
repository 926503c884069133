package io.hulftark.fleet.store;

import io.hulftark.wire.Status;
import io.hulftark.fleet.state.ClusterState;
import io.hulftark.fleet.view.ClusterQuery;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

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

    @Inject
    @io.quarkus.agroal.DataSource("postgresql")
    io.agroal.api.AgroalDataSource dataSource;

    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "quarkus.flyway.postgresql.locations")
    java.util.List<String> locations;

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

    @Test
    void flywayReadsTheSharedScriptsAndPostgresqlsOwn() throws Exception {
        assertThat(locations).isEqualTo(JdbcFleetStore.Dialect.POSTGRESQL.migrations());
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT MAX(version::int) FROM flyway_schema_history")) {
            rs.next();
            assertThat(rs.getInt(1)).as("V5 is PostgreSQL's own").isGreaterThanOrEqualTo(5);
        }
    }

    /**
     * A report's update of its cluster's row must be able to stay on its page (HOT): room in the page, and no
     * index on a column every report writes (only the state's rank, since and the name are indexed, and they
     * change with the state at most).
     */
    @Test
    void aReportWritesNoIndexedColumnAndFindsRoomInThePage() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            Set<String> indexed = new TreeSet<>();
            try (ResultSet rs = s.executeQuery("SELECT a.attname FROM pg_index i JOIN pg_attribute a "
                    + "ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) "
                    + "WHERE i.indrelid = 'fleet_cluster'::regclass")) {
                while (rs.next()) {
                    indexed.add(rs.getString(1));
                }
            }
            assertThat(indexed).containsExactlyInAnyOrder("id", "name", "problem_rank", "since");
            for (String table : new String[] {"fleet_cluster", "fleet_node"}) {
                try (ResultSet rs = s.executeQuery("SELECT reloptions::text FROM pg_class WHERE oid = '"
                        + table + "'::regclass")) {
                    rs.next();
                    assertThat(rs.getString(1)).as("storage options of %s", table).contains("fillfactor=");
                }
            }
        }
    }

    /** With the pool's settings, a deep page of 5,000 clusters is read from an index in every order, not sorted. */
    @Test
    void everyOrderOfADeepPageIsReadFromAnIndexNotSorted() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO fleet_cluster (name, state, since, reason, problem_rank) SELECT 'plan-' || g, "
                    + "'OK', now() - g * interval '1 s', 'r', 10 FROM generate_series(1, 5000) g");
            s.execute("ANALYZE fleet_cluster");
            JdbcFleetStore jdbc = new JdbcFleetStore(dataSource, JdbcFleetStore.Dialect.POSTGRESQL,
                    Duration.ofSeconds(35), Duration.ofMinutes(10), 2);
            try {
                for (ClusterQuery.Sort sort : ClusterQuery.Sort.values()) {
                    StringBuilder plan = new StringBuilder();
                    try (PreparedStatement ps = c.prepareStatement("EXPLAIN " + jdbc.pageSql("", sort))) {
                        ps.setInt(1, 50);
                        ps.setLong(2, 4900);
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                plan.append(rs.getString(1)).append('\n');
                            }
                        }
                    }
                    assertThat(plan.toString()).as("plan of the %s order", sort)
                            .contains("Index Scan using fleet_cluster_").doesNotContain("Sort");
                }
            } finally {
                s.execute("DELETE FROM fleet_cluster WHERE name LIKE 'plan-%'");
            }
        }
    }
}
