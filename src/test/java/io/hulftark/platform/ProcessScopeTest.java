package io.hulftark.platform;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A kit run inside the agent ends only its own commands at its timeout, never the agent's other children. */
class ProcessScopeTest {

    @Test
    void theWatchdogOfAScopedRunEndsOnlyTheCommandsOfThatRun() throws Exception {
        Process other = new ProcessBuilder("sleep", "30").start();   // a child of the agent, not of this run
        try {
            ProcessScope.open();
            CompletableFuture<CommandResult> run = new CompletableFuture<>();
            // The kit's worker thread, started inside the scope (as KitRunner starts it).
            Thread worker = new Thread(() -> run.complete(
                    ProcessCommandRunner.untracked().run(List.of("sleep", "30"), Duration.ofSeconds(30))));
            worker.start();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (ProcessScope.toKill().isEmpty() && System.nanoTime() < until) {
                Thread.sleep(20);
            }
            List<ProcessHandle> toKill = ProcessScope.toKill();
            assertThat(toKill).hasSize(1).doesNotContain(other.toHandle());
            toKill.forEach(ProcessCommandRunner::killTree);
            assertThat(run.get(10, TimeUnit.SECONDS).ok()).isFalse();
            assertThat(other.isAlive()).isTrue();
            ProcessScope.close();
            // Without a scope (the one-shot CLI): every child of the process, as before.
            assertThat(ProcessScope.toKill()).contains(other.toHandle());
        } finally {
            ProcessScope.close();
            other.destroyForcibly();
        }
    }
}
