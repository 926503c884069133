package io.hulftark.agent;

import io.hulftark.agent.AgentFakes.FakeProbe;
import io.hulftark.agent.AgentFakes.FakeServices;
import io.hulftark.agent.AgentFakes.MutableClock;
import io.hulftark.agent.journal.LineJournal;
import io.hulftark.kit.Action;
import io.hulftark.platform.ServiceState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static io.hulftark.agent.AgentFakes.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Item 8 of issue 11: a bounded FIFO per resource, one runner, QUEUED until the lock is held; INTERRUPTED. */
class AgentQueueTest {

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(T0);
    private final LockingExecutor executor = new LockingExecutor();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private Path journalDir;
    private Path conf;

    /** An executor whose action waits for "the lock" until {@link #lock} opens, then runs until {@link #finish} opens. */
    static final class LockingExecutor implements ActionExecutor {
        final CountDownLatch lock = new CountDownLatch(1);
        final CountDownLatch finish = new CountDownLatch(1);
        final List<String> entered = new CopyOnWriteArrayList<>();
        volatile boolean neverLocks;

        @Override
        public Outcome execute(Action action, String tag) {
            throw new AssertionError("the agent must say when the lock is held");
        }

        @Override
        public Outcome execute(Action action, String tag, Runnable lockHeld) {
            entered.add(action.word());
            try {
                if (neverLocks) {
                    return new Outcome(1, List.of("51050105 ERROR another action holds the lock"));
                }
                lock.await(30, TimeUnit.SECONDS);
                lockHeld.run();
                finish.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new Outcome(0, List.of());
        }

        @Override
        public String mode(Action action) {
            return "direct";
        }

        void releaseAll() {
            lock.countDown();
            finish.countDown();
        }
    }

    @BeforeEach
    void setUp() throws IOException {
        conf = AgentFakes.hulenv(dir, "rcvport=30000\n");
        journalDir = dir.resolve("journal");
    }

    @AfterEach
    void tearDown() throws Exception {
        executor.releaseAll();
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private AgentCore agent(int maxQueued) throws IOException {
        LineJournal journal = new LineJournal(journalDir, LineJournal.MAX_LINE * 4L, 3);
        toClose.add(journal);
        return agent(new History(journal, 1000), maxQueued);
    }

    private AgentCore agent(History history, int maxQueued) {
        FakeServices services = new FakeServices().set("SA", ServiceState.RUNNING);
        ResourceDirectory directory = new ResourceDirectory(Map.of("A", "SA"), Optional.empty());
        Checker checker = new Checker(AgentFakes.parameters(conf), services, new FakeProbe(), directory, clock);
        AgentCore core = new AgentCore(List.of("A"), checker, directory, executor, history, 2, 5, maxQueued, clock,
                new AgentCore.Listener() { });
        toClose.add(core);
        return core;
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("gave up waiting: " + what);
            }
            Thread.sleep(5);
        }
    }

    private static String state(AgentCore core, String id) {
        return core.history().actionById(id).orElseThrow().state();
    }

