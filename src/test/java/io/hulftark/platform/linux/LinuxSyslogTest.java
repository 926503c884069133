package io.hulftark.platform.linux;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hulftark.platform.EventLog.Level;
import io.hulftark.platform.ProcessCommandRunner;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** LinuxSyslog against a stand-in logger, run for real through ProcessCommandRunner. */
class LinuxSyslogTest {

    @TempDir
    Path tmp;

    private StandInProgram logger;
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private LinuxSyslog syslog;

    @BeforeEach
    void setUp() {
        logger = new StandInProgram(tmp, "logger");
        syslog = new LinuxSyslog(new ProcessCommandRunner(), logger.path(), "hulft-ark",
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"ERROR, user.err", "WARNING, user.warning", "INFORMATION, user.info"})
    void writesCodeAndTextWithThePriorityOfTheLevel(Level level, String priority) {
        syslog.write(level, 51050004, "Failed to start HULFT8 (code = 1)");

        assertEquals(List.of(List.of(logger.path(), "-t", "hulft-ark", "-p", priority, "--",
                "51050004 Failed to start HULFT8 (code = 1)")), logger.calls());
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void textIsOneArgumentNeverParsedByAShell() {
        syslog.write(Level.WARNING, 51050019, "-p $(reboot); `id` \"quoted\"\nsecond line");

        assertEquals("51050019 -p $(reboot); `id` \"quoted\" second line", logger.calls().get(0).get(6));
    }

    @Test
    void aFailingLoggerIsReportedOnceAndNeverThrows() {
        logger.answer("ANY", "logger: socket /dev/log: No such file or directory", 1);

        assertDoesNotThrow(() -> {
            syslog.write(Level.ERROR, 51050005, "HULFT8 is not running");
            syslog.write(Level.ERROR, 51050005, "HULFT8 is not running");
        });

        String said = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, said.lines().count(), said);
        assertTrue(said.contains("logger: socket /dev/log: No such file or directory"), said);
        assertEquals(2, logger.calls().size());
    }

    @Test
    void aMissingLoggerOrAThrowingRunnerNeverThrows() {
        LinuxSyslog missing = new LinuxSyslog(new ProcessCommandRunner(), tmp.resolve("no-logger").toString(),
                "hulft-ark", new PrintStream(err, true, StandardCharsets.UTF_8));
        LinuxSyslog throwing = new LinuxSyslog((argv, bound) -> {
            throw new IllegalStateException("boom");
        }, "logger", "hulft-ark", new PrintStream(err, true, StandardCharsets.UTF_8));

        assertDoesNotThrow(() -> missing.write(Level.ERROR, 1, "x"));
        assertDoesNotThrow(() -> throwing.write(Level.ERROR, 1, "x"));
        assertEquals(2, err.toString(StandardCharsets.UTF_8).lines().count());
    }
}
