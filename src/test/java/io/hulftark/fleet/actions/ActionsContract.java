package io.hulftark.fleet.actions;

import io.hulftark.fleet.store.JdbcActionStore;
import io.hulftark.fleet.store.JdbcFleetStore;
import io.hulftark.fleet.view.EventQuery;
import io.hulftark.fleet.view.FleetEvent;
import io.hulftark.wire.ActionOrder;
import io.hulftark.wire.ActionOutcome;
import io.hulftark.wire.Report;
import io.hulftark.wire.ReportValidator;
import io.hulftark.wire.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.sql.DataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Fleet actions on a real store, run on each database by a subclass: the agents' side is played by reports with
 * action outcomes, ingested by the real store and handed to the runner as FleetService does after a kept report.
 * Cluster "c": n1 serves HULFT, n2 stands by; both agents allow fleet actions unless a test says otherwise.
 */
abstract class ActionsContract {

    static final Instant T0 = Instant.parse("2026-06-01T12:00:00Z");
    static final ActionRunner.Bounds BOUNDS = new ActionRunner.Bounds(Duration.ofSeconds(30), Duration.ofMinutes(10),
            Duration.ofSeconds(60));

    protected TestClock clock;
    protected JdbcFleetStore fleet;
    protected ActionRunner runner;
    protected final List<OrderPlaced> placed = new CopyOnWriteArrayList<>();
    private final ReportedFlags flags = new ReportedFlags();
    private final Map<String, Long> seqs = new HashMap<>();
    private final Map<String, Report> last = new HashMap<>();

    /** An empty, migrated database (the fleet store's and the actions' tables). */
    protected abstract DataSource open();

    /** The same database through a new pool, as a restarted fleet view would see it. */
    protected abstract DataSource reopen();

    protected abstract JdbcFleetStore.Dialect dialect();

    protected abstract void close();

    @BeforeEach
    void setUp() {
        clock = new TestClock(T0);
        runner = runnerOn(open());
        agent("c", "n1", Status.RUNNING, "direct", true);
        agent("c", "n2", Status.STOPPED, "direct", true);
    }

    @AfterEach
    void tearDown() {
        close();
    }

    ActionRunner runnerOn(DataSource ds) {
        fleet = new JdbcFleetStore(ds, dialect(), Duration.ofSeconds(35), Duration.ofMinutes(10), 2);
        JdbcFleetStore f = fleet;
        return new ActionRunner(new JdbcActionStore(ds, clock), name -> flags.overlay(f.cluster(name, 0, clock.instant())),
                BOUNDS, clock, placed::add);
    }

    // ---------------------------------------------------------------- the agents' side

    /** A report of the node: HULFT with {@code status}, and these action outcomes as events. */
    Report agent(String cluster, String node, Status status, String via, boolean allowed, ActionOutcome... outcomes) {
        String key = cluster + "/" + node;
        long seq = seqs.merge(key, 1L, Long::sum);
        Instant now = clock.instant();
        List<Report.Event> events = new ArrayList<>();
        for (ActionOutcome o : outcomes) {
            events.add(new Report.Event(seq * 100 + events.size(), now, "HULFT", "action", o.action() + ": "
                    + o.state(), o));
        }
        Report r = new Report(cluster, node, "test", T0.minusSeconds(3600), seq, now,
                List.of(new Report.Resource("HULFT", "HULFT8", status, status == Status.RUNNING ? "active" : "standby",
                        now, null, now, List.of())), events, 0, "i-" + node, Map.of(), allowed, via);
        flags.saw(r);
        Report safe = ReportValidator.neutralised(r); // as FleetService keeps it
        fleet.ingest(safe, now);
        runner.onReport(safe);
        last.put(key, r);
        return r;
    }

    /** The node's agent says this of an order, HULFT now {@code status}. */
    void says(String node, Status status, String id, String action, String state, Integer exit, String... messages) {
        Report before = last.get("c/" + node);
        agent("c", node, status, before.actionsVia(), Boolean.TRUE.equals(before.fleetActions()),
                new ActionOutcome(id, action, state, exit, exit == null ? null : 1200L, List.of(messages),
                        before.actionsVia(), "fleet:alice"));
    }

    FleetAction start(String action, String node, boolean force) {
        return runner.start("c", new ActionSpec(action, node, null, force, "patching"), "alice", null);
    }

