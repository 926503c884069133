package io.hulftark.agent;

import io.hulftark.agent.AgentFakes.FakeExecutor;
import io.hulftark.agent.AgentFakes.FakeProbe;
import io.hulftark.agent.AgentFakes.FakeServices;
import io.hulftark.agent.AgentFakes.MutableClock;
import io.hulftark.agent.journal.LineJournal;
import io.hulftark.agent.orders.OrderTaker;
import io.hulftark.agent.push.AgentReports;
import io.hulftark.kit.Action;
import io.hulftark.platform.ServiceState;
import io.hulftark.wire.ActionOrder;
import io.hulftark.wire.ActionOutcome;
import io.hulftark.wire.Report;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

import static io.hulftark.agent.AgentFakes.T0;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fleet view's orders on the agent: an order's id is its action's, so a delivery repeated (at once, from many
 * threads, after a restart, after a crash) never runs it twice; a refused order is kept as REFUSED and travels in
 * the reports with its reason; an order is never run unless its record is on disk.
 */
class FleetOrdersTest {

    private static final Duration WAIT = Duration.ofSeconds(10); // an upper bound for a hang, never a speed claim

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(T0);
    private final FakeServices services = new FakeServices();
    private final FakeExecutor executor = new FakeExecutor();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private Path conf;
    private LineJournal journal;

    @BeforeEach
    void setUp() throws IOException {
        conf = AgentFakes.hulenv(dir, "rcvport=30000\nobsport=31000\n");
        services.set("SA", ServiceState.RUNNING);
    }

