package io.hulftark.fleet.store;

import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVStoreException;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.file.AccessDeniedException;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.Optional;

/**
 * Why the store cannot take work for a while, told apart from a fault of one request: its disk is full or
 * fails, its database was closed by such a failure, or its server cannot be reached. These answer 503 and make
 * readiness DOWN until a probe finds the store writable again; everything else stays a 500.
 *
 * @param reason one line for the problem body, the log and readiness, e.g. "no space left on device"
 */
public record StoreFault(Kind kind, String reason) {

    public enum Kind {
        /** The disk under the store is full (H2's file, PostgreSQL's data or WAL). */
        DISK_FULL,
        /** Reading or writing the store's file failed otherwise (I/O error, read-only file system, permissions). */
        IO,
        /** H2 closed the database after a failed write; the next connection opens it again. */
        CLOSED,
        /** The database server cannot be reached, is shutting down or refuses connections for now. */
        UNREACHABLE
    }

    // H2's error codes (org.h2.api.ErrorCode), by number: the driver is not on the agent's side of the code.
    private static final int H2_DATABASE_IS_CLOSED = 90098;
    private static final int H2_DATABASE_CALLED_AT_SHUTDOWN = 90121;
    private static final int H2_IO_EXCEPTION_1 = 90028;
    private static final int H2_IO_EXCEPTION_2 = 90031;
    private static final int H2_FILE_CORRUPTED = 90030;
    private static final int H2_DATABASE_IS_READ_ONLY = 90097;
    private static final int H2_DATABASE_ALREADY_OPEN = 90020;
    private static final int H2_GENERAL_ERROR = 50000;

    /** The fault behind {@code e}, or empty when it is an ordinary failure of the request. */
    public static Optional<StoreFault> of(Throwable e) {
        // The database's own word first (PostgreSQL's SQLState, H2's error code), then the cause chain: H2 wraps an
        // IOException "No space left on device" in an MVStoreException in a "General error" (50000).
        List<Throwable> chain = chain(e);
        for (Throwable t : chain) {
            if (t instanceof SQLException sql) {
                Optional<StoreFault> f = ofSql(sql);
                if (f.isPresent()) {
                    return f;
                }
            }
        }
        for (Throwable t : chain) {
            if (t instanceof ConnectException || t instanceof UnknownHostException) {
                return Optional.of(new StoreFault(Kind.UNREACHABLE, oneLine(t)));
            }
            if (t instanceof IOException io) {
                return Optional.of(noSpace(io.getMessage()) ? diskFull()
                        : new StoreFault(Kind.IO, io instanceof AccessDeniedException
                        ? "permission denied: " + oneLine(io) : oneLine(io)));
            }
        }
        // H2's storage engine failing without an I/O cause (closed after an earlier failed write, a chunk it cannot
        // read back): the file, not the request, is at fault; the probe reopens the database when it can.
        for (Throwable t : chain) {
            // Codes from 100 on are a transaction's own conflicts (locks, deadlocks): the request's, not the file's.
            if (t instanceof MVStoreException mv && mv.getErrorCode() < 100
                    && mv.getErrorCode() != DataUtils.ERROR_SERIALIZATION) {
                return Optional.of(mv.getErrorCode() == DataUtils.ERROR_CLOSED
                        ? new StoreFault(Kind.CLOSED, "the database was closed after a failed write")
                        : new StoreFault(Kind.IO, "storage engine: " + oneLine(mv)));
            }
        }
        // Last, H2's "General error" around its storage engine's failure when the engine's exception itself was
        // lost on the way (a pool that logged and rethrew the message only): its text is all there is.
        for (Throwable t : chain) {
            if (t instanceof SQLException sql && sql.getErrorCode() == H2_GENERAL_ERROR && sql.getMessage() != null
                    && sql.getMessage().contains("MVStoreException")) {
                return Optional.of(noSpace(sql.getMessage()) ? diskFull()
                        : sql.getMessage().contains("/" + DataUtils.ERROR_CLOSED + "]")
                        ? new StoreFault(Kind.CLOSED, "the database was closed after a failed write")
                        : new StoreFault(Kind.IO, "storage engine: " + oneLine(sql)));
            }
        }
        return Optional.empty();
    }

    /**
     * Every throwable behind {@code e}: causes, a batch's next exceptions (H2's JdbcBatchUpdateException carries the
     * statement's real failure there, under the general error code 50000, not as its cause) and suppressed ones,
     * breadth first, each once.
     */
    static List<Throwable> chain(Throwable e) {
        List<Throwable> out = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Throwable> todo = new ArrayDeque<>();
        if (e != null) {
            todo.add(e);
        }
        while (!todo.isEmpty() && out.size() < 64) {
            Throwable t = todo.poll();
            if (!seen.add(t)) {
                continue;
            }
            out.add(t);
            if (t.getCause() != null) {
                todo.add(t.getCause());
            }
            if (t instanceof SQLException sql && sql.getNextException() != null) {
                todo.add(sql.getNextException());
            }
            todo.addAll(Arrays.asList(t.getSuppressed()));
        }
        return out;
    }

    private static Optional<StoreFault> ofSql(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        int code = e.getErrorCode();
        if (state.equals("53100") || noSpace(e.getMessage())) { // PostgreSQL's disk_full
            return Optional.of(diskFull());
        }
        if (state.equals("58030")) { // PostgreSQL's io_error
            return Optional.of(new StoreFault(Kind.IO, oneLine(e)));
        }
        if (code == H2_DATABASE_IS_CLOSED || code == H2_DATABASE_CALLED_AT_SHUTDOWN) {
            return Optional.of(new StoreFault(Kind.CLOSED, "the database was closed after a failed write"));
        }
        if (code == H2_IO_EXCEPTION_1 || code == H2_IO_EXCEPTION_2 || code == H2_FILE_CORRUPTED
                || code == H2_DATABASE_IS_READ_ONLY || code == H2_DATABASE_ALREADY_OPEN) {
            return Optional.of(new StoreFault(Kind.IO, oneLine(e)));
        }
        // 08: connection exceptions (refused, broken, closed); 57P01-57P03: the server shuts down or cannot
        // take connections yet; 53300: too many connections; 53000/53200: out of resources (memory).
        if (state.startsWith("08") || state.startsWith("57P") || state.startsWith("53")) {
            return Optional.of(new StoreFault(Kind.UNREACHABLE, oneLine(e)));
        }
        return Optional.empty();
    }

    static StoreFault diskFull() {
        return new StoreFault(Kind.DISK_FULL, "no space left on device");
    }

    private static boolean noSpace(String message) {
        String m = message == null ? "" : message.toLowerCase(Locale.ROOT);
        // Linux and macOS ENOSPC, Windows ERROR_DISK_FULL ("There is not enough space on the disk"), quota.
        return m.contains("no space left") || m.contains("not enough space") || m.contains("disk quota exceeded")
                || m.contains("could not extend file");
    }

    /** What the store cannot do, after where it is: "cannot write: no space left on device". */
    public String describe() {
        return switch (kind) {
            case DISK_FULL, IO -> "cannot write: " + reason;
            case CLOSED -> "is closed: " + reason;
            case UNREACHABLE -> "cannot be reached: " + reason;
        };
    }

    private static String oneLine(Throwable e) {
        return Sql.oneLine(e);
    }
}
