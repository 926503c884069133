package io.hulftark.platform.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hulftark.platform.CommandResult;
import io.hulftark.platform.PlatformException;
import io.hulftark.platform.ProcessCommandRunner;
import io.hulftark.platform.ServiceState;
import io.hulftark.platform.StartType;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** LinuxServiceControl against a stand-in systemctl, run for real through ProcessCommandRunner. */
class LinuxServiceControlTest {

    private static final Duration BOUND = Duration.ofSeconds(10);

    @TempDir
    Path tmp;

    private StandInProgram systemctl;
    private LinuxServiceControl services;

    @BeforeEach
    void setUp() {
        systemctl = new StandInProgram(tmp, "systemctl");
        services = new LinuxServiceControl(new ProcessCommandRunner(), systemctl.path());
    }

    @ParameterizedTest(name = "is-active {0} (exit {1}) -> {2}")
    @CsvSource({
            "active,       0, RUNNING",
            "activating,   3, START_PENDING",
            "reloading,    0, START_PENDING",
            "deactivating, 3, STOP_PENDING",
            "failed,       3, STOPPED",
    })
    void stateFromOneCommand(String word, int rc, ServiceState expected) {
        systemctl.answer("is-active", word, rc);

        assertEquals(expected, services.state("hulft", BOUND));
        assertEquals(List.of(List.of(systemctl.path(), "is-active", "hulft.service")), systemctl.calls());
    }

    @ParameterizedTest(name = "is-active {0} (exit {1}), LoadState {2} -> {3}")
    @CsvSource({
            "inactive, 3, loaded,    STOPPED",
            "inactive, 3, masked,    STOPPED",
            "inactive, 3, not-found, NOT_INSTALLED",
            "inactive, 4, not-found, NOT_INSTALLED",
            "unknown,  3, not-found, NOT_INSTALLED",
    })
    void inactiveAsksForTheLoadState(String word, int rc, String loadState, ServiceState expected) {
        systemctl.answer("is-active", word, rc).answer("show", loadState, 0);

        assertEquals(expected, services.state("hulft", BOUND));
        assertEquals(List.of(
                List.of(systemctl.path(), "is-active", "hulft.service"),
                List.of(systemctl.path(), "show", "-p", "LoadState", "--value", "hulft.service")), systemctl.calls());
    }

    @Test
    void unknownStateOfALoadedUnitIsAnErrorNotAGuess() {
        systemctl.answer("is-active", "unknown", 3).answer("show", "loaded", 0);

        PlatformException e = assertThrows(PlatformException.class, () -> services.state("hulft", BOUND));
        assertTrue(e.getMessage().contains("hulft.service"), e.getMessage());
    }

    @Test
    void failingSystemctlIsAnErrorWithItsFirstLine() {
        systemctl.answer("is-active", "System has not been booted with systemd as init system (PID 1). Can't operate.", 1);

        PlatformException e = assertThrows(PlatformException.class, () -> services.state("hulft", BOUND));
        assertEquals("systemctl is-active hulft.service failed (code = 1: System has not been booted with systemd"
                + " as init system (PID 1). Can't operate.)", e.getMessage());
    }

    @Test
    void failingLoadStateQueryIsAnError() {
        systemctl.answer("is-active", "inactive", 3).answer("show", "Failed to connect to bus: Host is down", 1);

        PlatformException e = assertThrows(PlatformException.class, () -> services.state("hulft", BOUND));
        assertTrue(e.getMessage().contains("Failed to connect to bus: Host is down"), e.getMessage());
    }

