package io.hulftark.fleet.actions.batch;

import io.agroal.api.AgroalDataSource;
import io.hulftark.fleet.actions.ActionSpec;
import io.hulftark.fleet.store.BatchStore;
import io.hulftark.fleet.store.FleetStore;
import io.hulftark.fleet.store.JdbcFleetStore;
import io.hulftark.http.ProblemException;
import io.hulftark.wire.Report;
import io.hulftark.wire.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Batches on a real store (an H2 file or the PostgreSQL server), run by {@link BatchRunner} against scripted fleet
 * actions; time is a clock the test moves, rounds are run by the test ({@link BatchRunner#tick()}).
 */
abstract class BatchContract {

    static final Instant T0 = Instant.parse("2026-03-01T02:00:00Z");
    static final Duration LEASE = Duration.ofSeconds(10);

    /** A migrated, empty database of the test's own. */
    protected abstract AgroalDataSource pool();

    protected abstract JdbcFleetStore.Dialect dialect();

    protected abstract void dropDatabase();

    final TestClock clock = new TestClock(T0);
    final ScriptedFleetActions actions = new ScriptedFleetActions();
    AgroalDataSource ds;
    BatchStore store;
    BatchRunner runner;

    @BeforeEach
    void open() {
        ds = pool();
        store = new BatchStore(ds);
        runner = runner("instance-a");
    }

    @AfterEach
    void close() {
        ds.close();
        dropDatabase();
    }

    BatchRunner runner(String owner) {
        return new BatchRunner(store, actions, clock, owner, LEASE);
    }

    static List<String> clusters(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            out.add("c" + i);
        }
        return out;
    }

    Batch create(String id, List<String> clusters, int concurrency, boolean stopOnFailure, int pauseSeconds) {
        Batch b = new Batch(id, "quickCheck", null, null, false, "nightly check",
                new BatchSelection(clusters, null, null, Map.of()), concurrency, stopOnFailure, pauseSeconds,
                Batch.RUNNING, 0, 0, 0, 0, 0, "alice", clock.instant(), null, List.of())
                .withClusters(clusters.stream().map(c -> new BatchCluster(c, BatchCluster.PENDING, null, null, null,
                        null)).toList());
        store.create(b);
        return b;
    }

    Batch read(String id) {
        return store.get(id).orElseThrow();
    }

    Map<String, String> states(String id) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        read(id).clusters().forEach(c -> out.put(c.cluster(), c.state()));
        return out;
    }

    void tick() {
        clock.advance(Duration.ofSeconds(1));
        runner.tick();
    }

    // ------------------------------------------------------------------------------------------- the store itself

    @Test
    void aBatchIsKeptWithItsClustersInOrderAndListedNewestFirstWithCounts() {
        Batch first = create("batch-1", List.of("b", "a", "c"), 2, true, 5);
        clock.advance(Duration.ofSeconds(1));
        create("batch-2", List.of("x"), 1, false, 0);
        clock.advance(Duration.ofSeconds(1));
        create("batch-3", List.of("y", "z"), 1, false, 0);

        Batch got = read("batch-1");
        assertThat(got.clusters()).extracting(BatchCluster::cluster).containsExactly("b", "a", "c");
        assertThat(got).usingRecursiveComparison().ignoringFields("clusters").isEqualTo(first);
        assertThat(got.selection().clusters()).containsExactly("b", "a", "c");
        assertThat(got.total()).isEqualTo(3);
        assertThat(got.pending()).isEqualTo(3);
        assertThat(store.get("batch-9")).isEmpty();

        List<Batch> list = store.list(null, null, 2);
        assertThat(list).extracting(Batch::id).containsExactly("batch-3", "batch-2");
        assertThat(list.get(0).total()).isEqualTo(2);
        assertThat(list.get(0).pending()).isEqualTo(2);
        assertThat(list.get(0).clusters()).isEmpty();
        assertThat(store.list(null, "batch-2", 10)).extracting(Batch::id).containsExactly("batch-1");
        assertThat(store.list(Batch.CANCELLED, null, 10)).isEmpty();
    }

    @Test
    void operatorsPauseResumeAndCancelOnlyFromTheStatesThatAllowIt() {
        create("batch-1", clusters(3), 1, false, 0);
        assertThat(store.transition("batch-1", Set.of(Batch.PAUSED), Batch.RUNNING, null, clock.instant()))
                .contains(Batch.RUNNING);
        assertThat(read("batch-1").state()).isEqualTo(Batch.RUNNING);
        assertThat(store.transition("batch-1", Set.of(Batch.RUNNING), Batch.PAUSED, null, clock.instant()))
                .contains(Batch.RUNNING);
        assertThat(read("batch-1").state()).isEqualTo(Batch.PAUSED);
        assertThat(store.transition("batch-9", Set.of(Batch.RUNNING), Batch.PAUSED, null, clock.instant())).isEmpty();

        store.transition("batch-1", Set.of(Batch.RUNNING, Batch.PAUSED), Batch.CANCELLED, "cancelled by bob",
                clock.instant());
        Batch b = read("batch-1");
        assertThat(b.state()).isEqualTo(Batch.CANCELLED);
        assertThat(b.endedAt()).as("nothing ran: ended at once").isEqualTo(clock.instant());
        assertThat(b.clusters()).allSatisfy(c -> {
            assertThat(c.state()).isEqualTo(BatchCluster.CANCELLED);
            assertThat(c.detail()).isEqualTo("cancelled by bob");
        });
        assertThat(store.transition("batch-1", Set.of(Batch.RUNNING, Batch.PAUSED), Batch.CANCELLED, "again",
                clock.instant())).contains(Batch.CANCELLED);
    }

    @Test
    void endedBatchesArePrunedAfterTheRetentionAndRunningOnesNever() {
        create("batch-old", List.of("a"), 1, false, 0);
        create("batch-running", List.of("b"), 1, false, 0);
        actions.endsAtOnce("a", "SUCCEEDED");
        store.transition("batch-running", Set.of(Batch.RUNNING), Batch.PAUSED, null, clock.instant());
        tick();
        tick();
        assertThat(read("batch-old").ended()).isTrue();
        clock.advance(Duration.ofDays(40));
        assertThat(store.prune(clock.instant().minus(Duration.ofDays(30)))).isEqualTo(1);
        assertThat(store.get("batch-old")).isEmpty();
        assertThat(store.get("batch-running")).isPresent();
    }

    // ------------------------------------------------------------------------------------------------ the runner

    @Test
    void sixClustersTwoAtATimeStopAtTheFirstFailureAndTheRunningOneFinishes() {
        create("batch-1", clusters(6), 2, true, 0);

        tick();
        assertThat(actions.started()).containsExactly("c1", "c2");
        assertThat(states("batch-1")).containsValues("RUNNING", "RUNNING", "PENDING", "PENDING", "PENDING", "PENDING");

        actions.finish("c1", "SUCCEEDED");
        tick();
        assertThat(actions.started()).containsExactly("c1", "c2", "c3");

        actions.finish("c3", "FAILED");
        tick();
        Batch b = read("batch-1");
        assertThat(states("batch-1")).containsExactlyEntriesOf(orderedMap("c1", "SUCCEEDED", "c2", "RUNNING",
                "c3", "FAILED", "c4", "SKIPPED", "c5", "SKIPPED", "c6", "SKIPPED"));
        assertThat(b.clusters().get(2).detail()).isEqualTo("quickCheck on c3: FAILED");
        assertThat(b.clusters().get(3).detail()).isEqualTo("not started: c3 failed and the batch stops on failure");
        assertThat(b.state()).as("c2 still runs").isEqualTo(Batch.RUNNING);
        assertThat(b.ended()).isFalse();

        actions.finish("c2", "SUCCEEDED");
        tick();
        tick();
        b = read("batch-1");
        assertThat(b.state()).isEqualTo(Batch.STOPPED);
        assertThat(b.endedAt()).isNotNull();
        assertThat(b.succeeded()).isEqualTo(2);
        assertThat(b.failed()).isEqualTo(1);
        assertThat(b.running()).isZero();
        assertThat(b.pending()).isZero();
        assertThat(actions.started()).as("exactly the clusters started").containsExactly("c1", "c2", "c3");
        assertThat(actions.maxRunning()).isEqualTo(2);
        assertThat(actions.latest("c1").orElseThrow().batch()).isEqualTo("batch-1");
        assertThat(actions.latest("c1").orElseThrow().requestedBy()).isEqualTo("alice");
    }

    @Test
    void concurrencyIsNeverExceededWhileActionsEndInAnyOrder() {
        create("batch-1", clusters(40), 3, false, 0);
        Random random = new Random(12);
        for (int round = 0; round < 200 && !read("batch-1").ended(); round++) {
            tick();
            assertThat(actions.running()).isLessThanOrEqualTo(3);
            for (String c : actions.runningClusters()) {
                if (random.nextInt(3) == 0) {
                    actions.finish(c, random.nextInt(10) == 0 ? "FAILED" : "SUCCEEDED");
                }
            }
        }
        Batch b = read("batch-1");
        assertThat(b.ended()).isTrue();
        assertThat(actions.started()).hasSize(40).doesNotHaveDuplicates();
        assertThat(actions.maxRunning()).isEqualTo(3);
        assertThat(b.succeeded() + b.failed()).isEqualTo(40);
        assertThat(b.state()).isEqualTo(b.failed() > 0 ? Batch.FAILED : Batch.SUCCEEDED);
    }

    @Test
    void aRefusedClusterFailsWithTheRefusalAndTheOthersGoOnWithoutStopOnFailure() {
        actions.refuse("c2", 409, "action-running", "cluster c2 runs action act-77 already");
        actions.refuse("c3", 404, "not-found", "no node " + "n".repeat(3000) + "\nin c3");
        for (String c : clusters(4)) {
            actions.endsAtOnce(c, "SUCCEEDED");
        }
        create("batch-1", clusters(4), 2, false, 0);
        for (int i = 0; i < 5; i++) {
            tick();
        }
        Batch b = read("batch-1");
        assertThat(b.state()).isEqualTo(Batch.FAILED);
        assertThat(b.clusters().get(1).state()).isEqualTo(BatchCluster.FAILED);
        assertThat(b.clusters().get(1).detail()).isEqualTo("cluster c2 runs action act-77 already");
        assertThat(b.clusters().get(1).actionId()).isNull();
        assertThat(b.clusters().get(2).detail()).as("kept as one line, cut").hasSize(1000).startsWith("no node nnn")
                .endsWith("n\u2026");
        assertThat(b.succeeded()).isEqualTo(2);
        assertThat(b.failed()).isEqualTo(2);
        assertThat(actions.started()).containsExactly("c1", "c4");
    }

    @Test
    void aRefusalStopsABatchThatStopsOnFailureAtOnce() {
        actions.refuse("c1", 409, "needs-force", "remove on node-a would leave c1 with no serving node");
        create("batch-1", clusters(3), 1, true, 0);
        tick();
        assertThat(states("batch-1")).containsExactlyEntriesOf(orderedMap("c1", "FAILED", "c2", "SKIPPED",
                "c3", "SKIPPED"));
        assertThat(read("batch-1").state()).isEqualTo(Batch.STOPPED);
        assertThat(actions.started()).isEmpty();
    }

    @Test
    void pauseStopsNewStartsResumeGoesOnAndCancelLetsTheRunningFinish() {
        create("batch-1", clusters(5), 2, false, 0);
        tick();
        assertThat(actions.started()).containsExactly("c1", "c2");

        store.transition("batch-1", Set.of(Batch.RUNNING), Batch.PAUSED, null, clock.instant());
        actions.finish("c1", "SUCCEEDED");
        tick();
        tick();
        assertThat(actions.started()).as("paused: no new start").containsExactly("c1", "c2");
        assertThat(read("batch-1").succeeded()).as("but progress is followed").isEqualTo(1);

        store.transition("batch-1", Set.of(Batch.PAUSED), Batch.RUNNING, null, clock.instant());
        tick();
        assertThat(actions.started()).containsExactly("c1", "c2", "c3");

        store.transition("batch-1", Set.of(Batch.RUNNING, Batch.PAUSED), Batch.CANCELLED, "cancelled by bob",
                clock.instant());
        tick();
        Batch b = read("batch-1");
        assertThat(b.state()).isEqualTo(Batch.CANCELLED);
        assertThat(b.ended()).as("c2 and c3 still run").isFalse();
        assertThat(states("batch-1")).containsExactlyEntriesOf(orderedMap("c1", "SUCCEEDED", "c2", "RUNNING",
                "c3", "RUNNING", "c4", "CANCELLED", "c5", "CANCELLED"));
        actions.finish("c2", "SUCCEEDED");
        actions.finish("c3", "FAILED");
        tick();
        b = read("batch-1");
        assertThat(b.state()).isEqualTo(Batch.CANCELLED);
        assertThat(b.ended()).isTrue();
        assertThat(actions.started()).containsExactly("c1", "c2", "c3");
    }

    @Test
    void pauseSecondsSpaceTheStarts() {
        for (String c : clusters(3)) {
            actions.endsAtOnce(c, "SUCCEEDED");
        }
        create("batch-1", clusters(3), 3, false, 30);
        tick();
        assertThat(actions.started()).containsExactly("c1");
        clock.advance(Duration.ofSeconds(20));
        runner.tick();
        assertThat(actions.started()).containsExactly("c1");
        clock.advance(Duration.ofSeconds(10));
        runner.tick();
        assertThat(actions.started()).containsExactly("c1", "c2");
    }

    @Test
    void anotherInstanceTakesOverWhenTheLeaseLapsesAndAtOnceAfterACleanStop() {
        create("batch-1", clusters(4), 2, false, 0);
        tick();
        assertThat(actions.started()).containsExactly("c1", "c2");

        // Instance a dies: b waits for its lease, then carries on from the store.
        BatchRunner b = runner("instance-b");
        actions.finish("c1", "SUCCEEDED");
        clock.advance(Duration.ofSeconds(5));
        b.tick();
        assertThat(read("batch-1").succeeded()).as("a's lease holds").isZero();
        clock.advance(Duration.ofSeconds(6));
        b.tick();
        assertThat(read("batch-1").succeeded()).isEqualTo(1);
        assertThat(actions.started()).containsExactly("c1", "c2", "c3");

        // a comes back and must not drive it: its writes find the lease gone.
        runner.tick();
        assertThat(actions.started()).containsExactly("c1", "c2", "c3");

        // b stops cleanly: a new instance takes over at once.
        b.release();
        BatchRunner c = runner("instance-c");
        actions.finish("c2", "SUCCEEDED");
        c.tick();
        assertThat(actions.started()).containsExactly("c1", "c2", "c3", "c4");
        assertThat(actions.maxRunning()).isEqualTo(2);
    }

    @Test
    void aClusterLeftStartingByADeadInstanceFailsAndIsNeverStartedAgain() {
        create("batch-1", clusters(2), 1, false, 0);
        // Instance a marked c1 RUNNING and died before its action started (or before it recorded it).
        store.claim("instance-a", clock.instant(), clock.instant().plus(LEASE));
        assertThat(store.starting("batch-1", 0, "instance-a", clock.instant(), clock.instant().plus(LEASE), null))
                .isTrue();
        clock.advance(LEASE.plusSeconds(1));
        actions.endsAtOnce("c2", "SUCCEEDED");
        BatchRunner b = runner("instance-b");
        b.tick();
        b.tick();
        Batch batch = read("batch-1");
        assertThat(batch.clusters().get(0).state()).isEqualTo(BatchCluster.FAILED);
        assertThat(batch.clusters().get(0).detail()).startsWith("the fleet view stopped while starting its action");
        assertThat(actions.started()).containsExactly("c2");
        assertThat(batch.state()).isEqualTo(Batch.FAILED);
    }

    @Test
    void twoInstancesTickingTogetherStartEachClusterOnceWithinTheConcurrency() throws Exception {
        create("batch-1", clusters(12), 2, false, 0);
        BatchRunner b = runner("instance-b");
        for (int round = 0; round < 100 && !read("batch-1").ended(); round++) {
            Thread ta = new Thread(runner::tick);
            Thread tb = new Thread(b::tick);
            ta.start();
            tb.start();
            ta.join();
            tb.join();
            assertThat(actions.running()).isLessThanOrEqualTo(2);
            actions.runningClusters().forEach(c -> actions.finish(c, "SUCCEEDED"));
            clock.advance(Duration.ofSeconds(1));
        }
        assertThat(read("batch-1").state()).isEqualTo(Batch.SUCCEEDED);
        assertThat(actions.started()).hasSize(12).doesNotHaveDuplicates();
    }

    // ------------------------------------------------------------------------------------------ the selection

    @Test
    void aSelectionIsTheNamedClustersWithTheMatchesOfItsQuery() {
        JdbcFleetStore fleet = new JdbcFleetStore(ds, dialect(), Duration.ofSeconds(35), Duration.ofMinutes(10), 4);
        for (int i = 0; i < 3; i++) {
            cluster(fleet, "osaka-" + i, Status.RUNNING, Status.STOPPED); // OK
            cluster(fleet, "tokyo-" + i, Status.STOPPED, Status.STOPPED); // DOWN
        }
        Instant now = clock.instant();
        assertThat(BatchService.resolve(fleet, new BatchSelection(List.of("tokyo-2", "osaka-1"), null, null, null), now))
                .containsExactly("tokyo-2", "osaka-1");
        assertThat(BatchService.resolve(fleet, new BatchSelection(null, "down", null, null), now))
                .containsExactly("tokyo-0", "tokyo-1", "tokyo-2");
        assertThat(BatchService.resolve(fleet, new BatchSelection(List.of("osaka-2", "tokyo-1"), "DOWN", null, null), now))
                .as("names first, then the matches, once each").containsExactly("osaka-2", "tokyo-1", "tokyo-0", "tokyo-2");
        assertThat(BatchService.resolve(fleet, new BatchSelection(null, null, "OSAKA", null), now))
                .containsExactly("osaka-0", "osaka-1", "osaka-2");
        assertThat(BatchService.resolve(fleet, new BatchSelection(null, null, null, null), now)).hasSize(6);
        assertThatThrownBy(() -> BatchService.resolve(fleet, new BatchSelection(null, "SPLIT", null, null), now))
                .isInstanceOf(ProblemException.class).hasMessage("the selection matches no cluster");
        assertThatThrownBy(() -> BatchService.resolve(fleet, new BatchSelection(null, null, null,
                Map.of("site", "nagoya")), now)).as("no cluster carries the label")
                .isInstanceOf(ProblemException.class).hasMessage("the selection matches no cluster");
        assertThatThrownBy(() -> BatchService.resolve(fleet, new BatchSelection(List.of("kyoto"), null, null, null), now))
                .isInstanceOf(ProblemException.class)
                .hasMessage("selection.clusters: cluster 'kyoto' has not reported to this fleet view");
    }

    @Test
    void aSelectionPagesThroughEveryMatch() {
        JdbcFleetStore fleet = new JdbcFleetStore(ds, dialect(), Duration.ofSeconds(35), Duration.ofMinutes(10), 4);
        for (int i = 0; i < 1203; i++) {
            fleet.ingest(report(String.format("p%04d", i), "n1", Status.RUNNING), clock.instant());
        }
        List<String> all = BatchService.resolve(fleet, new BatchSelection(null, null, "p", null), clock.instant());
        assertThat(all).hasSize(1203).doesNotHaveDuplicates();
        assertThat(all.get(1202)).isEqualTo("p1202");
    }

    @Test
    void labelsSelectOnlyClustersWhoseNodesCarryThem() {
        io.hulftark.fleet.view.ClusterRow row = new io.hulftark.fleet.view.ClusterRow("c", io.hulftark.fleet.state.ClusterState.OK,
                T0, "ok", 0, false, false, List.of("n1", "n2"), List.of(), T0, null, null, false, false, null,
                Map.of("site", "osaka,kobe", "env", "prod"));
        assertThat(BatchService.carries(row, Map.of())).isTrue();
        assertThat(BatchService.carries(row, Map.of("site", "kobe", "env", "prod"))).isTrue();
        assertThat(BatchService.carries(row, Map.of("site", "kyoto"))).isFalse();
        assertThat(BatchService.carries(row, Map.of("rack", "r1"))).isFalse();
    }

    void cluster(FleetStore fleet, String name, Status n1, Status n2) {
        fleet.ingest(report(name, "n1", n1), clock.instant());
        fleet.ingest(report(name, "n2", n2), clock.instant());
    }

    Report report(String cluster, String node, Status status) {
        Instant at = clock.instant();
        return new Report(cluster, node, "test", at.minusSeconds(60), 1, at,
                List.of(new Report.Resource("HULFT", "HULFT8", status, status == Status.RUNNING ? "active" : "standby",
                        at, status.name(), at, List.of())), List.of(), 0);
    }

    static Map<String, String> orderedMap(String... kv) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    static void deleteBatches(javax.sql.DataSource ds) {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("DELETE FROM fleet_batch_cluster");
            s.execute("DELETE FROM fleet_batch");
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
    }

    /** A clock the test moves. */
    static final class TestClock extends Clock {
        private volatile Instant now;

        TestClock(Instant start) {
            now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
