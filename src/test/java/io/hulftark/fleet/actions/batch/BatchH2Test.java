package io.hulftark.fleet.actions.batch;

import io.agroal.api.AgroalDataSource;
import io.hulftark.fleet.store.JdbcFleetStore;
import io.hulftark.fleet.store.TestDatabases;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** Batches on the embedded store: an H2 file of each test's own. */
class BatchH2Test extends BatchContract {

    @TempDir
    Path dir;

    @Override
    protected AgroalDataSource pool() {
        return TestDatabases.h2(dir.resolve("fleet"), 8);
    }

    @Override
    protected JdbcFleetStore.Dialect dialect() {
        return JdbcFleetStore.Dialect.H2;
    }

    @Override
    protected void dropDatabase() {
    }
}