    FleetAction action(String id) {
        return runner.get(id).orElseThrow();
    }

    List<ActionOrder> orders(String node) {
        return runner.orders().undelivered("c", node, 20);
    }

    List<String> actionEvents() {
        return fleet.events(new EventQuery(0, Optional.empty(), Optional.of("c"), 1000)).stream()
                .filter(e -> e.kind().equals(FleetEvent.ACTION)).map(FleetEvent::text).toList();
    }

    // ---------------------------------------------------------------- single actions

    @Test
    void aSingleActionIsOfferedTakenOnceAndEndsWithItsOutcome() {
        FleetAction a = start("restore", "n2", false);
        assertThat(a.state()).isEqualTo("RUNNING");
        assertThat(a.steps()).singleElement().satisfies(s -> {
            assertThat(s.node()).isEqualTo("n2");
            assertThat(s.action()).isEqualTo("restore");
            assertThat(s.state()).isEqualTo("PENDING");
        });
        assertThat(placed).containsExactly(new OrderPlaced("c", "n2"));
        String id = a.steps().get(0).id();
        assertThat(orders("n2")).singleElement().satisfies(o -> {
            assertThat(o.id()).isEqualTo(id);
            assertThat(o.problem()).isNull();
            assertThat(o.requestedBy()).isEqualTo("alice");
            assertThat(o.reason()).isEqualTo("patching");
        });
        assertThat(orders("n1")).isEmpty();
        assertThat(runner.orders().waiting()).containsExactly(new OrderBook.NodeKey("c", "n2"));

        runner.orders().delivered(List.of(id), clock.instant());
        assertThat(orders("n2")).as("handed out a moment ago").isEmpty();
        clock.advance(Duration.ofSeconds(6));
        assertThat(orders("n2")).as("not taken: offered again").hasSize(1);

        says("n2", Status.STOPPED, id, "restore", "QUEUED", null);
        assertThat(orders("n2")).as("taken").isEmpty();
        assertThat(runner.orders().waiting()).isEmpty();
        says("n2", Status.STOPPED, id, "restore", "RUNNING", null);
        assertThat(action(a.id()).steps().get(0).state()).isEqualTo("RUNNING");
        says("n2", Status.RUNNING, id, "restore", "SUCCEEDED", 0, "HULFT started");

        FleetAction done = action(a.id());
        assertThat(done.state()).isEqualTo("SUCCEEDED");
        assertThat(done.endedAt()).isNotNull();
        assertThat(done.steps().get(0)).satisfies(s -> {
            assertThat(s.exitCode()).isZero();
            assertThat(s.durationMillis()).isEqualTo(1200L);
            assertThat(s.messages()).containsExactly("HULFT started");
            assertThat(s.startedAt()).isNotNull();
            assertThat(s.mode()).isEqualTo("direct");
        });
        assertThat(actionEvents()).contains("restore on n2 by alice (reason: patching): started",
                "restore on n2 by alice (reason: patching): SUCCEEDED");
        // A late or repeated word of the agent moves nothing back.
        says("n2", Status.RUNNING, id, "restore", "RUNNING", null);
        assertThat(action(a.id()).steps().get(0).state()).isEqualTo("SUCCEEDED");
    }

    @Test
    void aFailedStepFailsTheActionAndSaysWhy() {
        FleetAction a = start("recover", "n1", false);
        says("n1", Status.FAILED, a.steps().get(0).id(), "recover", "FAILED", 1, "port 30000 does not answer");
        FleetAction done = action(a.id());
        assertThat(done.state()).isEqualTo("FAILED");
        assertThat(done.detail()).isEqualTo("recover on n1 failed (exit 1: port 30000 does not answer)");
        assertThat(actionEvents()).anyMatch(t -> t.startsWith("recover on n1 by alice (reason: patching): FAILED"));
        assertThat(runner.start("c", new ActionSpec("quickCheck", "n1", null, false, null), "bob", null).state())
                .as("the cluster is free again").isEqualTo("RUNNING");
    }

    @Test
    void anAgentThatRefusesFailsTheActionWithItsReason() {
        FleetAction a = start("restore", "n2", false);
        says("n2", Status.STOPPED, a.steps().get(0).id(), "restore", "REFUSED", null,
                "fleet actions are not allowed on this node");
        assertThat(action(a.id()).detail()).isEqualTo("n2's agent refused restore: fleet actions are not allowed on "
                + "this node");
    }

