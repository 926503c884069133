package io.hulftark.fleet.store;

import io.agroal.api.AgroalDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.time.Duration;

import javax.sql.DataSource;

/** The inventory's contract on PostgreSQL: a schema of this class's own, emptied before each test. */
class PostgresInventoryTest extends InventoryContract {

    private static String schema;
    private AgroalDataSource pool;

    @BeforeAll
    static void createSchema() {
        schema = TestDatabases.newSchema();
    }

    @AfterAll
    static void dropSchema() {
        if (schema != null) {
            TestDatabases.dropSchema(schema);
        }
    }

    @Override
    protected FleetStore openEmpty() {
        pool = TestDatabases.postgres(schema, 8);
        TestDatabases.clean(pool, JdbcFleetStore.Dialect.POSTGRESQL);
        return new JdbcFleetStore(pool, JdbcFleetStore.Dialect.POSTGRESQL, FRESH_FOR, Duration.ofMinutes(10), 2);
    }

    @Override
    protected DataSource dataSource() {
        return pool;
    }

    @Override
    protected JdbcFleetStore.Dialect dialect() {
        return JdbcFleetStore.Dialect.POSTGRESQL;
    }

    @Override
    protected void closeStore() {
        store.close();
        pool.close();
    }
}
