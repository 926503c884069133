package io.hulftark.fleet.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

import javax.sql.DataSource;

/** JDBC plumbing of the store: instants in and out, and one transaction with retries of transient conflicts. */
final class Sql {

    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private static final int ATTEMPTS = 5;

    private Sql() {
    }

    /** Both databases keep microseconds; truncating first makes what is compared equal to what is stored. */
    static Instant micros(Instant t) {
        return t == null ? null : t.truncatedTo(ChronoUnit.MICROS);
    }

    static void setInstant(PreparedStatement ps, int i, Instant t) throws SQLException {
        if (t == null) {
            ps.setNull(i, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            ps.setObject(i, OffsetDateTime.ofInstant(micros(t), ZoneOffset.UTC));
        }
    }

    static Instant getInstant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    /**
     * Runs {@code work} in one transaction and commits it. A conflict with a concurrent writer (a deadlock, a
     * lost race to insert the same cluster, H2's concurrent update) rolls back and runs it again: every
     * piece of work starts by reading and locking, so running it again is safe.
     */
    static <T> T transaction(DataSource dataSource, String what, Work<T> work) {
        for (int attempt = 1; ; attempt++) {
            try (Connection c = dataSource.getConnection()) {
                boolean autoCommit = c.getAutoCommit();
                c.setAutoCommit(false);
                try {
                    T result = work.run(c);
                    c.commit();
                    H2Commits.awaitWritten(c); // on the file before anyone is told it is kept
                    restore(c, autoCommit, null);
                    return result;
                } catch (SQLException | RuntimeException | Error e) {
                    // A commit H2 could not write closes the database: the rollback and the reset fail too, and
                    // must not hide the first failure (no space left on device) behind "database closed".
                    rollback(c, e);
                    restore(c, autoCommit, e);
                    throw e;
                }
            } catch (SQLException e) {
                if (attempt < ATTEMPTS && transient_(e)) {
                    continue;
                }
                throw failed(what, e);
            }
        }
    }

    /** One statement that is its own transaction (committed when it returns), whatever the pool's default. */
    static <T> T autoCommitted(DataSource dataSource, String what, Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(true);
            T result;
            try {
                result = work.run(c);
            } catch (SQLException | RuntimeException | Error e) {
                restore(c, autoCommit, e);
                throw e;
            }
            restore(c, autoCommit, null);
            return result;
        } catch (SQLException e) {
            throw failed(what, e);
        }
    }

    /** A read: no transaction needed beyond the statement's own. */
    static <T> T read(DataSource dataSource, String what, Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw failed(what, e);
        }
    }

    /** One line naming the work and the database's reason; a full disk or a lost server is told apart (StoreFault). */
    static FleetStoreException failed(String what, SQLException e) {
        return new FleetStoreException("fleet store: " + what + " failed: " + oneLine(e), e);
    }

    private static void restore(Connection c, boolean autoCommit, Throwable failure) throws SQLException {
        try {
            c.setAutoCommit(autoCommit);
        } catch (SQLException e) {
            if (failure == null) {
                throw e;
            }
            failure.addSuppressed(e);
        }
    }

    private static void rollback(Connection c, Throwable cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private static boolean transient_(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        // 40001 serialization failure and H2's deadlock, 40P01 PostgreSQL's deadlock, 23505 a lost insert race,
        // H2's 90131 concurrent update. A lock timeout is not retried: it already waited long enough.
        return state.equals("40001") || state.equals("40P01") || state.equals("23505") || e.getErrorCode() == 90131;
    }

    static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