    @Test
    void quickCheckWithoutANodeIsOneStepPerNodeOneAfterTheOther() {
        FleetAction a = start("quickCheck", null, false);
        assertThat(a.steps()).extracting(FleetActionStep::node).containsExactly("n1", "n2");
        assertThat(orders("n2")).as("the second waits for the first").isEmpty();
        says("n1", Status.RUNNING, a.steps().get(0).id(), "quickCheck", "SUCCEEDED", 0);
        assertThat(orders("n2")).hasSize(1);
        assertThat(placed).containsExactly(new OrderPlaced("c", "n1"), new OrderPlaced("c", "n2"));
        says("n2", Status.STOPPED, a.steps().get(1).id(), "quickCheck", "SUCCEEDED", 0);
        assertThat(action(a.id()).state()).isEqualTo("SUCCEEDED");
    }

    // ---------------------------------------------------------------- switchover

    @Test
    void aDirectSwitchoverRemovesThenRestoresAndEndsWhenTheClusterIsOkOnTheTarget() {
        FleetAction a = start("switchover", null, false); // the only standby: n2
        assertThat(a.steps()).extracting(s -> s.action() + "@" + s.node()).containsExactly("remove@n1", "restore@n2");
        assertThat(orders("n2")).isEmpty();
        says("n1", Status.STOPPED, a.steps().get(0).id(), "remove", "SUCCEEDED", 0);
        assertThat(orders("n2")).singleElement().satisfies(o -> assertThat(o.action()).isEqualTo("restore"));
        says("n2", Status.RUNNING, a.steps().get(1).id(), "restore", "SUCCEEDED", 0);
        FleetAction done = action(a.id());
        assertThat(done.state()).isEqualTo("SUCCEEDED");
        assertThat(done.detail()).isEqualTo("HULFT serves on n2 and cluster c is OK");
        assertThat(actionEvents()).contains("switchover to n2 by alice (reason: patching): SUCCEEDED");
    }

    @Test
    void aSwitchoverWhoseRestoreFailsIsRolledBackAndFails() {
        FleetAction a = start("switchover", "n2", false);
        says("n1", Status.STOPPED, a.steps().get(0).id(), "remove", "SUCCEEDED", 0);
        says("n2", Status.FAILED, a.steps().get(1).id(), "restore", "FAILED", 1, "port 30000 is taken");
        FleetAction rolling = action(a.id());
        assertThat(rolling.state()).isEqualTo("RUNNING");
        assertThat(rolling.steps()).hasSize(3);
        FleetActionStep undo = rolling.steps().get(2);
        assertThat(undo.rollback()).isTrue();
        assertThat(undo.node() + " " + undo.action()).isEqualTo("n1 restore");
        assertThat(orders("n1")).extracting(ActionOrder::id).containsExactly(undo.id());
        says("n1", Status.RUNNING, undo.id(), "restore", "SUCCEEDED", 0);
        FleetAction done = action(a.id());
        assertThat(done.state()).isEqualTo("FAILED");
        assertThat(done.detail()).isEqualTo("restore on n2 failed (exit 1: port 30000 is taken); HULFT restored on n1");
    }

    @Test
    void underLifeKeeperASwitchoverIsOneRestoreOnTheTargetAndNoRemove() {
        agent("c", "n1", Status.RUNNING, "lifekeeper", true);
        agent("c", "n2", Status.STOPPED, "lifekeeper", true);
        FleetAction a = start("switchover", "n2", false);
        assertThat(a.steps()).singleElement().satisfies(s -> assertThat(s.action() + "@" + s.node())
                .isEqualTo("restore@n2"));
        assertThat(orders("n1")).isEmpty();
        says("n2", Status.RUNNING, a.steps().get(0).id(), "restore", "RUNNING", null);
        agent("c", "n1", Status.STOPPED, "lifekeeper", true); // LifeKeeper took it out of service there
        says("n2", Status.RUNNING, a.steps().get(0).id(), "restore", "SUCCEEDED", 0);
        assertThat(action(a.id()).state()).isEqualTo("SUCCEEDED");
    }

