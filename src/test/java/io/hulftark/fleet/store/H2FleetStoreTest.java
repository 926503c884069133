package io.hulftark.fleet.store;

import io.agroal.api.AgroalDataSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

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
    protected FleetStore another() {
        return new JdbcFleetStore(pool, JdbcFleetStore.Dialect.H2, FRESH_FOR, java.time.Duration.ofMinutes(10), 2);
    }

    @Override
    protected FleetStore another(JdbcFleetStore.Readiness readiness) {
        return new JdbcFleetStore(pool, JdbcFleetStore.Dialect.H2, FRESH_FOR, java.time.Duration.ofMinutes(10), 2,
                readiness);
    }

    @Override
    protected javax.sql.DataSource dataSource() {
        return pool;
    }

    @Override
    protected void closeStore() {
        store.close();
        // The last connection closed closes the database: the file is all that is left.
        pool.close();
    }

    @org.junit.jupiter.api.Test
    void anInterruptedCallerDoesNotCloseTheDatabase() throws Exception {
        // H2's plain file: closes the whole database when a thread is interrupted in I/O; retry: reopens it.
        // A tiny cache makes the caller's own thread read the file all the time.
        closeStore();
        pool = TestDatabases.h2(dir.resolve("fleet"), 8, ";CACHE_SIZE=16");
        store = new JdbcFleetStore(pool, JdbcFleetStore.Dialect.H2, FRESH_FOR, java.time.Duration.ofMinutes(10), 2);
        Thread writer = new Thread(() -> {
            for (int i = 0; i < 3000; i++) {
                try {
                    store.ingest(report("c" + (i % 500), "n1", i, io.hulftark.wire.Status.RUNNING,
                            transition(i, T0.plusMillis(i), "event " + i)), T0.plusMillis(i));
                } catch (FleetStoreException e) {
                    // An interrupted statement may fail on its own; the database must live on.
                }
            }
        });
        writer.start();
        while (writer.isAlive()) {
            Thread.sleep(2);
            writer.interrupt();
        }
        assertThat(store.ingest(report("after", "n1", 1, io.hulftark.wire.Status.RUNNING), T0).state())
                .isEqualTo(io.hulftark.fleet.state.ClusterState.OK);
        assertThat(store.summary(T0).clusters()).isEqualTo(501);
        store = reopen();
        assertThat(store.summary(T0).clusters()).isEqualTo(501);
    }

    @org.junit.jupiter.api.Test
    void everyOrderOfTheClusterTableIsReadFromAnIndexNotSorted() throws Exception {
        for (int i = 0; i < 200; i++) {
            okCluster(String.format("c%03d", i), T0);
        }
        JdbcFleetStore jdbc = (JdbcFleetStore) store;
        for (io.hulftark.fleet.view.ClusterQuery.Sort sort : io.hulftark.fleet.view.ClusterQuery.Sort.values()) {
            try (java.sql.Connection c = pool.getConnection();
                 java.sql.PreparedStatement ps = c.prepareStatement("EXPLAIN " + jdbc.pageSql("", sort))) {
                ps.setInt(1, 50);
                ps.setLong(2, 100);
                try (java.sql.ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertThat(rs.getString(1)).as("plan of the %s order", sort).contains("/* index sorted */");
                }
            }
        }
        assertThat(names(store.clusters(new io.hulftark.fleet.view.ClusterQuery(java.util.Optional.empty(),
                java.util.Optional.empty(), io.hulftark.fleet.view.ClusterQuery.Sort.SINCE, 2, 50), T0)))
                .hasSize(50).startsWith("c100", "c101");
    }

    private FleetStore openPool() {
        pool = TestDatabases.h2(dir.resolve("fleet"), 8);
        return new JdbcFleetStore(pool, JdbcFleetStore.Dialect.H2, FRESH_FOR, java.time.Duration.ofMinutes(10), 2);
    }
}
