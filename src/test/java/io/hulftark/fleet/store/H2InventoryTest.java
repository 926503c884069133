package io.hulftark.fleet.store;

import io.agroal.api.AgroalDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import javax.sql.DataSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The inventory's contract on the embedded database: an H2 file of its own per test. */
class H2InventoryTest extends InventoryContract {

    @TempDir
    Path dir;

    private AgroalDataSource pool;

    @Override
    protected FleetStore openEmpty() {
        pool = TestDatabases.h2(dir.resolve("fleet"), 8);
        return new JdbcFleetStore(pool, JdbcFleetStore.Dialect.H2, FRESH_FOR, Duration.ofMinutes(10), 2);
    }

    @Override
    protected DataSource dataSource() {
        return pool;
    }

    @Override
    protected JdbcFleetStore.Dialect dialect() {
        return JdbcFleetStore.Dialect.H2;
    }

    @Override
    protected void closeStore() {
        store.close();
        pool.close();
    }

    @Test
    void theGuardedStoreAnswersAsTheStoreItGuards() {
        GuardedFleetStore guarded = new GuardedFleetStore(store, new StoreAvailability("test", java.time.Clock.systemUTC()), () -> { }, () -> { });
        assertThat(guarded.inventory(q().build(), NOW)).isEqualTo(store.inventory(q().build(), NOW));
        assertThat(guarded.inventoryCounts()).isEqualTo(store.inventoryCounts());
        java.util.List<String> exported = new java.util.ArrayList<>();
        guarded.exportInventory(q().build(), NOW, n -> exported.add(n.node()));
        assertThat(exported).containsExactly("a1", "a2", "b1", "b2");
    }
}
