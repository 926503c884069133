package io.hulftark.fleet.store;

import io.agroal.api.AgroalDataSource;
import io.hulftark.wire.Status;
import io.hulftark.wire.Report;
import io.hulftark.fleet.state.ClusterState;
import io.hulftark.fleet.view.ClusterQuery;
import io.hulftark.fleet.view.ClusterRow;
import io.hulftark.fleet.view.EventQuery;
import io.hulftark.fleet.view.FleetEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import static io.hulftark.fleet.store.FleetStoreContract.T0;
import static io.hulftark.fleet.store.FleetStoreContract.report;
import static io.hulftark.fleet.store.FleetStoreContract.transition;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two fleet-view instances on one database: two stores, each with its own pool, taking the same reports at
 * the same time (as agents retrying through a load balancer would send them) and reevaluating at the same time.
 * A subclass per database.
 */
abstract class TwoInstancesContract {

    private static final int CLUSTERS = 20;
    private static final int ROUNDS = 15;

    private AgroalDataSource poolA;
    private AgroalDataSource poolB;
    private JdbcFleetStore a;
    private JdbcFleetStore b;

    /** A new pool on the test's database (the same database for both calls of one test). */
    protected abstract AgroalDataSource pool();

    protected abstract JdbcFleetStore.Dialect dialect();

    /** After both pools are closed. */
    protected void dropDatabase() {
    }

    @BeforeEach
    void open() {
        poolA = pool();
        poolB = pool();
        a = new JdbcFleetStore(poolA, dialect(), Duration.ofSeconds(35), Duration.ofMinutes(10), 4);
        b = new JdbcFleetStore(poolB, dialect(), Duration.ofSeconds(35), Duration.ofMinutes(10), 4);
    }

    @AfterEach
    void close() {
        if (poolA != null) {
            poolA.close();
        }
        if (poolB != null) {
            poolB.close();
        }
        dropDatabase();
    }

    /**
     * Round r of cluster c: who serves moves every few rounds, and n1 fails now and then. Each node reports
     * its change with its transition, then twice more without events (heartbeats: the store's short path, from
     * what each instance wrote last), in odd rounds the change itself without its event first.
     */
    private static List<Report> reports() {
        List<Report> reports = new ArrayList<>();
        for (int r = 0; r < ROUNDS; r++) {
            for (int c = 0; c < CLUSTERS; c++) {
                boolean n1Active = (r / 4) % 2 == 0;
                Status n1 = n1Active ? (r % 5 == 3 ? Status.FAILED : Status.RUNNING) : Status.STOPPED;
                Status n2 = n1Active ? Status.STOPPED : Status.RUNNING;
                Instant at = T0.plusSeconds(r);
                for (int beat = 0; beat < 3; beat++) {
                    boolean withEvent = beat == (r % 2 == 0 ? 0 : 1);
                    reports.add(report("c" + c, "n1", 100 + 3 * r + beat, n1, withEvent
                            ? new Report.Event[] {transition(r, at, "round " + r + " n1 " + n1)} : new Report.Event[0]));
                    reports.add(report("c" + c, "n2", 100 + 3 * r + beat, n2, withEvent
                            ? new Report.Event[] {transition(r, at, "round " + r + " n2 " + n2)} : new Report.Event[0]));
                }
            }
        }
        return reports;
    }