    @Test
    void aSwitchoverThatDoesNotSettleFailsAfterTheSettleTimeout() {
        agent("c", "n1", Status.RUNNING, "lifekeeper", true);
        agent("c", "n2", Status.STOPPED, "lifekeeper", true);
        FleetAction a = start("switchover", "n2", false);
        says("n2", Status.RUNNING, a.steps().get(0).id(), "restore", "SUCCEEDED", 0); // n1 still runs it: SPLIT
        runner.tick();
        assertThat(action(a.id()).state()).isEqualTo("RUNNING");
        clock.advance(Duration.ofSeconds(61));
        runner.tick();
        FleetAction done = action(a.id());
        assertThat(done.state()).isEqualTo("FAILED");
        assertThat(done.detail()).startsWith("every step succeeded but cluster c was not OK served on n2 within 60 s: ");
    }

    // ---------------------------------------------------------------- bounds and refusals

    @Test
    void anOrderNotTakenInTimeTimesOut() {
        FleetAction a = start("restore", "n2", false);
        clock.advance(Duration.ofSeconds(29));
        runner.tick();
        assertThat(action(a.id()).state()).isEqualTo("RUNNING");
        clock.advance(Duration.ofSeconds(2));
        runner.tick();
        FleetAction done = action(a.id());
        assertThat(done.state()).isEqualTo("FAILED");
        assertThat(done.steps().get(0).state()).isEqualTo("TIMED_OUT");
        assertThat(done.detail()).isEqualTo("n2's agent did not take the action within 30 s");
        assertThat(orders("n2")).as("no longer offered").isEmpty();
    }

    @Test
    void aStepTakenButNotEndedInTimeTimesOut() {
        FleetAction a = start("restore", "n2", false);
        says("n2", Status.STOPPED, a.steps().get(0).id(), "restore", "RUNNING", null);
        clock.advance(Duration.ofMinutes(11));
        runner.tick();
        assertThat(action(a.id()).detail()).isEqualTo("n2's agent did not end the action within 10 min");
    }

