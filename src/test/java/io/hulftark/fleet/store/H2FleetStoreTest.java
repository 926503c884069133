package io.hulftark.fleet.store;

import io.agroal.api.AgroalDataSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The store's contract on the embedded database: an H2 file of its own per test, closed and reopened. */
class H2FleetStoreTest extends FleetStoreContract {

    @TempDir
    Path dir;

    private AgroalDataSource pool;

    @Override
    protected FleetStore openEmpty() {
        return openPool();
    }

    @Override
    protected FleetStore reopen() {
        closeStore();
        return openPool();
    }

    @Override
    protected void closeStore() {
        store.close();
        // The last connection closed closes the database: the file is all that is left.
        pool.close();
    }

    private FleetStore openPool() {
        pool = TestDatabases.h2(dir.resolve("fleet"), 8);
        return new JdbcFleetStore(pool, JdbcFleetStore.Dialect.H2, FRESH_FOR, java.time.Duration.ofMinutes(10), 2);
    }
}
