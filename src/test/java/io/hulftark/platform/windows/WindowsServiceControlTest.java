package io.hulftark.platform.windows;

import static io.hulftark.platform.windows.ScmApi.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hulftark.platform.PlatformException;
import io.hulftark.platform.ServiceState;
import io.hulftark.platform.StartType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class WindowsServiceControlTest {

    static final String HULFT = "HULFT8 Service";
    static final Duration BOUND = Duration.ofSeconds(5);

    /** The three ServiceControl operations, so one table can drive them all. */
    enum Op {
        STATE {
            Object run(WindowsServiceControl c) {
                return c.state(HULFT, BOUND);
            }
        },
        START_TYPE {
            Object run(WindowsServiceControl c) {
                return c.startType(HULFT, BOUND);
            }
        },
        SET_DEMAND_START {
            Object run(WindowsServiceControl c) {
                c.setDemandStart(HULFT, BOUND);
                return null;
            }
        };

        abstract Object run(WindowsServiceControl c);
    }

    private static FakeScm hulft(int state, int startType, boolean delayed) {
        return new FakeScm().with(HULFT, state, startType, delayed);
    }

    private static void assertAllClosed(FakeScm scm) {
        assertTrue(scm.open.isEmpty(), () -> "handles left open: " + scm.open);
        assertEquals(scm.opened.get(), scm.closed.get(), "every handle opened is closed once");
    }

    @ParameterizedTest(name = "SCM state {0} ({1}) -> {2}")
    @CsvSource({
            "1, SERVICE_STOPPED,          STOPPED",
            "2, SERVICE_START_PENDING,    START_PENDING",
            "3, SERVICE_STOP_PENDING,     STOP_PENDING",
            "4, SERVICE_RUNNING,          RUNNING",
            "5, SERVICE_CONTINUE_PENDING, START_PENDING",
            "6, SERVICE_PAUSE_PENDING,    STOP_PENDING",
            "7, SERVICE_PAUSED,           OTHER",
            "99, a state from the future, OTHER",
    })
    void stateMapping(int scmState, String name, ServiceState expected) {
        FakeScm scm = hulft(scmState, SERVICE_DEMAND_START, false);
        assertEquals(expected, new WindowsServiceControl(scm).state(HULFT, BOUND));
        assertEquals(SC_MANAGER_CONNECT, scm.managerAccess);
        assertEquals(SERVICE_QUERY_STATUS, scm.serviceAccess, "state asks for no more than it needs");
        assertAllClosed(scm);
    }

    @Test
    void aServiceThatDoesNotExistIsNotInstalled() {
        FakeScm scm = new FakeScm();
        assertEquals(ServiceState.NOT_INSTALLED, new WindowsServiceControl(scm).state(HULFT, BOUND));
        assertAllClosed(scm);
    }

    @ParameterizedTest
    @EnumSource(value = Op.class, names = {"START_TYPE", "SET_DEMAND_START"})
    void startTypeOfAMissingServiceSaysSoByName(Op op) {
        FakeScm scm = new FakeScm();
        PlatformException e = assertThrows(PlatformException.class, () -> op.run(new WindowsServiceControl(scm)));
        assertEquals("Service 'HULFT8 Service' does not exist (Win32 error 1060: "
                + "The specified service does not exist as an installed service.)", e.getMessage());
        assertTrue(scm.changes.isEmpty());
        assertAllClosed(scm);
    }

    @ParameterizedTest
    @EnumSource(Op.class)
    void accessDeniedOpeningTheServiceAsksForAdministratorRights(Op op) {
        FakeScm scm = hulft(SERVICE_RUNNING, SERVICE_AUTO_START, false).failing("openService", FakeScm.ACCESS_DENIED);
        PlatformException e = assertThrows(PlatformException.class, () -> op.run(new WindowsServiceControl(scm)));
        assertEquals("Access denied opening service 'HULFT8 Service' (Win32 error 5: Access is denied.): "
                + "run hulft-ark as an administrator", e.getMessage());
        assertAllClosed(scm);
    }

    @Test
    void accessDeniedChangingTheStartTypeAsksForAdministratorRights() {
        FakeScm scm = hulft(SERVICE_RUNNING, SERVICE_AUTO_START, false).failing("changeConfig", FakeScm.ACCESS_DENIED);
        PlatformException e = assertThrows(PlatformException.class,
                () -> new WindowsServiceControl(scm).setDemandStart(HULFT, BOUND));
        assertEquals("Access denied changing the start type of service 'HULFT8 Service' (Win32 error 5: "
                + "Access is denied.): run hulft-ark as an administrator", e.getMessage());
        assertAllClosed(scm);
    }

    @ParameterizedTest(name = "start type {0}, delayed {1} -> {2}")
    @CsvSource({
            "2, false, AUTO",
            "2, true,  DELAYED_AUTO",
            "3, false, DEMAND",
            "3, true,  DEMAND",
            "4, false, DISABLED",
            "0, false, AUTO",   // SERVICE_BOOT_START: drivers only, starts with the system
            "1, false, AUTO",   // SERVICE_SYSTEM_START: likewise
    })
    void startTypeMapping(int scmStartType, boolean delayed, StartType expected) {
        FakeScm scm = hulft(SERVICE_RUNNING, scmStartType, delayed);
        assertEquals(expected, new WindowsServiceControl(scm).startType(HULFT, BOUND));
        assertEquals(SERVICE_QUERY_CONFIG, scm.serviceAccess);
        assertEquals(scmStartType == SERVICE_AUTO_START, scm.calls.contains("queryDelayedAutoStart"),
                "the delayed flag is read for auto-start services only");
        assertTrue(scm.changes.isEmpty(), "startType changes nothing");
        assertAllClosed(scm);
    }

    @Test
    void anUnknownStartTypeIsAnErrorNotAGuess() {
        FakeScm scm = hulft(SERVICE_RUNNING, 9, false);
        PlatformException e = assertThrows(PlatformException.class,
                () -> new WindowsServiceControl(scm).startType(HULFT, BOUND));
        assertEquals("Service 'HULFT8 Service' has start type 9, which hulft-ark does not know", e.getMessage());
        assertAllClosed(scm);
    }

    @Test
    void alreadyManualMakesNoChange() {
        FakeScm scm = hulft(SERVICE_RUNNING, SERVICE_DEMAND_START, false);
        new WindowsServiceControl(scm).setDemandStart(HULFT, BOUND);
        assertFalse(scm.calls.contains("changeConfig"));
        assertTrue(scm.changes.isEmpty());
        assertAllClosed(scm);
    }

    @ParameterizedTest(name = "start type {0}, delayed {1} -> changed to demand")
    @CsvSource({"2, false", "2, true", "4, false", "0, false", "1, false"})
    void otherStartTypesAreChangedToDemandAndNothingElse(int scmStartType, boolean delayed) {
        FakeScm scm = hulft(SERVICE_RUNNING, scmStartType, delayed);
        new WindowsServiceControl(scm).setDemandStart(HULFT, BOUND);
        assertEquals(List.of(new FakeScm.Change(0xffffffff, 3, 0xffffffff)), scm.changes,
                "SERVICE_NO_CHANGE for type and error control, SERVICE_DEMAND_START (3) for the start type");
        assertEquals(0x1 | 0x2 | 0x4, scm.serviceAccess, "QUERY_CONFIG | CHANGE_CONFIG | QUERY_STATUS");
        assertEquals(SERVICE_DEMAND_START, scm.services.get(HULFT).startType);
        assertAllClosed(scm);
    }

    @Test
    void aRefusedChangeSurfacesWithTheWin32Text() {
        FakeScm scm = hulft(SERVICE_RUNNING, SERVICE_AUTO_START, false).failing("changeConfig", FakeScm.MARKED_FOR_DELETE);
        PlatformException e = assertThrows(PlatformException.class,
                () -> new WindowsServiceControl(scm).setDemandStart(HULFT, BOUND));
        assertEquals("Failed changing the start type of service 'HULFT8 Service' (Win32 error 1072: "
                + "The specified service has been marked for deletion.)", e.getMessage());
        assertAllClosed(scm);
    }

    @ParameterizedTest(name = "{0} failing in {1}")
    @MethodSource("everyFailurePoint")
    void handlesAreClosedOnEveryPath(Op op, String failingCall) {
        FakeScm scm = hulft(SERVICE_RUNNING, SERVICE_AUTO_START, false);
        if (!failingCall.equals("nothing")) {
            scm.failing(failingCall, new Win32Error(1234, "Something broke."));
        }
        WindowsServiceControl control = new WindowsServiceControl(scm);
        try {
            op.run(control);
        } catch (PlatformException e) {
            assertTrue(e.getMessage().contains("(Win32 error 1234: Something broke.)"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
        }
        assertTrue(scm.opened.get() > 0 || failingCall.equals("openManager"));
        assertAllClosed(scm);
    }

    static Stream<Arguments> everyFailurePoint() {
        List<String> points = List.of("nothing", "openManager", "openService", "queryStatus", "queryStartType",
                "queryDelayedAutoStart", "changeConfig");
        List<Arguments> all = new ArrayList<>();
        for (Op op : Op.values()) {
            points.forEach(p -> all.add(Arguments.of(op, p)));
        }
        return all.stream();
    }

    @Test
    void aFailureToReachTheScmSaysWhat() {
        FakeScm scm = hulft(SERVICE_RUNNING, SERVICE_AUTO_START, false)
                .failing("openManager", new Win32Error(1115, "A system shutdown is in progress."));
        PlatformException e = assertThrows(PlatformException.class,
                () -> new WindowsServiceControl(scm).state(HULFT, BOUND));
        assertEquals("Failed connecting to the Service Control Manager for service 'HULFT8 Service' "
                + "(Win32 error 1115: A system shutdown is in progress.)", e.getMessage());
    }

    @Test
    void aMultiLineWin32TextBecomesOneLine() {
        FakeScm scm = hulft(SERVICE_RUNNING, SERVICE_AUTO_START, false)
                .failing("queryStatus", new Win32Error(6, "The handle\r\nis invalid.\r\n"));
        PlatformException e = assertThrows(PlatformException.class,
                () -> new WindowsServiceControl(scm).state(HULFT, BOUND));
        assertEquals("Failed querying the state of service 'HULFT8 Service' (Win32 error 6: The handle is invalid.)",
                e.getMessage());
    }

    @Test
    void withoutWindowsTheScmIsUnavailableNotAnError() {
        FakeScm scm = new FakeScm().failing("openManager", new UnsatisfiedLinkError(
                "Unable to load library 'Advapi32':\nlibAdvapi32.so: cannot open shared object file\n"));
        PlatformException e = assertThrows(PlatformException.class,
                () -> new WindowsServiceControl(scm).state(HULFT, BOUND));
        assertEquals("The Service Control Manager is not available "
                + "(UnsatisfiedLinkError: Unable to load library 'Advapi32')", e.getMessage());
    }

    @Test
    void aBlankServiceNameIsRefusedBeforeAnyCall() {
        FakeScm scm = new FakeScm();
        assertThrows(PlatformException.class, () -> new WindowsServiceControl(scm).state(" ", BOUND));
        assertTrue(scm.calls.isEmpty());
    }

    @Test
    void anScmThatDoesNotAnswerIsBoundedAndItsHandlesAreStillClosed() throws Exception {
        FakeScm scm = hulft(SERVICE_RUNNING, SERVICE_AUTO_START, false);
        CountDownLatch hold = new CountDownLatch(1);
        scm.hold = hold;
        long start = System.nanoTime();
        PlatformException e = assertThrows(PlatformException.class,
                () -> new WindowsServiceControl(scm).state(HULFT, Duration.ofMillis(200)));
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertEquals("The Service Control Manager did not answer within 200 ms for service 'HULFT8 Service'",
                e.getMessage());
        assertTrue(tookMs < 2000, "gave up after " + tookMs + " ms");
        assertFalse(scm.open.isEmpty(), "the call is still in the SCM");
        hold.countDown();
        long until = System.nanoTime() + 5_000_000_000L;
        while (!scm.open.isEmpty() && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        assertAllClosed(scm);
    }

    /** A clock that only moves when awaitSettled sleeps, and the sleeps it was asked for. */
    static final class FakeTime {
        long now;
        final List<Long> sleptMs = new ArrayList<>();

        WindowsServiceControl control(ScmApi scm) {
            return new WindowsServiceControl(scm, () -> now, d -> {
                sleptMs.add(d.toMillis());
                now += d.toNanos();
            });
        }
    }

    @Test
    void awaitSettledBacksOffUntilTheServiceSettles() {
        FakeScm scm = hulft(SERVICE_START_PENDING, SERVICE_AUTO_START, false);
        scm.services.get(HULFT).laterStates.addAll(List.of(SERVICE_START_PENDING, SERVICE_CONTINUE_PENDING,
                SERVICE_START_PENDING, SERVICE_RUNNING));
        FakeTime time = new FakeTime();
        assertEquals(ServiceState.RUNNING, time.control(scm).awaitSettled(HULFT, Duration.ofSeconds(30)));
        assertEquals(List.of(50L, 100L, 200L), time.sleptMs);
        assertAllClosed(scm);
    }

    @Test
    void awaitSettledGivesUpWhenTheBoundPassesAndSaysItIsStillPending() {
        FakeScm scm = hulft(SERVICE_STOP_PENDING, SERVICE_AUTO_START, false);
        FakeTime time = new FakeTime();
        assertEquals(ServiceState.STOP_PENDING, time.control(scm).awaitSettled(HULFT, Duration.ofSeconds(3)));
        // doubling from 50 ms, capped at 1 s, and the last sleep cut to what is left of the 3 s
        assertEquals(List.of(50L, 100L, 200L, 400L, 800L, 1000L, 450L), time.sleptMs);
        assertEquals(3_000_000_000L, time.now);
    }

    @ParameterizedTest
    @CsvSource({"4, RUNNING", "1, STOPPED", "7, OTHER"})
    void awaitSettledDoesNotSleepWhenNothingIsPending(int scmState, ServiceState expected) {
        FakeTime time = new FakeTime();
        assertEquals(expected, time.control(hulft(scmState, SERVICE_AUTO_START, false)).awaitSettled(HULFT, BOUND));
        assertTrue(time.sleptMs.isEmpty());
    }

    @Test
    void awaitSettledOnAMissingServiceIsNotInstalled() {
        FakeTime time = new FakeTime();
        assertEquals(ServiceState.NOT_INSTALLED, time.control(new FakeScm()).awaitSettled(HULFT, BOUND));
        assertTrue(time.sleptMs.isEmpty());
    }

    @Test
    void ourConstantsAreThoseOfTheWindowsHeaders() {
        // jna-platform carries the same values (compile-time constants: no native library is loaded)
        assertEquals(com.sun.jna.platform.win32.Winsvc.SC_MANAGER_CONNECT, SC_MANAGER_CONNECT);
        assertEquals(com.sun.jna.platform.win32.Winsvc.SERVICE_QUERY_CONFIG, SERVICE_QUERY_CONFIG);
        assertEquals(com.sun.jna.platform.win32.Winsvc.SERVICE_CHANGE_CONFIG, SERVICE_CHANGE_CONFIG);
        assertEquals(com.sun.jna.platform.win32.Winsvc.SERVICE_QUERY_STATUS, SERVICE_QUERY_STATUS);
        assertEquals(com.sun.jna.platform.win32.Winsvc.SERVICE_PAUSED, SERVICE_PAUSED);
        assertEquals(com.sun.jna.platform.win32.Winsvc.SERVICE_CONTINUE_PENDING, SERVICE_CONTINUE_PENDING);
        assertEquals(com.sun.jna.platform.win32.WinNT.SERVICE_AUTO_START, SERVICE_AUTO_START);
        assertEquals(com.sun.jna.platform.win32.WinNT.SERVICE_DEMAND_START, SERVICE_DEMAND_START);
        assertEquals(com.sun.jna.platform.win32.WinNT.SERVICE_DISABLED, SERVICE_DISABLED);
        assertEquals(com.sun.jna.platform.win32.WinNT.EVENTLOG_ERROR_TYPE, EventLogApi.EVENTLOG_ERROR_TYPE);
        assertEquals(com.sun.jna.platform.win32.WinNT.EVENTLOG_WARNING_TYPE, EventLogApi.EVENTLOG_WARNING_TYPE);
        assertEquals(com.sun.jna.platform.win32.WinNT.EVENTLOG_INFORMATION_TYPE, EventLogApi.EVENTLOG_INFORMATION_TYPE);
        assertEquals(com.sun.jna.platform.win32.WinError.ERROR_ACCESS_DENIED, Win32Error.ERROR_ACCESS_DENIED);
        assertEquals(com.sun.jna.platform.win32.WinError.ERROR_SERVICE_DOES_NOT_EXIST, Win32Error.ERROR_SERVICE_DOES_NOT_EXIST);
        assertEquals(com.sun.jna.platform.win32.WinError.ERROR_INSUFFICIENT_BUFFER, Win32Error.ERROR_INSUFFICIENT_BUFFER);
        assertEquals(-1, SERVICE_NO_CHANGE, "0xffffffff");
    }
}