    @Test
    void oneActionPerClusterAlsoAcrossTwoInstancesOnOneDatabase() throws Exception {
        FleetAction a = start("quickCheck", "n1", false);
        assertThatThrownBy(() -> start("restore", "n2", false)).isInstanceOfSatisfying(ActionRefused.class, e -> {
            assertThat(e.status()).isEqualTo(409);
            assertThat(e.kind()).isEqualTo("action-running");
            assertThat(e.getMessage()).contains(a.id());
        });
        says("n1", Status.RUNNING, a.steps().get(0).id(), "quickCheck", "SUCCEEDED", 0);

        // Two instances asked at the same moment: exactly one starts.
        ActionRunner other = runnerOn(reopen());
        agent("c", "n1", Status.RUNNING, "direct", true);
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (ActionRunner r : List.of(runner, other)) {
                Callable<String> ask = () -> {
                    go.await();
                    try {
                        return r.start("c", new ActionSpec("quickCheck", "n2", null, false, null), "bob", null).id();
                    } catch (ActionRefused e) {
                        return e.kind();
                    }
                };
                results.add(pool.submit(ask));
            }
            go.countDown();
            List<String> got = new ArrayList<>();
            for (Future<String> f : results) {
                got.add(f.get());
            }
            assertThat(got).filteredOn(s -> s.equals("action-running")).hasSize(1);
            assertThat(got).filteredOn(s -> s.startsWith("fa-")).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void removingTheOnlyServingNodeNeedsForce() {
        assertThatThrownBy(() -> start("remove", "n1", false)).isInstanceOfSatisfying(ActionRefused.class, e -> {
            assertThat(e.status()).isEqualTo(409);
            assertThat(e.kind()).isEqualTo("needs-force");
            assertThat(e.getMessage()).contains("would leave cluster c with no node serving it");
        });
        assertThat(start("remove", "n2", false).state()).as("the standby: nothing stops serving").isEqualTo("RUNNING");
    }

    @Test
    void withForceTheOnlyServingNodeIsRemoved() {
        assertThat(start("remove", "n1", true).steps()).singleElement()
                .satisfies(s -> assertThat(s.action() + "@" + s.node()).isEqualTo("remove@n1"));
    }

    @Test
    void anAgentThatDoesNotAllowFleetActionsIsNotAsked() {
        agent("c", "n2", Status.STOPPED, "direct", false);
        assertThatThrownBy(() -> start("restore", "n2", false)).isInstanceOfSatisfying(ActionRefused.class, e -> {
            assertThat(e.kind()).isEqualTo("actions-not-allowed");
            assertThat(e.getMessage()).startsWith("n2's agent does not run actions of the fleet view");
        });
        assertThatThrownBy(() -> start("switchover", "n2", false)).isInstanceOf(ActionRefused.class);
        assertThat(runner.orders().waiting()).isEmpty();
    }

    @Test
    void unknownNamesAndBadRequestsAreRefused() {
        assertThat(refusal(() -> runner.start("nope", new ActionSpec("restore", "n1", null, false, null), "a", null)))
                .isEqualTo("404 no cluster named 'nope'");
        assertThat(refusal(() -> start("restore", "n9", false))).isEqualTo("404 cluster c has no node 'n9'");
        assertThat(refusal(() -> runner.start("c", new ActionSpec("restore", "n1", "HULFT9", false, null), "a", null)))
                .isEqualTo("404 cluster c has no resource 'HULFT9'");
        assertThat(refusal(() -> start("reboot", "n1", false)))
                .isEqualTo("400 action must be one of restore, remove, recover, quickCheck, switchover");
        assertThat(refusal(() -> start("restore", null, false))).isEqualTo("400 node is missing: restore runs on one node");
        assertThat(refusal(() -> runner.start("c", new ActionSpec("restore", "n2", null, false, "a\nb"), "a", null)))
                .startsWith("400 reason holds a control character");
        assertThat(refusal(() -> start("switchover", "n1", false))).isEqualTo("409 HULFT already runs on n1 in cluster c");
    }

    private static String refusal(Runnable r) {
        try {
            r.run();
            return "started";
        } catch (ActionRefused e) {
            return e.status() + " " + e.getMessage();
        }
    }

    // ---------------------------------------------------------------- restart, audit, retention

    @Test
    void anActionStartedBeforeARestartIsFinishedByTheNewInstance() {
        FleetAction a = start("switchover", "n2", false);
        says("n1", Status.STOPPED, a.steps().get(0).id(), "remove", "SUCCEEDED", 0);
        runner = runnerOn(reopen()); // the fleet view restarted: nothing of the old instance's memory survives
        runner.tick();
        assertThat(orders("n2")).hasSize(1);
        says("n2", Status.RUNNING, a.steps().get(1).id(), "restore", "SUCCEEDED", 0);
        assertThat(action(a.id()).state()).isEqualTo("SUCCEEDED");
    }

    @Test
    void theAuditIsSearchableAndPrunedOnlyWhenEnded() {
        FleetAction first = start("quickCheck", "n1", false);
        says("n1", Status.RUNNING, first.steps().get(0).id(), "quickCheck", "SUCCEEDED", 0);
        clock.advance(Duration.ofMinutes(1));
        FleetAction second = runner.start("c", new ActionSpec("restore", "n2", null, false, null), "bob", "b-1");
        assertThat(runner.search(new JdbcActionStore.Query(null, null, null, null, null, null, 50)))
                .extracting(FleetAction::id).containsExactly(second.id(), first.id());
        assertThat(runner.search(new JdbcActionStore.Query("c", "alice", null, null, null, null, 50)))
                .extracting(FleetAction::id).containsExactly(first.id());
        assertThat(runner.search(new JdbcActionStore.Query(null, null, "RUNNING", null, null, null, 50)))
                .extracting(FleetAction::batch).containsExactly("b-1");
        assertThat(runner.search(new JdbcActionStore.Query(null, null, null, T0.plusSeconds(30), null, null, 50)))
                .extracting(FleetAction::id).containsExactly(second.id());
        assertThat(runner.search(new JdbcActionStore.Query(null, null, null, null, T0.plusSeconds(30), null, 50)))
                .extracting(FleetAction::id).containsExactly(first.id());
        assertThat(runner.search(new JdbcActionStore.Query(null, null, null, null, null, second.id(), 50)))
                .as("the page after the newest").extracting(FleetAction::id).containsExactly(first.id());
        assertThat(runner.search(new JdbcActionStore.Query(null, null, null, null, null, null, 1))).hasSize(1);

        assertThat(runner.prune(T0.plus(Duration.ofHours(1)))).as("the ended one only").isEqualTo(1);
        assertThat(runner.get(first.id())).isEmpty();
        assertThat(runner.get(second.id())).isPresent();
    }
}
