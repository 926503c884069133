package io.hulftark.agent;

import io.hulftark.wire.Status;

import io.hulftark.agent.AgentFakes.FakeExecutor;
import io.hulftark.agent.AgentFakes.FakeProbe;
import io.hulftark.agent.AgentFakes.FakeServices;
import io.hulftark.agent.AgentFakes.MutableClock;
import io.hulftark.agent.journal.LineJournal;
import io.hulftark.hulft.ProbeResult;
import io.hulftark.kit.Action;
import io.hulftark.platform.ServiceState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static io.hulftark.agent.AgentFakes.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AgentCoreTest {

    private static final Duration WAIT = Duration.ofSeconds(10); // an upper bound for a hang, never a speed claim

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(T0);
    private final GatedServices services = new GatedServices();
    private final FakeProbe probe = new FakeProbe();
    private final FakeExecutor executor = new FakeExecutor();
    private final RecordingListener listener = new RecordingListener();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private Path conf;
    private Path journalDir;

    /** Service names of tags A and B; no LifeKeeper. */
    private ResourceDirectory directory;

    @BeforeEach
    void setUp() throws IOException {
        conf = AgentFakes.hulenv(dir, "rcvport=30000\nobsport=31000\n");
        journalDir = dir.resolve("state");
        services.set("SA", ServiceState.RUNNING).set("SB", ServiceState.RUNNING);
        directory = new ResourceDirectory(Map.of("A", "SA", "B", "SB"), Optional.empty());
    }

    @AfterEach
    void tearDown() throws Exception {
        services.releaseAll();
        executor.releaseAll();
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    /** A fresh agent over the journal in {@code journalDir}, as one started (or restarted) on this node. */
    private AgentCore agent(ResourceDirectory dir) throws IOException {
        LineJournal journal = new LineJournal(journalDir, LineJournal.MAX_LINE * 4L, 3);
        toClose.add(journal);
        Checker checker = new Checker(AgentFakes.parameters(conf), services, probe, dir, clock);
        AgentCore core = new AgentCore(List.of("A", "B"), checker, dir, executor, new History(journal, 100), 2, 5,
                clock, listener);
        toClose.add(core);
        return core;
    }

    private AgentCore agent() throws IOException {
        return agent(directory);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("gave up waiting: " + what);
            }
            Thread.sleep(5);
        }
    }

    private static ActionRecord awaitEnd(AgentCore core, String id) throws InterruptedException {
        await("action " + id + " to end", () -> core.history().actionById(id).map(ActionRecord::finished).orElse(false));
        return core.history().actionById(id).orElseThrow();
    }

    private String journalText() throws IOException {
        return Files.readString(journalDir.resolve("journal.log"));
    }

    private void portsFail() {
        probe.answer = port -> ProbeResult.failure(port, "refused", Duration.ofMillis(1), "connection refused");
    }

    // ---- checks ----

    @Test
    void a_resource_before_any_check() throws IOException {
        AgentCore core = agent();
        assertThat(core.tags()).containsExactly("A", "B");
        assertThat(core.manages("A")).isTrue();
        assertThat(core.manages("C")).isFalse();
        ResourceView v = core.resource("A").orElseThrow();
        assertThat(v.status()).isEqualTo(Status.UNKNOWN);
        assertThat(v.since()).isEqualTo(T0);
        assertThat(v.reason()).isEqualTo("not checked yet");
        assertThat(v.role()).isEqualTo("unknown");
        assertThat(v.lastCheck()).isNull();
        assertThat(core.resource("C")).isEmpty();
        assertThat(core.resources()).extracting(ResourceView::tag).containsExactly("A", "B");
    }

    @Test
    void check_now_applies_the_threshold_and_journals_transitions() throws IOException {
        AgentCore core = agent();
        clock.advance(Duration.ofSeconds(10));
        CheckResult first = core.checkNow("A");
        assertThat(first.observed()).isEqualTo(Status.RUNNING);
        ResourceView v = core.resource("A").orElseThrow();
        assertThat(v.status()).isEqualTo(Status.RUNNING);
        assertThat(v.since()).isEqualTo(T0.plusSeconds(10));
        assertThat(v.service()).isEqualTo("SA");
        assertThat(v.lastCheck()).isEqualTo(first);

        portsFail();
        clock.advance(Duration.ofSeconds(10));
        assertThat(core.checkNow("A").observed()).isEqualTo(Status.FAILED);
        assertThat(core.resource("A").orElseThrow().status()).as("one failure is not enough").isEqualTo(Status.RUNNING);
        clock.advance(Duration.ofSeconds(10));
        core.checkNow("A");
        v = core.resource("A").orElseThrow();
        assertThat(v.status()).isEqualTo(Status.FAILED);
        assertThat(v.since()).isEqualTo(T0.plusSeconds(30));
        assertThat(v.reason()).contains("30000").contains("rcvport");

        assertThat(listener.transitions).extracting(t -> t.from() + "->" + t.to())
                .containsExactly("UNKNOWN->RUNNING", "RUNNING->FAILED");
        assertThat(listener.checked).hasSize(3);
        assertThat(core.history().since(e -> true, 100)).extracting(Event::type)
                .containsExactly(Event.TRANSITION, Event.TRANSITION);
        assertThat(journalText()).contains("\"to\":\"FAILED\"");
        assertThat(core.resource("B").orElseThrow().status()).as("B was not checked").isEqualTo(Status.UNKNOWN);
    }

    @Test
    void checks_are_kept_newest_first_and_bounded() throws IOException {
        AgentCore core = agent();
        for (int i = 0; i < 7; i++) {
            clock.advance(Duration.ofSeconds(1));
            core.checkNow("A");
        }
        List<CheckResult> checks = core.checks("A", 100);
        assertThat(checks).hasSize(5); // checksKept
        assertThat(checks.get(0).at()).isEqualTo(T0.plusSeconds(7));
        assertThat(checks.get(4).at()).isEqualTo(T0.plusSeconds(3));
        assertThat(core.checks("A", 2)).extracting(CheckResult::at)
                .containsExactly(T0.plusSeconds(7), T0.plusSeconds(6));
        assertThat(core.checks("B", 10)).isEmpty();
    }

    @Test
    void check_all_runs_resources_in_parallel() throws Exception {
        AgentCore core = agent();
        CountDownLatch bothIn = new CountDownLatch(2);
        services.gate("SA", bothIn);
        services.gate("SB", bothIn);
        core.checkAll();
        // each check waits inside the service query until the other has entered: only parallel checks get here
        assertThat(bothIn.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        services.releaseAll();
        await("both checked", () -> core.resource("A").orElseThrow().status() == Status.RUNNING
                && core.resource("B").orElseThrow().status() == Status.RUNNING);
    }

    @Test
    void never_two_checks_of_one_resource_at_once() throws Exception {
        AgentCore core = agent();
        CountDownLatch aIn = new CountDownLatch(1);
        services.gate("SA", aIn);

        core.checkAll();
        assertThat(aIn.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        core.checkAll(); // A's check still runs: this round skips A
        core.checkAll();
        assertThat(services.askedFor("SA")).isEqualTo(1);

        // checkNow waits for the running check instead of starting a second one
        CheckResult[] now = new CheckResult[1];
        Thread waiting = new Thread(() -> now[0] = core.checkNow("A"), "test-check-now");
        waiting.start();
        await("checkNow to wait", () -> waiting.getState() == Thread.State.WAITING);
        assertThat(services.askedFor("SA")).isEqualTo(1);
        assertThat(waiting.isAlive()).isTrue();

        services.releaseAll();
        waiting.join(WAIT.toMillis());
        assertThat(waiting.isAlive()).isFalse();
        assertThat(now[0].observed()).isEqualTo(Status.RUNNING);
        assertThat(services.askedFor("SA")).isEqualTo(2);
        assertThat(services.maxInFlight("SA")).isEqualTo(1);
        await("B checked", () -> services.askedFor("SB") >= 1);
    }

    @Test
    void check_all_after_a_check_ended_checks_again() throws Exception {
        AgentCore core = agent();
        core.checkAll();
        core.checkNow("A"); // waits for the round's check of A to give its turn back
        core.checkNow("B");
        core.checkAll();
        await("second round", () -> services.askedFor("SA") == 3 && services.askedFor("SB") == 3);
        assertThat(services.maxInFlight("SA")).isEqualTo(1);
    }

    @Test
    void unknown_tag_is_refused() throws IOException {
        AgentCore core = agent();
        assertThatThrownBy(() -> core.checkNow("C")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("C");
        assertThatThrownBy(() -> core.checks("C", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> core.submit("C", Action.RESTORE, "r", "ops"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(journalText()).isEmpty();
        assertThat(executor.ran).isEmpty();
    }

    // ---- actions ----

    @Test
    void submit_journals_queued_durably_before_returning_then_running_then_succeeded() throws Exception {
        AgentCore core = agent();
        CountDownLatch release = executor.gate();
        executor.outcome = a -> {
            clock.advance(Duration.ofMillis(2500));
            return new ActionExecutor.Outcome(0, List.of("51050001 INFO started", "51050002 INFO done"));
        };
        clock.advance(Duration.ofSeconds(1));

        ActionRecord queued = core.submit("A", Action.RESTORE, "maintenance", "alice");

        // on disk already, before the action could have ended
        assertThat(journalText()).contains(queued.id()).contains("\"state\":\"QUEUED\"");
        assertThat(queued.state()).isEqualTo("QUEUED");
        assertThat(queued.tag()).isEqualTo("A");
        assertThat(queued.action()).isEqualTo("restore");
        assertThat(queued.reason()).isEqualTo("maintenance");
        assertThat(queued.requestedBy()).isEqualTo("alice");
        assertThat(queued.mode()).isEqualTo("direct");
        assertThat(queued.requestedAt()).isEqualTo(T0.plusSeconds(1));
        assertThat(queued.finished()).isFalse();

        await("RUNNING", () -> executor.entered.get() == 1);
        ActionRecord running = core.history().actionById(queued.id()).orElseThrow();
        assertThat(running.state()).isEqualTo("RUNNING");
        assertThat(running.startedAt()).isEqualTo(T0.plusSeconds(1));
        assertThat(journalText()).doesNotContain("SUCCEEDED");

        release.countDown();
        ActionRecord ended = awaitEnd(core, queued.id());
        assertThat(ended.state()).isEqualTo("SUCCEEDED");
        assertThat(ended.exitCode()).isZero();
        assertThat(ended.messages()).containsExactly("51050001 INFO started", "51050002 INFO done");
        assertThat(ended.durationMillis()).isEqualTo(2500);
        assertThat(ended.endedAt()).isEqualTo(T0.plusMillis(3500));
        assertThat(executor.ran).containsExactly("restore A");
        await("listener told", () -> listener.ended.size() == 1);
        assertThat(listener.ended.get(0)).isEqualTo(ended);

        core.close();
        assertThat(Files.readAllLines(journalDir.resolve("journal.log")))
                .filteredOn(l -> l.contains(queued.id()))
                .extracting(l -> l.replaceAll(".*\"state\":\"([A-Z]+)\".*", "$1"))
                .containsExactly("QUEUED", "RUNNING", "SUCCEEDED");
    }

    @Test
    void an_action_that_fails_records_its_exit_code_and_messages() throws Exception {
        AgentCore core = agent();
        executor.outcome = a -> new ActionExecutor.Outcome(1, List.of("51050007 ERROR port does not answer"));
        ActionRecord q = core.submit("B", Action.RECOVER, "r", "bob");
        ActionRecord ended = awaitEnd(core, q.id());
        assertThat(ended.state()).isEqualTo("FAILED");
        assertThat(ended.exitCode()).isEqualTo(1);
        assertThat(ended.messages()).containsExactly("51050007 ERROR port does not answer");
        assertThat(ended.action()).isEqualTo("recover");
    }

    @Test
    void an_executor_that_throws_gives_a_failed_record_not_a_crash() throws Exception {
        AgentCore core = agent();
        executor.outcome = a -> {
            throw new IllegalStateException("kit exploded");
        };
        ActionRecord q = core.submit("A", Action.REMOVE, "r", "ops");
        ActionRecord ended = awaitEnd(core, q.id());
        assertThat(ended.state()).isEqualTo("FAILED");
        assertThat(ended.exitCode()).isEqualTo(1);
        assertThat(ended.messages()).containsExactly("the action failed: kit exploded");
        assertThat(directory.resolve("A").expectedActive()).as("a failed remove changes no expectation").isEmpty();

        // the agent goes on: another action runs
        executor.outcome = a -> new ActionExecutor.Outcome(0, List.of());
        ActionRecord next = awaitEnd(core, core.submit("A", Action.RESTORE, "again", "ops").id());
        assertThat(next.state()).isEqualTo("SUCCEEDED");
    }

    @Test
    void an_executor_that_throws_an_error_still_closes_the_record() throws Exception {
        AgentCore core = agent();
        executor.outcome = a -> {
            throw new StackOverflowError("deep");
        };
        ActionRecord ended = awaitEnd(core, core.submit("A", Action.RESTORE, "r", "ops").id());
        assertThat(ended.state()).isEqualTo("FAILED");
        assertThat(ended.messages()).singleElement().asString().contains("StackOverflowError");
    }

    @Test
    void an_action_checks_the_resource_when_it_ends() throws Exception {
        AgentCore core = agent();
        ActionRecord q = core.submit("A", Action.RESTORE, "r", "ops");
        awaitEnd(core, q.id());
        await("the check after the action", () -> core.resource("A").orElseThrow().status() == Status.RUNNING);
        assertThat(services.askedFor("SA")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void direct_remove_makes_a_stopped_service_a_standby_and_restore_makes_it_expected() throws Exception {
        services.set("SA", ServiceState.STOPPED);
        AgentCore core = agent();
        assertThat(core.checkNow("A").role()).isEqualTo("unknown");

        awaitEnd(core, core.submit("A", Action.RESTORE, "r", "ops").id());
        assertThat(directory.resolve("A").expectedActive()).contains(true);
        core.checkNow("A");
        CheckResult c = core.checkNow("A");
        assertThat(c.role()).isEqualTo("active");
        assertThat(c.observed()).isEqualTo(Status.FAILED);
        assertThat(core.resource("A").orElseThrow().status()).isEqualTo(Status.FAILED);

        awaitEnd(core, core.submit("A", Action.REMOVE, "r", "ops").id());
        assertThat(directory.resolve("A").expectedActive()).contains(false);
        c = core.checkNow("A");
        assertThat(c.role()).isEqualTo("standby");
        assertThat(c.observed()).isEqualTo(Status.STOPPED);
        assertThat(core.resource("A").orElseThrow().status()).isEqualTo(Status.STOPPED);
    }

    @Test
    void quick_check_failed_actions_and_lifekeeper_mode_leave_the_expectation_alone() throws Exception {
        AgentCore core = agent();
        awaitEnd(core, core.submit("A", Action.QUICK_CHECK, "r", "ops").id());
        assertThat(directory.resolve("A").expectedActive()).isEmpty();

        executor.outcome = a -> new ActionExecutor.Outcome(1, List.of());
        awaitEnd(core, core.submit("A", Action.RESTORE, "r", "ops").id());
        assertThat(directory.resolve("A").expectedActive()).isEmpty();

        executor.outcome = a -> new ActionExecutor.Outcome(0, List.of());
        executor.mode = "lifekeeper";
        ActionRecord lk = awaitEnd(core, core.submit("A", Action.REMOVE, "r", "ops").id());
        assertThat(lk.mode()).isEqualTo("lifekeeper");
        assertThat(lk.state()).isEqualTo("SUCCEEDED");
        assertThat(directory.resolve("A").expectedActive()).as("LifeKeeper says, not us").isEmpty();
    }

    @Test
    void actions_of_a_resource_newest_first() throws Exception {
        AgentCore core = agent();
        String first = awaitEnd(core, core.submit("A", Action.RESTORE, "1", "ops").id()).id();
        clock.advance(Duration.ofSeconds(1));
        String second = awaitEnd(core, core.submit("A", Action.REMOVE, "2", "ops").id()).id();
        awaitEnd(core, core.submit("B", Action.REMOVE, "3", "ops").id());
        assertThat(core.history().actions("A", 10)).extracting(ActionRecord::id).containsExactly(second, first);
    }

    // ---- restart ----

    @Test
    void a_restarted_agent_keeps_status_since_and_actions() throws Exception {
        AgentCore before = agent();
        clock.advance(Duration.ofSeconds(10));
        before.checkNow("A");
        before.checkNow("B");
        portsFail();
        clock.advance(Duration.ofSeconds(10));
        before.checkNow("A");
        clock.advance(Duration.ofSeconds(10));
        before.checkNow("A"); // A FAILED since T0+30s; B RUNNING since T0+10s
        ActionRecord act = awaitEnd(before, before.submit("B", Action.RESTORE, "r", "ops").id());
        await("B's check after its action", () -> services.askedFor("SB") == 2);
        before.close();
        long seq = before.history().lastSeq();

        clock.advance(Duration.ofHours(1));
        ResourceDirectory fresh = new ResourceDirectory(Map.of("A", "SA", "B", "SB"), Optional.empty());
        AgentCore after = agent(fresh);
        assertThat(after.resource("A").orElseThrow().status()).isEqualTo(Status.UNKNOWN);
        after.restore();

        ResourceView a = after.resource("A").orElseThrow();
        assertThat(a.status()).isEqualTo(Status.FAILED);
        assertThat(a.since()).isEqualTo(T0.plusSeconds(30));
        assertThat(a.reason()).contains("rcvport");
        ResourceView b = after.resource("B").orElseThrow();
        assertThat(b.status()).isEqualTo(Status.RUNNING);
        assertThat(b.since()).isEqualTo(T0.plusSeconds(10));
        assertThat(after.history().actionById(act.id())).contains(act);
        assertThat(after.history().actions("B", 10)).containsExactly(act);
        assertThat(after.history().lastSeq()).isEqualTo(seq);
        assertThat(fresh.resolve("B").expectedActive()).as("the last direct restore").contains(true);
        assertThat(fresh.resolve("A").expectedActive()).isEmpty();

        // the same status again keeps the journalled since; numbering goes on
        after.checkNow("A");
        assertThat(after.resource("A").orElseThrow().since()).isEqualTo(T0.plusSeconds(30));
        probe.answer = new FakeProbe().answer;
        Instant now = clock.instant();
        after.checkNow("A");
        assertThat(after.resource("A").orElseThrow().since()).isEqualTo(now);
        assertThat(after.history().since(e -> e.seq() > seq, 10)).extracting(Event::seq).containsExactly(seq + 1);
    }

    @Test
    void after_a_restart_the_last_direct_action_sets_the_expectation() throws Exception {
        services.set("SA", ServiceState.STOPPED).set("SB", ServiceState.STOPPED);
        AgentCore before = agent();
        awaitEnd(before, before.submit("A", Action.RESTORE, "r", "ops").id());
        clock.advance(Duration.ofSeconds(1));
        awaitEnd(before, before.submit("A", Action.REMOVE, "r", "ops").id());
        clock.advance(Duration.ofSeconds(1));
        awaitEnd(before, before.submit("A", Action.QUICK_CHECK, "r", "ops").id());
        awaitEnd(before, before.submit("B", Action.REMOVE, "r", "ops").id());
        clock.advance(Duration.ofSeconds(1));
        awaitEnd(before, before.submit("B", Action.RECOVER, "r", "ops").id());
        executor.outcome = a -> new ActionExecutor.Outcome(1, List.of());
        awaitEnd(before, before.submit("B", Action.REMOVE, "failed", "ops").id());
        before.close();

        ResourceDirectory fresh = new ResourceDirectory(Map.of("A", "SA", "B", "SB"), Optional.empty());
        AgentCore after = agent(fresh);
        after.restore();
        // A: remove was the last direct change (quickCheck changes nothing) → standby → stopped is fine
        assertThat(fresh.resolve("A").expectedActive()).contains(false);
        assertThat(after.checkNow("A").observed()).isEqualTo(Status.STOPPED);
        // B: recover succeeded last (the failed remove does not count) → expected → stopped is a failure
        assertThat(fresh.resolve("B").expectedActive()).contains(true);
        after.checkNow("B");
        assertThat(after.checkNow("B").observed()).isEqualTo(Status.FAILED);
        assertThat(after.resource("B").orElseThrow().status()).isEqualTo(Status.FAILED);
    }

    @Test
    void restore_ignores_tags_no_longer_managed() throws Exception {
        AgentCore before = agent();
        before.checkNow("A");
        before.close();
        LineJournal journal = new LineJournal(journalDir, LineJournal.MAX_LINE * 4L, 3);
        toClose.add(journal);
        AgentCore after = new AgentCore(List.of("B"), new Checker(AgentFakes.parameters(conf), services, probe,
                directory, clock), directory, executor, new History(journal, 100), 2, 5, clock, listener);
        toClose.add(after);
        after.restore();
        assertThat(after.tags()).containsExactly("B");
        assertThat(after.resource("B").orElseThrow().status()).isEqualTo(Status.UNKNOWN);
        assertThat(after.history().lastSeq()).isEqualTo(1);
    }

    // ---- fakes ----

    /** Services whose query can be held at a gate, counting how many queries of one service run at once. */
    static final class GatedServices extends FakeServices {
        private final Map<String, CountDownLatch> gates = new ConcurrentHashMap<>();
        private final CountDownLatch release = new CountDownLatch(1);
        private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
        private final Map<String, AtomicInteger> max = new ConcurrentHashMap<>();

        /** The next query of {@code service} counts {@code entered} down, then waits for {@link #releaseAll}. */
        void gate(String service, CountDownLatch entered) {
            gates.put(service, entered);
        }

        void releaseAll() {
            release.countDown();
        }

        int maxInFlight(String service) {
            return max.getOrDefault(service, new AtomicInteger()).get();
        }

        @Override
        public ServiceState state(String service, Duration bound) {
            int n = inFlight.computeIfAbsent(service, s -> new AtomicInteger()).incrementAndGet();
            max.computeIfAbsent(service, s -> new AtomicInteger()).accumulateAndGet(n, Math::max);
            try {
                ServiceState answer = super.state(service, bound); // recorded as asked before it waits
                CountDownLatch entered = gates.remove(service);
                if (entered != null) {
                    entered.countDown();
                    try {
                        release.await(WAIT.toSeconds(), TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return answer;
            } finally {
                inFlight.get(service).decrementAndGet();
            }
        }
    }

    static final class RecordingListener implements AgentCore.Listener {
        final List<CheckResult> checked = new CopyOnWriteArrayList<>();
        final List<ResourceState.Transition> transitions = new CopyOnWriteArrayList<>();
        final List<ActionRecord> ended = new CopyOnWriteArrayList<>();

        @Override
        public void checked(CheckResult check, Status status) {
            checked.add(check);
        }

        @Override
        public void transition(ResourceState.Transition t) {
            transitions.add(t);
        }

        @Override
        public void actionEnded(ActionRecord record) {
            ended.add(record);
        }
    }
}
