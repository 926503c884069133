package io.hulftark.fleet.actions.batch;

import io.agroal.api.AgroalDataSource;
import io.hulftark.fleet.store.JdbcFleetStore;
import io.hulftark.fleet.store.TestDatabases;

/** Batches on PostgreSQL (the server .ci/run starts): a schema of each test's own. */
class BatchPostgresTest extends BatchContract {

    private String schema;

    @Override
    protected AgroalDataSource pool() {
        schema = TestDatabases.newSchema();
        return TestDatabases.postgres(schema, 8);
    }

    @Override
    protected JdbcFleetStore.Dialect dialect() {
        return JdbcFleetStore.Dialect.POSTGRESQL;
    }

    @Override
    protected void dropDatabase() {
        TestDatabases.dropSchema(schema);
    }
}
