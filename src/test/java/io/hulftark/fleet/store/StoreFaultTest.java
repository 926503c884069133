package io.hulftark.fleet.store;

import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVStoreException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.AccessDeniedException;
import java.sql.SQLException;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Which failures of the store are "cannot take work for a while" (503, readiness DOWN) and which stay a 500. */
class StoreFaultTest {

    static Stream<Arguments> failures() {
        return Stream.of(
                // H2: a commit whose chunk cannot be written (as H2 2.4 reports it), then the database it closed
                Arguments.of("H2 disk full at commit", new SQLException("General error: \"org.h2.mvstore.MVStoreException: "
                        + "Writing to retry:/x/fleet.mv.db failed; length 8192 at 3125248 [2.4.240/2]\"", "HY000", 50000,
                        new RuntimeException("MVStoreException", new IOException("No space left on device"))),
                        StoreFault.Kind.DISK_FULL),
                Arguments.of("H2 disk full in a batch (the failure is the batch's next exception)", batch(
                        new SQLException("General error: \"org.h2.mvstore.MVStoreException: Writing to retry:/x/fleet.mv.db "
                                + "failed; length 8192 at 53248 [2.4.240/2]\"", "HY000", 50000,
                                DataUtils.newMVStoreException(DataUtils.ERROR_WRITING_FAILED, "Writing failed",
                                        new IOException("No space left on device")))), StoreFault.Kind.DISK_FULL),
                Arguments.of("H2's storage engine failing, told only in the general error's text", new SQLException(
                        "General error: \"org.h2.mvstore.MVStoreException: java.util.concurrent.ExecutionException: "
                                + "Writing to retry:/x failed; length 20480 at 7499776 [2.4.240/2] [2.4.240/3]\" [50000-240]",
                        "HY000", 50000), StoreFault.Kind.IO),
                Arguments.of("H2 database closed", new SQLException("The database has been closed [90098-240]", "90098",
                        90098), StoreFault.Kind.CLOSED),
                Arguments.of("H2 called at shutdown", new SQLException("Database is already closed", "90121", 90121),
                        StoreFault.Kind.CLOSED),
                Arguments.of("H2's storage engine closed, raised outside a statement", new MVStoreException(
                        DataUtils.ERROR_CLOSED, "This store is closed [2.4.240/4]"), StoreFault.Kind.CLOSED),
                Arguments.of("H2 cannot read a chunk back", new SQLException("General error", "HY000", 50000,
                        new MVStoreException(DataUtils.ERROR_FILE_CORRUPT, "Position 0 [2.4.240/6]")), StoreFault.Kind.IO),
                Arguments.of("H2 I/O error", new SQLException("IO Exception: \"/x\"", "90028", 90028), StoreFault.Kind.IO),
                Arguments.of("an I/O error under a general error", new SQLException("General error", "HY000", 50000,
                        new IOException("Input/output error")), StoreFault.Kind.IO),
                Arguments.of("permission denied", new SQLException("General error", "HY000", 50000,
                        new AccessDeniedException("/x/fleet.mv.db")), StoreFault.Kind.IO),
                Arguments.of("Windows disk full", new SQLException("General error", "HY000", 50000,
                        new IOException("There is not enough space on the disk")), StoreFault.Kind.DISK_FULL),
                // PostgreSQL
                Arguments.of("PostgreSQL disk full", new SQLException("could not extend file \"base/1/2\": No space left "
                        + "on device", "53100"), StoreFault.Kind.DISK_FULL),
                Arguments.of("PostgreSQL refused", new SQLException("Connection to 127.0.0.1:5 refused.", "08001", 0,
                        new ConnectException("Connection refused")), StoreFault.Kind.UNREACHABLE),
                Arguments.of("PostgreSQL connection broken", new SQLException("An I/O error occurred while sending to the "
                        + "backend.", "08006", 0, new IOException("Broken pipe")), StoreFault.Kind.UNREACHABLE),
                Arguments.of("PostgreSQL shutting down", new SQLException("terminating connection due to administrator "
                        + "command", "57P01"), StoreFault.Kind.UNREACHABLE),
                Arguments.of("PostgreSQL too many connections", new SQLException("sorry, too many clients already",
                        "53300"), StoreFault.Kind.UNREACHABLE),
                Arguments.of("PostgreSQL I/O error", new SQLException("could not read block", "58030"), StoreFault.Kind.IO),
                Arguments.of("wrapped in the store's exception", new FleetStoreException("fleet store: ingest failed",
                        new SQLException("x", "53100")), StoreFault.Kind.DISK_FULL));
    }

    /** A batch's failure as H2 reports it: the general error's code and text, the statement's failure as next. */
    private static SQLException batch(SQLException next) {
        java.sql.BatchUpdateException b = new java.sql.BatchUpdateException(next.getMessage(), next.getSQLState(),
                next.getErrorCode(), new int[0]);
        b.setNextException(next);
        return b;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void aStoreThatCannotWorkIsToldApart(String name, Throwable e, StoreFault.Kind kind) {
        assertThat(StoreFault.of(e)).as(name).map(StoreFault::kind).contains(kind);
        assertThat(StoreFault.of(e).orElseThrow().reason()).as("one line").doesNotContain("\n").isNotBlank();
    }

    static Stream<Arguments> ordinary() {
        return Stream.of(
                Arguments.of("a unique violation (retried elsewhere)", new SQLException("duplicate key", "23505")),
                Arguments.of("a deadlock", new SQLException("deadlock detected", "40P01")),
                Arguments.of("a syntax error: a bug", new SQLException("syntax error at or near", "42601")),
                Arguments.of("H2 lock timeout", new SQLException("Timeout trying to lock table", "HYT00", 50200)),
                Arguments.of("a bad JSON column", new SQLException("a JSON column of the fleet store does not parse")),
                Arguments.of("an H2 transaction's lock conflict", new SQLException("Concurrent update", "HYT00", 90131,
                        new MVStoreException(DataUtils.ERROR_TRANSACTION_LOCKED, "Map entry <1> is locked [2.4.240/101]"))),
                Arguments.of("not an SQL failure", new IllegalStateException("boom")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ordinary")
    void anOrdinaryFailureStaysOne(String name, Throwable e) {
        assertThat(StoreFault.of(e)).as(name).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void theStoreExceptionCarriesTheFault(String name, Throwable e, StoreFault.Kind kind) {
        SQLException sql = e instanceof SQLException s ? s : new SQLException("x", e);
        assertThat(Sql.failed("ingest of c1/n1", sql).fault()).as(name).map(StoreFault::kind).contains(kind);
    }

    @org.junit.jupiter.api.Test
    void theSentenceNamesWhatTheStoreCannotDo() {
        assertThat(StoreFault.diskFull().describe()).isEqualTo("cannot write: no space left on device");
        assertThat(new StoreFault(StoreFault.Kind.UNREACHABLE, "Connection refused").describe())
                .isEqualTo("cannot be reached: Connection refused");
    }
}
