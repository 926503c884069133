package io.hulftark.hulft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hulftark.platform.CommandResult;
import io.hulftark.platform.CommandRunner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AliveCheckProbeTest {

    /** Records each call and answers with the scripted result. */
    private static final class FakeRunner implements CommandRunner {
        final List<List<String>> argvs = new ArrayList<>();
        final List<Duration> bounds = new ArrayList<>();
        CommandResult next;

        @Override
        public CommandResult run(List<String> argv, Duration bound) {
            argvs.add(argv);
            bounds.add(bound);
            return next;
        }
    }

    @TempDir
    Path tmp;

    private Path bin;
    private Path alive;
    private final FakeRunner runner = new FakeRunner();

    @BeforeEach
    void makeBin() throws IOException {
        bin = Files.createDirectories(tmp.resolve("HULFT Family").resolve("bin"));
        alive = Files.writeString(bin.resolve("utlalivecheck.exe"), "");
    }

    private AliveCheckProbe probe(int waitSeconds) {
        return new AliveCheckProbe(new HulftCommands(bin, true), runner, waitSeconds);
    }

    @Test
    void exitZeroIsOk() {
        runner.next = new CommandResult(0, "HULFT is alive\n", false, null, Duration.ofMillis(120));
        ProbeResult r = probe(10).probe("hulft-vip", 30000, Duration.ofSeconds(60));
        assertEquals(new ProbeResult(30000, true, "0", Duration.ofMillis(120), ""), r);
        assertEquals(List.of(List.of(alive.toString(), "-h", "hulft-vip", "-p", "30000", "-w", "10")), runner.argvs);
    }

    @Test
    void nonZeroExitFailsWithItsCodeAndFirstLine() {
        runner.next = new CommandResult(8, "\n  utlalivecheck: connect error\nmore\n", false, null, Duration.ofSeconds(1));
        ProbeResult r = probe(10).probe("hulft-vip", 31000, Duration.ofSeconds(60));
        assertEquals(new ProbeResult(31000, false, "8", Duration.ofSeconds(1), "utlalivecheck: connect error"), r);
    }

    @Test
    void nonZeroExitWithoutOutputSaysTheCode() {
        runner.next = new CommandResult(8, "", false, null, Duration.ofSeconds(1));
        assertEquals("utlalivecheck exited with 8", probe(10).probe("vip", 31000, Duration.ofSeconds(60)).detail());
    }

    @Test
    void timedOutFailsAsTimeout() {
        runner.next = new CommandResult(-1, "", true, null, Duration.ofSeconds(15));
        ProbeResult r = probe(10).probe("vip", 32000, Duration.ofSeconds(60));
        assertFalse(r.ok());
        assertEquals("timeout", r.code());
        assertEquals("utlalivecheck did not end within its bound and was killed", r.detail());
    }

    @Test
    void failedToStartSaysWhy() {
        runner.next = new CommandResult(-1, "", false, "error=13, Permission denied", Duration.ZERO);
        ProbeResult r = probe(10).probe("vip", 32000, Duration.ofSeconds(60));
        assertFalse(r.ok());
        assertEquals("not started", r.code());
        assertEquals("error=13, Permission denied", r.detail());
    }

    @Test
    void boundIsWaitPlusFiveSecondsWhenThatIsShorter() {
        runner.next = new CommandResult(0, "", false, null, Duration.ZERO);
        probe(10).probe("vip", 30000, Duration.ofSeconds(60));
        assertEquals(List.of(Duration.ofSeconds(15)), runner.bounds);
    }

    @Test
    void boundIsTheCallersWhenThatIsShorter() {
        runner.next = new CommandResult(0, "", false, null, Duration.ZERO);
        probe(10).probe("vip", 30000, Duration.ofSeconds(3));
        assertEquals(List.of(Duration.ofSeconds(3)), runner.bounds);
    }

    @Test
    void missingAliveCheckFailsWithoutRunningAnything() throws IOException {
        Files.delete(alive);
        ProbeResult r = probe(10).probe("vip", 30000, Duration.ofSeconds(60));
        assertFalse(r.ok());
        assertEquals("not started", r.code());
        assertEquals("no utlalivecheck.exe in " + bin, r.detail());
        assertTrue(runner.argvs.isEmpty());
    }

    @Test
    void waitMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> probe(0));
    }

    @Test
    void nameIsTheCommand() {
        assertEquals("utlalivecheck", probe(10).name());
    }
}