    @Test
    void systemctlThatCannotBeRunIsAnError() {
        services = new LinuxServiceControl(new ProcessCommandRunner(), tmp.resolve("no-such-systemctl").toString());

        PlatformException e = assertThrows(PlatformException.class, () -> services.state("hulft", BOUND));
        assertTrue(e.getMessage().startsWith("systemctl is-active hulft.service failed (could not run "), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void systemctlThatHangsIsKilledAtTheBound() {
        systemctl.answer("is-active", "active", 0).sleep("is-active", 30);

        long start = System.nanoTime();
        PlatformException e = assertThrows(PlatformException.class,
                () -> services.state("hulft", Duration.ofMillis(500)));
        assertTrue(e.getMessage().contains("timed out"), e.getMessage());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 10);
    }

    @ParameterizedTest(name = "is-enabled {0} (exit {1}) -> {2}")
    @CsvSource({
            "enabled,         0, AUTO",
            "enabled-runtime, 0, AUTO",
            "alias,           0, AUTO",
            "static,          0, AUTO",
            "indirect,        0, AUTO",
            "generated,       0, AUTO",
            "disabled,        1, DEMAND",
            "linked,          1, DEMAND",
            "linked-runtime,  1, DEMAND",
            "transient,       0, DEMAND",
            "masked,          1, DISABLED",
            "masked-runtime,  1, DISABLED",
    })
    void startType(String word, int rc, StartType expected) {
        systemctl.answer("is-enabled", word, rc);

        assertEquals(expected, services.startType("hulft", BOUND));
        assertEquals(List.of(List.of(systemctl.path(), "is-enabled", "hulft.service")), systemctl.calls());
    }

    @ParameterizedTest(name = "is-enabled: {0}")
    @ValueSource(strings = {
            "not-found",
            // systemd before 2xx says it like this
            "Failed to get unit file state for hulft.service: No such file or directory",
    })
    void startTypeOfAMissingUnitIsAnErrorNamingIt(String answer) {
        systemctl.answer("is-enabled", answer, 1);

        PlatformException e = assertThrows(PlatformException.class, () -> services.startType("hulft", BOUND));
        assertTrue(e.getMessage().contains("hulft.service"), e.getMessage());
        assertTrue(e.getMessage().contains(answer), e.getMessage());
    }

    @Test
    void setDemandStartDisablesWithoutStopping() {
        systemctl.answer("disable", "Removed \"/etc/systemd/system/multi-user.target.wants/hulft.service\".", 0);

        services.setDemandStart("hulft", BOUND);

        assertEquals(List.of(List.of(systemctl.path(), "disable", "hulft.service")), systemctl.calls());
    }

    @Test
    void failedDisableIsAnErrorWithItsFirstLine() {
        systemctl.answer("disable", "Failed to disable unit: Access denied", 1);

        PlatformException e = assertThrows(PlatformException.class, () -> services.setDemandStart("hulft", BOUND));
        assertEquals("systemctl disable hulft.service failed (code = 1: Failed to disable unit: Access denied)",
                e.getMessage());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "hulft,              hulft.service",
            "hulft.service,      hulft.service",
            "hulft8.2,           hulft8.2.service",
            "hulft@node1,        hulft@node1.service",
            "hulft.socket,       hulft.socket",
            "' hulft-snd ',      hulft-snd.service",
    })
    void unitNames(String service, String unit) {
        assertEquals(unit, LinuxServiceControl.unitName(service));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", "-hulft", "--now", "hulft service", "hulft;reboot", "../hulft", "hulft$x"})
    void namesSystemdWouldNotAcceptNeverReachIt(String service) {
        assertThrows(PlatformException.class, () -> services.state(service, BOUND));
        assertThrows(PlatformException.class, () -> services.setDemandStart(service, BOUND));
        assertEquals(List.of(), systemctl.calls());
    }

    @Test
    void defaultProgramIsSystemctlOnThePath() {
        List<List<String>> seen = new ArrayList<>();
        LinuxServiceControl onPath = new LinuxServiceControl((argv, bound) -> {
            seen.add(argv);
            return new CommandResult(0, "active\n", false, null, Duration.ZERO);
        });

        assertEquals(ServiceState.RUNNING, onPath.state("hulft", BOUND));
        assertEquals(List.of(List.of("systemctl", "is-active", "hulft.service")), seen);
    }
}