    @Test
    void concurrentIngestsOfTheSameClustersRecordEachChangeOnce() throws Exception {
        List<Report> reports = reports();
        // Each instance takes every report, in two threads each (odd and even clusters' nodes interleave).
        List<Callable<Integer>> tasks = new ArrayList<>();
        for (JdbcFleetStore store : List.of(a, b)) {
            for (int half = 0; half < 2; half++) {
                int h = half;
                tasks.add(() -> {
                    int n = 0;
                    for (int i = h; i < reports.size(); i += 2) {
                        Report r = reports.get(i);
                        n += store.ingest(r, T0.plusSeconds((r.seq() - 100) / 3).plusMillis(i)).newEvents();
                    }
                    return n;
                });
            }
        }
        int newEvents = runAtOnce(tasks);

        // Every agent event exactly once, whichever instance took it first.
        long withEvents = reports.stream().filter(r -> !r.events().isEmpty()).count();
        assertThat(newEvents).isEqualTo(withEvents);
        List<FleetEvent> all = allEvents(a);
        assertThat(all.stream().filter(e -> e.kind().equals("TRANSITION")).count()).isEqualTo(withEvents);
        for (int c = 0; c < CLUSTERS; c++) {
            String cluster = "c" + c;
            List<FleetEvent> mine = all.stream().filter(e -> e.cluster().equals(cluster)).toList();
            assertThat(mine.stream().filter(e -> e.kind().equals("NODE"))).hasSize(2);
            List<ClusterState> states = mine.stream().filter(e -> e.kind().equals("STATE"))
                    .map(FleetEvent::state).toList();
            for (int i = 1; i < states.size(); i++) {
                assertThat(states.get(i)).as(cluster + " STATE events " + states).isNotEqualTo(states.get(i - 1));
            }
            ClusterRow row = a.cluster(cluster, 0, T0.plusSeconds(ROUNDS)).orElseThrow().cluster();
            assertThat(row.state()).isEqualTo(states.get(states.size() - 1));
            // The final reports are the last round's on both nodes, whatever order they came in.
            assertThat(row.serving()).containsExactly("HULFT@n2");
            assertThat(b.cluster(cluster, 0, T0.plusSeconds(ROUNDS)).orElseThrow().cluster()).isEqualTo(row);
        }
        Instant now = T0.plusSeconds(ROUNDS);
        assertThat(a.summary(now)).isEqualTo(b.summary(now));
        // One serves, the other stands by: OK, or DEGRADED only for the flapping of those failovers.
        var summary = a.summary(now);
        assertThat(summary.clusters()).isEqualTo(CLUSTERS);
        assertThat(summary.byState().get(ClusterState.OK) + summary.byState().get(ClusterState.DEGRADED))
                .isEqualTo(CLUSTERS);
        assertThat(summary.byState().get(ClusterState.DEGRADED)).isEqualTo(summary.flapping());
        assertThat(names(a)).isEqualTo(names(b));
    }

    @Test
    void concurrentReevaluationRecordsEachChangeOnce() throws Exception {
        for (int c = 0; c < CLUSTERS * 5; c++) {
            a.ingest(report("c" + c, "n1", 1, Status.RUNNING), T0);
            b.ingest(report("c" + c, "n2", 1, Status.STOPPED), T0);
        }
        Instant later = T0.plusSeconds(40);
        List<Callable<Integer>> tasks = new ArrayList<>();
        for (JdbcFleetStore store : List.of(a, b, a, b)) {
            tasks.add(() -> store.reevaluateDue(later));
        }
        int evaluated = runAtOnce(tasks);

        assertThat(evaluated).isEqualTo(CLUSTERS * 5);
        List<FleetEvent> stale = allEvents(b).stream()
                .filter(e -> e.kind().equals("STATE") && e.state() == ClusterState.STALE).toList();
        assertThat(stale).hasSize(CLUSTERS * 5);
        assertThat(stale.stream().map(FleetEvent::cluster).distinct().count()).isEqualTo(CLUSTERS * 5);
        assertThat(a.summary(later).byState().get(ClusterState.STALE)).isEqualTo(CLUSTERS * 5);
        assertThat(a.reevaluateDue(later) + b.reevaluateDue(later)).isZero();
    }

    private static int runAtOnce(List<Callable<Integer>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> futures = new ArrayList<>();
            for (Callable<Integer> t : tasks) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return t.call();
                }));
            }
            start.countDown();
            int sum = 0;
            for (Future<Integer> f : futures) {
                sum += f.get();
            }
            return sum;
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<FleetEvent> allEvents(FleetStore store) {
        List<FleetEvent> all = new ArrayList<>();
        long after = 0;
        while (true) {
            List<FleetEvent> page = store.events(new EventQuery(after, Optional.empty(), Optional.empty(), 1000));
            if (page.isEmpty()) {
                return all;
            }
            all.addAll(page);
            after = page.get(page.size() - 1).id();
        }
    }

    private static String names(FleetStore store) {
        return store.clusters(new ClusterQuery(Optional.empty(), Optional.empty(), ClusterQuery.Sort.PROBLEM, 0, 500),
                T0.plusSeconds(ROUNDS)).items().stream().map(r -> r.name() + ":" + r.state())
                .collect(Collectors.joining(","));
    }
}
