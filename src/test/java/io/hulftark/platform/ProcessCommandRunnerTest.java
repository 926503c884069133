package io.hulftark.platform;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@DisabledOnOs(value = OS.WINDOWS, disabledReason = "uses POSIX programs; the Windows workflow covers Windows")
class ProcessCommandRunnerTest {

    final ProcessCommandRunner runner = new ProcessCommandRunner();

    @TempDir
    Path dir;

    @Test
    void argumentsArriveUnchangedWithoutAShell() {
        CommandResult r = runner.run(List.of("printf", "%s|", "a b", "$(id)", ";", "*"), Duration.ofSeconds(5));
        assertThat(r.ok()).isTrue();
        assertThat(r.output()).isEqualTo("a b|$(id)|;|*|");
    }

    @Test
    void theExitCodeIsKept() {
        assertThat(runner.run(List.of("sh", "-c", "exit 7"), Duration.ofSeconds(5)).exitCode()).isEqualTo(7);
    }

    @Test
    void aMissingProgramIsReportedNotThrown() {
        CommandResult r = runner.run(List.of(dir.resolve("nope").toString()), Duration.ofSeconds(5));
        assertThat(r.failedToStart()).isNotNull();
        assertThat(r.code()).isEqualTo("not started");
    }

    @Test
    void anOverrunKillsTheWholeTree() throws Exception {
        Path pids = dir.resolve("pids");
        // The command starts a grandchild that would outlive a plain destroy() of its parent.
        CommandResult r = runner.run(List.of("sh", "-c", "sleep 60 & echo $! > '" + pids + "'; sleep 60"),
                Duration.ofMillis(500));
        assertThat(r.timedOut()).isTrue();
        long grandchild = Long.parseLong(Files.readString(pids).strip());
        assertThat(ProcessHandle.of(grandchild).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }

    @Test
    void outputIsBounded() {
        CommandResult r = runner.run(List.of("head", "-c", "1000000", "/dev/zero"), Duration.ofSeconds(10));
        assertThat(r.output().length()).isEqualTo(ProcessCommandRunner.MAX_OUTPUT);
    }
}
