package io.hulftark.platform.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hulftark.platform.CommandResult;
import io.hulftark.platform.EventLog.Level;
import io.hulftark.platform.PlatformException;
import io.hulftark.platform.ProcessCommandRunner;
import io.hulftark.platform.ServiceState;
import io.hulftark.platform.StartType;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The JNA layer against a real Windows (CI's windows-latest runner, which runs as administrator).
 * These are the only tests that prove the bindings themselves: the fakes prove the logic.
 */
@EnabledOnOs(OS.WINDOWS)
class WindowsLiveTest {

    static final Duration BOUND = Duration.ofSeconds(30);
    final WindowsServiceControl services = new WindowsServiceControl();
    final ProcessCommandRunner commands = new ProcessCommandRunner();

    @Test
    void theEventLogServiceRunsAndStartsAutomatically() {
        assertEquals(ServiceState.RUNNING, services.state("EventLog", BOUND));
        assertEquals(ServiceState.RUNNING, services.awaitSettled("EventLog", BOUND));
        assertEquals(StartType.AUTO, services.startType("EventLog", BOUND));
    }

    @Test
    void aServiceThatDoesNotExist() {
        String name = "hulft-ark-no-such-service-" + UUID.randomUUID();
        assertEquals(ServiceState.NOT_INSTALLED, services.state(name, BOUND));
        PlatformException e = assertThrows(PlatformException.class, () -> services.startType(name, BOUND));
        assertTrue(e.getMessage().contains("'" + name + "' does not exist (Win32 error 1060"), e.getMessage());
    }

    /** Creates a throwaway service (never started) to prove QueryServiceConfig2W and ChangeServiceConfigW. */
    @Test
    void aDelayedAutoStartServiceIsMadeManual() {
        String name = "hulft-ark-ci-" + UUID.randomUUID().toString().substring(0, 8);
        CommandResult created = sc("create", name, "binPath=", "C:\\Windows\\System32\\cmd.exe", "start=", "delayed-auto");
        Assumptions.assumeTrue(created.ok(), () -> "cannot create a service here: " + created.output());
        try {
            assertEquals(ServiceState.STOPPED, services.state(name, BOUND));
            assertEquals(StartType.DELAYED_AUTO, services.startType(name, BOUND));
            services.setDemandStart(name, BOUND);
            assertEquals(StartType.DEMAND, services.startType(name, BOUND));
            assertTrue(sc("qc", name).output().contains("DEMAND_START"), "sc.exe sees the change too");
            services.setDemandStart(name, BOUND); // already manual: nothing to do, no error
            sc("config", name, "start=", "disabled");
            assertEquals(StartType.DISABLED, services.startType(name, BOUND));
        } finally {
            sc("delete", name);
        }
    }

    @Test
    void anEventIsWrittenWithItsCodeInTheTextAndItsOffsetAsEventId() throws Exception {
        String source = "hulft-ark-ci";
        String marker = "hulft-ark live test " + UUID.randomUUID();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (WindowsEventLog log = new WindowsEventLog(new JnaEventLog(), source,
                new PrintStream(err, true, StandardCharsets.UTF_8))) {
            log.write(Level.WARNING, 51050000, marker);
        }
        assertEquals("", err.toString(StandardCharsets.UTF_8), "the write reported no failure");

        // Read it back through the classic API: event ID 0 (51050000 less the base), text with the full code.
        // No double quotes in the script: Java does not escape them on a Windows command line.
        String script = "Get-EventLog -LogName Application -Newest 500 | Where-Object { $_.Source -eq '" + source
                + "' -and ($_.ReplacementStrings -contains '51050000 " + marker + "') } | Select-Object -First 1 | "
                + "ForEach-Object { '{0} {1}' -f $_.InstanceId, $_.EntryType }";
        String found = "";
        for (int i = 0; i < 20 && found.isEmpty(); i++) {
            found = commands.run(List.of("powershell.exe", "-NoProfile", "-NonInteractive", "-Command", script),
                    BOUND).firstLine();
            if (found.isEmpty()) {
                Thread.sleep(500);
            }
        }
        assertEquals("0 Warning", found);
    }

    private CommandResult sc(String... args) {
        List<String> argv = new java.util.ArrayList<>(List.of("sc.exe"));
        argv.addAll(List.of(args));
        return commands.run(argv, BOUND);
    }
}
