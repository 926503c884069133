package io.hulftark.platform.windows;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hulftark.platform.EventLog.Level;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class WindowsEventLogTest {

    record Event(int type, int eventId, String text) {
    }

    /** An event log in memory, with failures on demand. */
    static final class FakeEventLog implements EventLogApi {
        record S(String name, int id) implements Source {
        }

        final List<String> registered = new ArrayList<>();
        final List<Source> deregistered = new ArrayList<>();
        final List<Event> events = new ArrayList<>();
        Throwable failRegister;
        Throwable failReport;

        @Override
        public Source registerEventSource(String sourceName) throws Win32Error {
            throwIf(failRegister);
            registered.add(sourceName);
            return new S(sourceName, registered.size());
        }

        @Override
        public void reportEvent(Source source, int type, int eventId, String text) throws Win32Error {
            throwIf(failReport);
            if (deregistered.contains(source)) {
                throw new AssertionError("reported on a deregistered source");
            }
            events.add(new Event(type, eventId, text));
        }

        @Override
        public void deregisterEventSource(Source source) {
            deregistered.add(source);
        }

        private static void throwIf(Throwable t) throws Win32Error {
            if (t instanceof Win32Error e) {
                throw e;
            } else if (t instanceof RuntimeException e) {
                throw e;
            } else if (t instanceof Error e) {
                throw e;
            }
        }
    }

    final FakeEventLog api = new FakeEventLog();
    final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

    private WindowsEventLog log(String source) {
        return new WindowsEventLog(api, source, err);
    }

    private String err() {
        return errBytes.toString(StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "{0} -> event type {1}")
    @CsvSource({"ERROR, 1", "WARNING, 2", "INFORMATION, 4"})
    void levelBecomesEventTypeAndCodeBecomesEventId(Level level, int type) {
        log("hulft-ark").write(level, 51050002, "Failed to stop HULFT8 Service (code = 1)");
        assertEquals(List.of(new Event(type, 2, "51050002 Failed to stop HULFT8 Service (code = 1)")), api.events);
        assertEquals("", err());
    }

    @Test
    void theSourceIsRegisteredOnceOnFirstWriteAndReleasedOnClose() {
        WindowsEventLog log = log("hulft-ark-prod");
        assertTrue(api.registered.isEmpty(), "nothing is registered before the first write");
        log.write(Level.WARNING, 51050000, "HULFT8 Service : Changed the startup type to demand");
        log.write(Level.ERROR, 51050005, "HULFT8 Service is not running");
        assertEquals(List.of("hulft-ark-prod"), api.registered);
        assertEquals(2, api.events.size());
        log.close();
        assertEquals(List.of(new FakeEventLog.S("hulft-ark-prod", 1)), api.deregistered);
        log.close();
        assertEquals(1, api.deregistered.size(), "a second close does nothing");
    }

    @Test
    void closeWithoutAWriteRegistersNothing() {
        log(null).close();
        assertTrue(api.registered.isEmpty());
        assertTrue(api.deregistered.isEmpty());
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = "   ")
    void theSourceNameDefaultsToHulftArk(String source) {
        WindowsEventLog log = log(source);
        log.write(Level.INFORMATION, 1, "x");
        assertEquals("hulft-ark", log.sourceName());
        assertEquals(List.of("hulft-ark"), api.registered);
    }

    @Test
    void aRegistrationFailureIsToldOnceOnStderrAndNeverThrown() {
        api.failRegister = new Win32Error(1502, "The event log file is full.\r\n");
        WindowsEventLog log = log("hulft-ark");
        assertDoesNotThrow(() -> {
            log.write(Level.ERROR, 51050004, "Failed to start HULFT8 Service (code = 1)");
            log.write(Level.ERROR, 51050005, "HULFT8 Service is not running");
        });
        assertEquals("hulft-ark: cannot write to the Windows event log (source 'hulft-ark'): "
                + "Win32 error 1502: The event log file is full.; messages go to stderr only"
                + System.lineSeparator(), err());
    }

    @Test
    void aReportFailureIsToldOnceAndLaterWritesStillTry() {
        api.failReport = new Win32Error(1502, "The event log file is full.");
        WindowsEventLog log = log("hulft-ark");
        log.write(Level.ERROR, 51050004, "first");
        log.write(Level.ERROR, 51050004, "second");
        assertEquals(1, err().lines().count());
        api.failReport = null;
        log.write(Level.ERROR, 51050005, "third");
        assertEquals(List.of(new Event(1, 5, "51050005 third")), api.events);
        assertEquals(List.of("hulft-ark"), api.registered, "the source registered before the failure is kept");
    }

    @ParameterizedTest
    @ValueSource(strings = {"runtime", "link"})
    void noJnaOrAnUnexpectedErrorDoesNotThrowEither(String kind) {
        api.failRegister = kind.equals("runtime") ? new IllegalStateException("boom")
                : new UnsatisfiedLinkError("Unable to load library 'Advapi32'");
        assertDoesNotThrow(() -> log("hulft-ark").write(Level.ERROR, 51050005, "HULFT8 Service is not running"));
        assertTrue(err().contains(kind.equals("runtime") ? "boom" : "Unable to load library 'Advapi32'"), err());
        assertEquals(1, err().lines().count());
    }

    @Test
    void anOverlongTextIsCutToWhatReportEventAccepts() {
        log("hulft-ark").write(Level.ERROR, 1, "x".repeat(40_000));
        String text = api.events.get(0).text();
        assertEquals(31_839, text.length());
        assertTrue(text.endsWith("..."));
    }

    @Test
    void aNullTextIsWrittenAsTheCodeAlone() {
        log("hulft-ark").write(Level.INFORMATION, 51050120, null);
        assertEquals(List.of(new Event(4, 120, "51050120")), api.events);
    }

    @Test
    void eventIdsFitIn16Bits() {
        assertEquals(19, WindowsEventLog.eventId(51050019));
        assertEquals(112, WindowsEventLog.eventId(51050112));
        assertEquals(7, WindowsEventLog.eventId(7));
    }
}