    private static long actionThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive()
                && t.getName().startsWith("agent-action")).count();
    }

    @Test
    void beyondTheBoundAnActionIsRefusedWith429AndARetryAfterAndNoThreadWaitsPerAction() throws Exception {
        AgentCore core = agent(3);
        long threadsBefore = actionThreads();
        ActionRecord first = core.submit("A", Action.QUICK_CHECK, "", "ops");
        await("the runner took the first", () -> executor.entered.size() == 1);
        List<ActionRecord> waiting = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            waiting.add(core.submit("A", Action.QUICK_CHECK, "", "ops"));
        }
        assertThat(core.queued("A")).isEqualTo(3);

        AgentCore.Refused refused = catchThrowableOfType(() -> core.submit("A", Action.RESTORE, "", "ops"),
                AgentCore.Refused.class);
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.kind()).isEqualTo("queue-full");
        assertThat(refused.retryAfterSeconds()).isBetween(1L, 3600L);
        assertThat(refused.getMessage()).contains("3 actions of A").contains("hulftark.agent.max-queued-actions");
        assertThat(core.history().actions("A", 100)).as("a refused action leaves no record").hasSize(4);

        assertThat(actionThreads() - threadsBefore).as("one runner for the resource").isEqualTo(1);
        // The first waits for the lock: still QUEUED, as are those behind it.
        assertThat(state(core, first.id())).isEqualTo("QUEUED");
        waiting.forEach(w -> assertThat(state(core, w.id())).isEqualTo("QUEUED"));

        executor.lock.countDown();
        await("RUNNING once the lock is held", () -> state(core, first.id()).equals("RUNNING"));
        executor.finish.countDown();
        for (ActionRecord w : waiting) {
            await("ended", () -> core.history().actionById(w.id()).orElseThrow().finished());
        }
        assertThat(executor.entered).containsExactly("quickCheck", "quickCheck", "quickCheck", "quickCheck");
        // First asked, first run: each started after the one before it.
        List<ActionRecord> ended = new ArrayList<>(core.history().actions("A", 10));
        java.util.Collections.reverse(ended);
        assertThat(ended).extracting(ActionRecord::id)
                .containsExactly(first.id(), waiting.get(0).id(), waiting.get(1).id(), waiting.get(2).id());
        assertThat(core.submit("A", Action.QUICK_CHECK, "", "ops").state()).as("room again").isEqualTo("QUEUED");
    }

    @Test
    void anActionThatNeverHeldTheLockEndsFailedWithoutAStart() throws Exception {
        executor.neverLocks = true;
        AgentCore core = agent(4);
        ActionRecord q = core.submit("A", Action.RESTORE, "", "ops");
        await("ended", () -> core.history().actionById(q.id()).orElseThrow().finished());
        ActionRecord a = core.history().actionById(q.id()).orElseThrow();
        assertThat(a.state()).isEqualTo("FAILED");
        assertThat(a.startedAt()).isNull();
        assertThat(a.durationMillis()).isNull();
        assertThat(a.exitCode()).isEqualTo(1);
        assertThat(a.messages()).containsExactly("51050105 ERROR another action holds the lock");
    }

    @Test
    void aRestartEndsWhatAStoppedAgentLeftAsInterruptedWithWhatItKnows() throws Exception {
        LineJournal journal = new LineJournal(journalDir, LineJournal.MAX_LINE * 4L, 3);
        History before = new History(journal, 1000);
        ActionRecord queued = new ActionRecord("q", "A", "remove", "", "ops", "direct", "QUEUED", T0, null, null, null,
                null, List.of());
        ActionRecord running = new ActionRecord("r", "A", "restore", "", "ops", "direct", "QUEUED", T0, null, null,
                null, null, List.of()).started(T0.plusSeconds(1));
        before.action(queued, T0, true);
        before.action(running, T0.plusSeconds(1), false);
        journal.close(); // as a SIGKILL leaves it

        clock.advance(Duration.ofSeconds(30));
        LineJournal reopened = new LineJournal(journalDir, LineJournal.MAX_LINE * 4L, 3);
        toClose.add(reopened);
        AgentCore core = agent(new History(reopened, 1000), 4);
        core.restore(List.of("utlsvcctl -c start (pid 4711, left by pid 4700)"));

        ActionRecord r = core.history().actionById("r").orElseThrow();
        assertThat(r.state()).isEqualTo("INTERRUPTED");
        assertThat(r.endedAt()).isEqualTo(T0.plusSeconds(30));
        assertThat(r.exitCode()).isNull();
        assertThat(r.durationMillis()).isEqualTo(29_000);
        assertThat(r.messages()).anySatisfy(m -> assertThat(m).contains("while this action ran").contains(T0.plusSeconds(1).toString()))
                .anySatisfy(m -> assertThat(m).contains("utlsvcctl -c start (pid 4711"));
        ActionRecord q = core.history().actionById("q").orElseThrow();
        assertThat(q.state()).isEqualTo("INTERRUPTED");
        assertThat(q.startedAt()).isNull();
        assertThat(q.messages()).singleElement().asString().contains("did not run");
        assertThat(core.history().unfinished()).isEmpty();

        // And it is kept: a second restart finds nothing left to end.
        reopened.close();
        LineJournal third = new LineJournal(journalDir, LineJournal.MAX_LINE * 4L, 3);
        toClose.add(third);
        History again = new History(third, 1000);
        again.replay();
        assertThat(again.unfinished()).isEmpty();
        assertThat(again.actionById("r").orElseThrow().state()).isEqualTo("INTERRUPTED");
    }

    @Test
    void aStoppingAgentEndsWhatWaitsAsInterrupted() throws Exception {
        AgentCore core = agent(4);
        core.submit("A", Action.QUICK_CHECK, "", "ops");
        await("the runner took the first", () -> executor.entered.size() == 1);
        ActionRecord waiting = core.submit("A", Action.RESTORE, "", "ops");
        executor.releaseAll();
        core.close();
        ActionRecord w = core.history().actionById(waiting.id()).orElseThrow();
        assertThat(w.state()).isIn("INTERRUPTED", "SUCCEEDED"); // it may have been taken before close
        if (w.state().equals("INTERRUPTED")) {
            assertThat(w.messages()).singleElement().asString().contains("did not run");
        }
        assertThatThrownBy(() -> core.submit("A", Action.QUICK_CHECK, "", "ops")).isInstanceOf(AgentCore.Refused.class);
    }

    @Test
    void whileTheJournalCannotBeWrittenActionsStillRunPendingUntilMemoryIsFullThen503() throws Exception {
        LineJournal journal = new LineJournal(journalDir, LineJournal.MAX_LINE * 4L, 3);
        journal.close(); // every append now fails, as on a full disk
        History history = new History(journal, 1000, 3);
        AgentCore core = agent(history, 10);
        executor.releaseAll();
        ActionRecord q = core.submit("A", Action.QUICK_CHECK, "", "ops");
        assertThat(q.journal()).isEqualTo("PENDING");
        await("ended", () -> core.history().actionById(q.id()).orElseThrow().finished());
        ActionRecord done = core.history().actionById(q.id()).orElseThrow();
        assertThat(done.state()).isEqualTo("SUCCEEDED");
        assertThat(done.journal()).isEqualTo("PENDING");
        History.JournalState j = history.journalState();
        assertThat(j.writable()).isFalse();
        assertThat(j.reason()).contains("cannot write the journal in " + journalDir);
        assertThat(j.memoryFull()).isTrue();

        AgentCore.Refused refused = catchThrowableOfType(() -> core.submit("A", Action.RESTORE, "", "ops"),
                AgentCore.Refused.class);
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.getMessage()).contains(journalDir.toString()).contains("records wait in memory");
    }
}
