package io.hulftark.fleet.actions;

import io.agroal.api.AgroalDataSource;
import io.hulftark.fleet.store.JdbcFleetStore;
import io.hulftark.fleet.store.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

/** Fleet actions on PostgreSQL (the server .ci/run starts): a schema of this class's own, emptied before each test. */
class PostgresActionsTest extends ActionsContract {

    private static String schema;
    private final List<AgroalDataSource> pools = new ArrayList<>();

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
    protected DataSource open() {
        AgroalDataSource pool = (AgroalDataSource) reopen();
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE fleet_action_step, fleet_action RESTART IDENTITY CASCADE");
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
        TestDatabases.clean(pool, JdbcFleetStore.Dialect.POSTGRESQL);
        return pool;
    }

    @Override
    protected DataSource reopen() {
        AgroalDataSource pool = TestDatabases.postgres(schema, 8);
        pools.add(pool);
        return pool;
    }

    @Override
    protected JdbcFleetStore.Dialect dialect() {
        return JdbcFleetStore.Dialect.POSTGRESQL;
    }

    @Override
    protected void close() {
        pools.forEach(AgroalDataSource::close);
    }
}
