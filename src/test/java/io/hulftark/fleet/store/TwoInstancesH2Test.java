package io.hulftark.fleet.store;

import io.agroal.api.AgroalDataSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/**
 * Two stores on one embedded database, each with its own pool: not a deployment (one process owns the file),
 * but each store's short path for heartbeats then meets the other's writes all the time, under H2's locking.
 */
class TwoInstancesH2Test extends TwoInstancesContract {

    @TempDir
    Path dir;

    @Override
    protected AgroalDataSource pool() {
        return TestDatabases.h2(dir.resolve("fleet"), 6);
    }

    @Override
    protected JdbcFleetStore.Dialect dialect() {
        return JdbcFleetStore.Dialect.H2;
    }
}
