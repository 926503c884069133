package io.hulftark.fleet.actions;

import io.agroal.api.AgroalDataSource;
import io.hulftark.fleet.store.JdbcFleetStore;
import io.hulftark.fleet.store.TestDatabases;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

/** Fleet actions on the embedded database: an H2 file of each test's own. */
class H2ActionsTest extends ActionsContract {

    @TempDir
    Path dir;

    private final List<AgroalDataSource> pools = new ArrayList<>();

    @Override
    protected DataSource open() {
        return reopen();
    }

    @Override
    protected DataSource reopen() {
        AgroalDataSource pool = TestDatabases.h2(dir.resolve("fleet"), 8);
        pools.add(pool);
        return pool;
    }

    @Override
    protected JdbcFleetStore.Dialect dialect() {
        return JdbcFleetStore.Dialect.H2;
    }

    @Override
    protected void close() {
        pools.forEach(AgroalDataSource::close);
    }
}