    @AfterEach
    void tearDown() throws Exception {
        executor.releaseAll();
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    /** An agent (started or restarted) over the journal in dir/state, with its journal replayed. */
    private AgentCore agent() throws IOException {
        journal = new LineJournal(dir.resolve("state"), LineJournal.MAX_LINE * 4L, 3);
        toClose.add(journal);
        ResourceDirectory directory = new ResourceDirectory(Map.of("A", "SA"), Optional.empty());
        Checker checker = new Checker(AgentFakes.parameters(conf), services, new FakeProbe(), directory, clock);
        AgentCore core = new AgentCore(List.of("A"), checker, directory, executor, new History(journal, 100), 2, 5,
                clock, new AgentCore.Listener() { });
        toClose.add(core);
        core.restore();
        return core;
    }

    static ActionOrder order(String id, String tag, String action) {
        return new ActionOrder(id, "c1", "node-a", tag, action, "patching", "alice", T0);
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
        await("action " + id + " to end", () -> core.known(id).map(ActionRecord::finished).orElse(false));
        return core.known(id).orElseThrow();
    }

    @Test
    void anOrderDeliveredTwiceRunsOnceAndAnswersWithItsRecord() throws Exception {
        AgentCore core = agent();
        OrderTaker taker = new OrderTaker(core, "c1", "node-a", true);

        OrderTaker.Taken first = taker.take(order("o-1", "A", "restore"));
        assertThat(first.known()).isFalse();
        assertThat(first.refusal()).isNull();
        assertThat(first.record().id()).isEqualTo("o-1");
        assertThat(first.record().requestedBy()).isEqualTo("fleet:alice");
        assertThat(first.record().reason()).isEqualTo("patching");
        ActionRecord ended = awaitEnd(core, "o-1");
        assertThat(ended.state()).isEqualTo(ActionRecord.SUCCEEDED);

        OrderTaker.Taken again = taker.take(order("o-1", "A", "restore"));
        assertThat(again.known()).isTrue();
        assertThat(again.record()).isEqualTo(ended);
        // Even a different body under the same id: the id is the order.
        assertThat(taker.take(order("o-1", "A", "remove")).record()).isEqualTo(ended);
        assertThat(core.submit("o-1", "A", Action.REMOVE, "r", "fleet:bob")).isEqualTo(ended);
        assertThat(executor.ran).containsExactly("restore A");
    }

    @Test
    void manyDeliveriesAtOnceRunItOnce() throws Exception {
        AgentCore core = agent();
        OrderTaker taker = new OrderTaker(core, "c1", "node-a", true);
        CountDownLatch gate = executor.gate(); // the first run holds: every other delivery comes while it runs
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<OrderTaker.Taken>> all = IntStream.range(0, 16).mapToObj(i -> pool.submit(() -> {
                go.await();
                return taker.take(order("o-2", "A", "remove"));
            })).toList();
            go.countDown();
            int fresh = 0;
            for (Future<OrderTaker.Taken> f : all) {
                OrderTaker.Taken t = f.get(10, TimeUnit.SECONDS);
                assertThat(t.record().id()).isEqualTo("o-2");
                fresh += t.known() ? 0 : 1;
            }
            assertThat(fresh).as("deliveries that recorded the order").isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        gate.countDown();
        awaitEnd(core, "o-2");
        assertThat(executor.ran).containsExactly("remove A");
    }

    @Test
    void aRestartedAgentRemembersTheIdFromItsJournal() throws Exception {
        AgentCore before = agent();
        new OrderTaker(before, "c1", "node-a", true).take(order("o-3", "A", "restore"));
        ActionRecord done = awaitEnd(before, "o-3");
        before.close();
        journal.close();

        AgentCore after = agent();
        OrderTaker.Taken again = new OrderTaker(after, "c1", "node-a", true).take(order("o-3", "A", "restore"));
        assertThat(again.known()).isTrue();
        assertThat(again.record().state()).isEqualTo(ActionRecord.SUCCEEDED);
        assertThat(again.record().endedAt()).isEqualTo(done.endedAt());
        assertThat(executor.ran).containsExactly("restore A");
    }

    @Test
    void anOrderTheDeadAgentHadQueuedIsInterruptedNotRunAgain() throws Exception {
        AgentCore before = agent();
        CountDownLatch gate = executor.gate();
        new OrderTaker(before, "c1", "node-a", true).take(order("o-4", "A", "restore"));
        await("the order runs", () -> executor.entered.get() == 1);
        // A crash: the journal says RUNNING, no end was written.
        journal.close();
        AgentCore after = agent();
        gate.countDown();
        ActionRecord found = after.known("o-4").orElseThrow();
        assertThat(found.state()).isEqualTo(ActionRecord.INTERRUPTED);
        OrderTaker.Taken again = new OrderTaker(after, "c1", "node-a", true).take(order("o-4", "A", "restore"));
        assertThat(again.known()).isTrue();
        assertThat(again.record().state()).isEqualTo(ActionRecord.INTERRUPTED);
        assertThat(executor.ran).containsExactly("restore A");
    }

    @Test
    void anOrderIsRememberedBeyondTheActionsKeptInMemory() throws Exception {
        AgentCore core = agent();
        OrderTaker taker = new OrderTaker(core, "c1", "node-a", true);
        taker.take(order("o-old", "A", "quickCheck"));
        awaitEnd(core, "o-old");
        for (int i = 0; i < 120; i++) { // the History keeps 100 actions
            awaitEnd(core, core.submit("A", Action.QUICK_CHECK, "", "ops").id());
        }
        assertThat(core.history().actions("A", 1000)).noneMatch(a -> a.id().equals("o-old"));
        assertThat(taker.take(order("o-old", "A", "quickCheck")).known()).isTrue();
        assertThat(executor.ran).hasSize(121);
    }

    @Test
    void aRefusedOrderIsKeptAsRefusedWithItsReason() throws Exception {
        AgentCore core = agent();
        OrderTaker off = new OrderTaker(core, "c1", "node-a", false);
        OrderTaker.Taken t = off.take(order("o-5", "A", "restore"));
        assertThat(t.refusal().status()).isEqualTo(403);
        assertThat(t.refusal().type()).isEqualTo("actions-not-allowed");
        assertThat(t.record().state()).isEqualTo(ActionRecord.REFUSED);
        assertThat(t.record().messages()).containsExactly(OrderTaker.NOT_ALLOWED);
        assertThat(t.record().finished()).isTrue();
        assertThat(t.record().exitCode()).isNull();
        // Remembered by id like any other: allowing fleet actions later does not run an order refused before.
        OrderTaker on = new OrderTaker(core, "c1", "node-a", true);
        OrderTaker.Taken again = on.take(order("o-5", "A", "restore"));
        assertThat(again.known()).isTrue();
        assertThat(again.record().state()).isEqualTo(ActionRecord.REFUSED);

        OrderTaker.Taken unknownTag = on.take(order("o-6", "NOPE", "restore"));
        assertThat(unknownTag.refusal().status()).isEqualTo(404);
        assertThat(unknownTag.record().messages()).containsExactly("this agent manages no resource NOPE");
        OrderTaker.Taken otherNode = on.take(new ActionOrder("o-7", "c1", "node-b", "A", "restore", null, "alice", T0));
        assertThat(otherNode.refusal().status()).isEqualTo(400);
        assertThat(otherNode.record().messages().get(0)).isEqualTo("this order is for node node-b, and this is node node-a");
        OrderTaker.Taken noTime = on.take(new ActionOrder("o-8", "c1", "node-a", "A", "restore", null, "alice", null));
        assertThat(noTime.record().messages()).containsExactly("requestedAt is required");

        // What cannot be kept is only answered: an id that is no id, an action that is none.
        OrderTaker.Taken badId = on.take(order("bad id", "A", "restore"));
        assertThat(badId.record()).isNull();
        assertThat(badId.refusal().status()).isEqualTo(400);
        assertThat(on.take(order("o-9", "A", "deepCheck")).record()).isNull();
        assertThat(core.known("o-9")).isEmpty();
        assertThat(executor.ran).isEmpty();

        // The reports carry each refusal with its reason.
        AgentReports reports = new AgentReports("c1", "node-a", "v", T0, List::of, core.history(), clock,
                Map.of("site", "osaka"), true, "lifekeeper");
        Report r = reports.after(0);
        assertThat(r.labels()).containsEntry("site", "osaka");
        assertThat(r.fleetActions()).isTrue();
        assertThat(r.actionsVia()).isEqualTo("lifekeeper");
        Report.Event refused = r.events().stream().filter(e -> e.action() != null && e.action().id().equals("o-5"))
                .findFirst().orElseThrow();
        assertThat(refused.action().state()).isEqualTo(ActionOutcome.REFUSED);
        assertThat(refused.action().messages()).containsExactly(OrderTaker.NOT_ALLOWED);
        assertThat(refused.action().requestedBy()).isEqualTo("fleet:alice");
        assertThat(refused.text()).isEqualTo("restore by fleet:alice: REFUSED: " + OrderTaker.NOT_ALLOWED);
    }

    @Test
    void noOrderRunsWhileTheJournalCannotKeepIt() throws Exception {
        AgentCore core = agent();
        OrderTaker taker = new OrderTaker(core, "c1", "node-a", true);
        journal.close(); // every write fails from now on, as on a full disk
        OrderTaker.Taken t = taker.take(order("o-10", "A", "restore"));
        assertThat(t.refusal().status()).isEqualTo(503);
        assertThat(executor.ran).isEmpty();
        // A REST action still runs with its record PENDING in memory; an order does not.
        OrderTaker.Taken next = taker.take(order("o-11", "A", "restore"));
        assertThat(next.refusal().status()).isEqualTo(503);
        assertThat(next.record()).isNull();
        assertThat(core.known("o-11")).isEmpty();
        // The channel, which has no answer to give, keeps the refusal (in memory) so the fleet view learns it.
        OrderTaker.Taken kept = taker.take(order("o-12", "A", "restore"), true);
        assertThat(kept.record().state()).isEqualTo(ActionRecord.REFUSED);
        assertThat(kept.record().journal()).isEqualTo(ActionRecord.PENDING);
        assertThat(executor.ran).isEmpty();
    }

    @Test
    void anOutcomeCarriesTheLastMessagesEachCut() {
        List<String> many = IntStream.range(0, 50).mapToObj(i -> "line " + i + " " + "x".repeat(i == 49 ? 400 : 1))
                .toList();
        ActionRecord a = new ActionRecord("o-13", "A", "restore", "", "fleet:alice", "direct", ActionRecord.FAILED, T0,
                T0, T0.plusSeconds(2), 1, 2000L, many);
        ActionOutcome o = AgentReports.outcome(a);
        assertThat(o.id()).isEqualTo("o-13");
        assertThat(o.exitCode()).isEqualTo(1);
        assertThat(o.durationMillis()).isEqualTo(2000L);
        assertThat(o.mode()).isEqualTo("direct");
        assertThat(o.messages()).hasSize(20);
        assertThat(o.messages().get(0)).startsWith("(31 earlier messages left out");
        assertThat(o.messages().get(1)).startsWith("line 31 ");
        assertThat(o.messages().get(19)).startsWith("line 49 ").hasSizeLessThanOrEqualTo(300);
    }
}
