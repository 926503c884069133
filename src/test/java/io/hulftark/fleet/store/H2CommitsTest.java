package io.hulftark.fleet.store;

import io.agroal.api.AgroalDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a SIGKILL leaves of H2's file is what is on the file at that moment: a copy of it, opened on its own, shows
 * what a kill right after the commit returned would have kept. A long WRITE_DELAY makes H2's own background write
 * late enough that only the store's wait can have put the rows there.
 */
class H2CommitsTest {

    @TempDir
    Path dir;

    private static long rowsIn(Path copy) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:h2:" + copy.resolveSibling("copy").toAbsolutePath()
                + TestDatabases.H2_OPTIONS + ";ACCESS_MODE_DATA=r", "sa", "");
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM t")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private Path snapshot(String name) throws Exception {
        Path to = dir.resolve(name);
        Files.createDirectories(to);
        Files.copy(dir.resolve("db.mv.db"), to.resolve("copy.mv.db"));
        return to.resolve("copy.mv.db");
    }

    @Test
    void aCommitIsOnTheFileWhenTheTransactionReturns() throws Exception {
        try (AgroalDataSource ds = TestDatabases.pool("jdbc:h2:" + dir.resolve("db").toAbsolutePath()
                + TestDatabases.H2_OPTIONS + ";WRITE_DELAY=60000", "sa", "", 8)) {
            Sql.transaction(ds, "create", c -> {
                try (Statement s = c.createStatement()) {
                    s.execute("CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR)");
                }
                return null;
            });
            // Control: a plain commit is only in memory for now (H2 writes it up to a minute later).
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute("INSERT INTO t VALUES (0, 'plain')");
            }
            assertThat(rowsIn(snapshot("plain"))).as("a plain commit is not yet on the file").isZero();

            // Through the store's transaction, from many threads at once (one write serves those waiting).
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<?>> done = new ArrayList<>();
            for (int i = 1; i <= 200; i++) {
                int id = i;
                done.add(pool.submit(() -> Sql.transaction(ds, "insert", c -> {
                    try (Statement s = c.createStatement()) {
                        s.execute("INSERT INTO t VALUES (" + id + ", 'kept')");
                    }
                    return null;
                })));
            }
            for (Future<?> f : done) {
                f.get();
            }
            pool.shutdown();
            assertThat(rowsIn(snapshot("kept"))).as("every row whose transaction returned, and the plain one before")
                    .isEqualTo(201);
        }
    }
}
