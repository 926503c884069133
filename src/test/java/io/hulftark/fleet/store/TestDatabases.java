package io.hulftark.fleet.store;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;
import org.flywaydb.core.Flyway;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;

/**
 * Databases for the store's tests and benchmark, without Quarkus: a pool (Agroal, as in the product) on an H2 file
 * or on the PostgreSQL server .ci/run starts, migrated by Flyway from the product's own scripts.
 */
public final class TestDatabases {

    public static final String PG_URL = System.getProperty("hulftark.test.pg.url",
            "jdbc:postgresql://127.0.0.1:5432/hulftark_test");
    public static final String PG_USER = System.getProperty("hulftark.test.pg.user", "hulftark");
    public static final String PG_PASSWORD = System.getProperty("hulftark.test.pg.password", "hulftark");

    /**
     * The product's H2 URL options (application.properties, with its retry: file system), on a file of the test's;
     * all but CACHE_SIZE and DB_CLOSE_ON_EXIT, which only a long-running process needs (StoreOptionsTest checks).
     */
    public static final String H2_OPTIONS = ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH"
            + ";LOCK_TIMEOUT=10000;QUERY_CACHE_SIZE=64;TRACE_LEVEL_FILE=0";

    private TestDatabases() {
    }

    public static AgroalDataSource h2(Path file, int maxSize) {
        return h2(file, maxSize, "");
    }

    /** @param moreOptions e.g. ";CACHE_SIZE=16" */
    public static AgroalDataSource h2(Path file, int maxSize, String moreOptions) {
        AgroalDataSource ds = pool(System.getProperty("hulftark.test.h2.prefix", "jdbc:h2:retry:")
                + file.toAbsolutePath() + H2_OPTIONS + moreOptions, "sa", "", maxSize);
        migrate(ds, null, JdbcFleetStore.Dialect.H2);
        return ds;
    }

    /** A fresh schema of its own on the test server, so test classes never see each other's rows. */
    public static String newSchema() {
        return "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
    }

    /** A pool on {@code schema} (created and migrated); fails with one line when the server is unreachable. */
    public static AgroalDataSource postgres(String schema, int maxSize) {
        requirePostgres();
        String url = PG_URL + (PG_URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        AgroalDataSource ds = pool(url, PG_USER, PG_PASSWORD, maxSize);
        migrate(ds, schema, JdbcFleetStore.Dialect.POSTGRESQL);
        return ds;
    }

    public static void requirePostgres() {
        DriverManager.setLoginTimeout(5);
        try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, PG_PASSWORD)) {
            c.isValid(5);
        } catch (SQLException e) {
            throw new AssertionError("PostgreSQL at " + PG_URL + " (user " + PG_USER + ") is unreachable: "
                    + Sql.oneLine(e) + " (.ci/run starts it and creates the role and database)");
        }
    }

    public static void dropSchema(String schema) {
        try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, PG_PASSWORD);
             Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        } catch (SQLException e) {
            throw new AssertionError("cannot drop schema " + schema + ": " + Sql.oneLine(e));
        }
    }

    /** Empties every table of the store, ids back to 1. */
    public static void clean(javax.sql.DataSource ds, JdbcFleetStore.Dialect dialect) {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            if (dialect == JdbcFleetStore.Dialect.POSTGRESQL) {
                s.execute("TRUNCATE fleet_event, fleet_ack, fleet_maintenance, fleet_node, fleet_cluster "
                        + "RESTART IDENTITY CASCADE");
            } else {
                for (String t : new String[] {"fleet_event", "fleet_ack", "fleet_maintenance", "fleet_node",
                        "fleet_cluster"}) {
                    s.execute("DELETE FROM " + t);
                }
            }
        } catch (SQLException e) {
            throw new AssertionError("cannot clean the test database: " + Sql.oneLine(e));
        }
    }

    static void migrate(javax.sql.DataSource ds, String schema, JdbcFleetStore.Dialect dialect) {
        var config = Flyway.configure().dataSource(ds)
                .locations(dialect.migrations().stream().map(l -> "classpath:" + l).toArray(String[]::new));
        if (schema != null) {
            config = config.schemas(schema);
        }
        config.load().migrate();
    }

    static AgroalDataSource pool(String url, String user, String password, int maxSize) {
        try {
            return AgroalDataSource.from(new AgroalDataSourceConfigurationSupplier()
                    .connectionPoolConfiguration(p -> p.maxSize(maxSize).acquisitionTimeout(Duration.ofSeconds(10))
                            .connectionFactoryConfiguration(f -> f.jdbcUrl(url)
                                    .principal(new NamePrincipal(user)).credential(new SimplePassword(password)))));
        } catch (SQLException e) {
            throw new AssertionError("cannot open a pool on " + url + ": " + Sql.oneLine(e));
        }
    }
}
