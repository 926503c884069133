package io.hulftark.fleet.notify;

import io.agroal.api.AgroalDataSource;
import io.hulftark.fleet.store.JdbcFleetStore;
import io.hulftark.fleet.store.TestDatabases;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Notifications on the embedded store (an H2 file of the test's own). */
class NotificationsH2Test extends NotificationsContract {

    private Path dir;

    @Override
    protected AgroalDataSource pool() {
        try {
            if (dir == null) {
                Files.createDirectories(Path.of("target"));
                dir = Files.createTempDirectory(Path.of("target"), "notify-h2");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return TestDatabases.h2(dir.resolve("fleet"), 8);
    }

    @Override
    protected JdbcFleetStore.Dialect dialect() {
        return JdbcFleetStore.Dialect.H2;
    }

    @Override
    protected void dropDatabase() {
        dir = null;
    }
}
