package io.hulftark.fleet.store;

import io.agroal.api.AgroalDataSource;

/** Two fleet-view instances on one PostgreSQL (the server .ci/run starts): a schema of each test's own. */
class TwoInstancesPostgresTest extends TwoInstancesContract {

    private String schema;

    @Override
    protected AgroalDataSource pool() {
        if (schema == null) {
            schema = TestDatabases.newSchema();
        }
        return TestDatabases.postgres(schema, 6);
    }

    @Override
    protected JdbcFleetStore.Dialect dialect() {
        return JdbcFleetStore.Dialect.POSTGRESQL;
    }

    @Override
    protected void dropDatabase() {
        if (schema != null) {
            TestDatabases.dropSchema(schema);
            schema = null;
        }
    }
}
