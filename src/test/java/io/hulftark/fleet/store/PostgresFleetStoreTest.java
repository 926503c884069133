package io.hulftark.fleet.store;

import io.agroal.api.AgroalDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.time.Duration;

/**
 * The store's contract on PostgreSQL (the server .ci/run starts; hulftark.test.pg.url/.user/.password): a
 * schema of this class's own, emptied before each test. An unreachable server fails every test with the reason.
 */
class PostgresFleetStoreTest extends FleetStoreContract {

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
        FleetStore s = openPool();
        TestDatabases.clean(pool, JdbcFleetStore.Dialect.POSTGRESQL);
        return s;
    }

    @Override
    protected FleetStore reopen() {
        closeStore();
        return openPool();
    }

    @Override
    protected FleetStore another() {
        return new JdbcFleetStore(pool, JdbcFleetStore.Dialect.POSTGRESQL, FRESH_FOR, java.time.Duration.ofMinutes(10), 2);
    }

    @Override
    protected FleetStore another(JdbcFleetStore.Readiness readiness) {
        return new JdbcFleetStore(pool, JdbcFleetStore.Dialect.POSTGRESQL, FRESH_FOR, Duration.ofMinutes(10), 2,
                readiness);
    }

    @Override
    protected javax.sql.DataSource dataSource() {
        return pool;
    }

    @Override
    protected void closeStore() {
        store.close();
        pool.close();
    }

    private FleetStore openPool() {
        pool = TestDatabases.postgres(schema, 8);
        return new JdbcFleetStore(pool, JdbcFleetStore.Dialect.POSTGRESQL, FRESH_FOR, Duration.ofMinutes(10), 2);
    }
}
