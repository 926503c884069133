package io.hulftark.fleet.store;

import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Makes an H2 commit reach the file before the caller answers, as a group commit. H2 (MVStore) commits in memory
 * and writes the changes up to WRITE_DELAY later in the background; a SIGKILL lost what was answered in that time.
 * {@code WRITE_DELAY=0} writes a chunk per commit instead, which cost most of the ingest rate and grew the file by
 * gigabytes (each chunk is kept for RETENTION_TIME, 45 s) and stopped H2's background compaction.
 *
 * <p>Here a committed transaction waits until one store of the MVStore that began after its commit has been
 * written: one thread writes for everyone who committed before it began, the others wait for it. The write goes
 * through MVStore's single-threaded serialization and save queues behind every background write that was
 * pending, so it is on the file (not fsynced) when it returns. A failed write (a full disk) fails every waiter.
 */
final class H2Commits {

    /** One per open database: a reopened one (after a failed write) gets a new MVStore. */
    private static final Map<MVStore, H2Commits> BY_STORE = Collections.synchronizedMap(new WeakHashMap<>());
    private static final String MARKER_MAP = "hulftark.commits";

    private final MVStore store;
    private final MVMap<String, Long> marker;
    private long requested;
    private long written;
    private long failedUpTo;
    private Throwable failure;
    private boolean writing;

    private H2Commits(MVStore store) {
        this.store = store;
        this.marker = store.openMap(MARKER_MAP);
    }

    /** After {@code c.commit()}: returns once that commit is on the file; nothing to do for another database. */
    static void awaitWritten(Connection c) throws SQLException {
        if (!c.isWrapperFor(JdbcConnection.class)
                || !(c.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal session)) {
            return;
        }
        MVStore store = session.getDatabase().getStore().getMvStore();
        if (store == null || store.getFileStore() == null || store.getAutoCommitDelay() == 0) {
            return; // in memory, or WRITE_DELAY=0: H2 wrote the commit before it returned
        }
        H2Commits commits;
        try {
            commits = BY_STORE.computeIfAbsent(store, H2Commits::new);
        } catch (RuntimeException e) {
            throw failed(store, e);
        }
        commits.await();
    }

    private void await() throws SQLException {
        long ticket;
        long target;
        synchronized (this) {
            ticket = ++requested;
            while (true) {
                if (written >= ticket) {
                    return;
                }
                if (failedUpTo >= ticket) {
                    throw failed(store, failure);
                }
                if (!writing) {
                    writing = true;
                    target = requested; // every commit that asked so far is in memory: this write takes them all
                    break;
                }
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SQLException("interrupted while the commit was written", "HY008", e);
                }
            }
        }
        Throwable error = null;
        try {
            marker.put("written", target); // a change of our own, so the store writes even if the background took the rest
            store.commit();
        } catch (RuntimeException | Error e) {
            error = e;
        } finally {
            synchronized (this) {
                writing = false;
                if (error == null) {
                    written = Math.max(written, target);
                } else {
                    failedUpTo = Math.max(failedUpTo, target);
                    failure = error;
                }
                notifyAll();
            }
        }
        if (error != null) {
            throw failed(store, error);
        }
    }

    private static SQLException failed(MVStore store, Throwable e) {
        if (store.isClosed() && StoreFault.of(e).isEmpty()) {
            return new SQLException("The database has been closed", "90098", 90098, e);
        }
        return new SQLException("writing the commit to the file failed: " + Sql.oneLine(e), "HY000", 50000, e);
    }
}
