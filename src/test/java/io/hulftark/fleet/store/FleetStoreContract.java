package io.hulftark.fleet.store;

import io.hulftark.wire.Status;
import io.hulftark.wire.Report;
import io.hulftark.fleet.state.ClusterState;
import io.hulftark.fleet.state.Maintenance;
import io.hulftark.fleet.view.AckView;
import io.hulftark.fleet.view.ClusterDetail;
import io.hulftark.fleet.view.ClusterPage;
import io.hulftark.fleet.view.ClusterQuery;
import io.hulftark.fleet.view.ClusterRow;
import io.hulftark.fleet.view.EventQuery;
import io.hulftark.fleet.view.FleetEvent;
import io.hulftark.fleet.view.FleetNode;
import io.hulftark.fleet.view.MaintenanceView;
import io.hulftark.fleet.view.Summary;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import static io.hulftark.wire.Status.FAILED;
import static io.hulftark.wire.Status.RUNNING;
import static io.hulftark.wire.Status.STOPPED;
import static io.hulftark.fleet.state.ClusterState.DEGRADED;
import static io.hulftark.fleet.state.ClusterState.DOWN;
import static io.hulftark.fleet.state.ClusterState.MAINTENANCE;
import static io.hulftark.fleet.state.ClusterState.OK;
import static io.hulftark.fleet.state.ClusterState.SPLIT;
import static io.hulftark.fleet.state.ClusterState.STALE;
import static io.hulftark.fleet.store.IngestResult.Outcome.ACCEPTED;
import static io.hulftark.fleet.store.IngestResult.Outcome.OUTDATED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The store's contract (FleetStore's javadoc and the semantics the REST API and dashboard rely on), run on each
 * database by a subclass. Time is passed in: T0 is "now" unless a test moves it. Fresh for 35 s; flapping
 * above 2 serving changes in 10 minutes.
 */
abstract class FleetStoreContract {

    static final Instant T0 = Instant.parse("2025-06-01T12:00:00Z");
    static final Instant STARTED = T0.minus(Duration.ofHours(1));
    static final Duration FRESH_FOR = Duration.ofSeconds(35);

    protected FleetStore store;

    /** A store on an empty, migrated database. */
    protected abstract FleetStore openEmpty();

    /** A new store object (new pool) on the same database as {@link #store}, the old one closed. */
    protected abstract FleetStore reopen();

    /** A second store object on the same database and pool, as a second fleet-view instance would be. */
    protected abstract FleetStore another();

    protected abstract void closeStore();

    /** As {@link #another()}, with drift and readiness findings as {@code readiness} says. */
    protected abstract FleetStore another(JdbcFleetStore.Readiness readiness);

    /** The database of {@link #store}, to look at what it keeps. */
    protected abstract javax.sql.DataSource dataSource();

    @BeforeEach
    void open() {
        store = openEmpty();
    }

    @AfterEach
    void close() {
        closeStore();
    }

    // ---------------------------------------------------------------- helpers

    static Report report(String cluster, String node, long seq, Status status, Report.Event... events) {
        return report(cluster, node, STARTED, seq, T0, status, 0, events);
    }

    static Report report(String cluster, String node, Instant started, long seq, Instant sentAt, Status status,
                         long dropped, Report.Event... events) {
        String role = status == RUNNING || status == FAILED ? "active" : "standby";
        Report.Resource r = new Report.Resource("HULFT", "HULFT8 Service", status, role, T0.minusSeconds(600),
                status == FAILED ? "port 30000 (rcvport) does not answer: REFUSED" : null, sentAt,
                List.of(new Report.Port("rcvport", 30000, status == RUNNING, 250, null),
                        new Report.Port("obsport", 31000, status == RUNNING, 180, null)));
        return new Report(cluster, node, "1.0.0", started, seq, sentAt, List.of(r), List.of(events), dropped);
    }

    static Report.Event transition(long seq, Instant at, String text) {
        return new Report.Event(seq, at, "HULFT", "transition", text);
    }

    /** n1 active, n2 standby, both reporting at {@code at}. */
    void okCluster(String cluster, Instant at) {
        // seq 10 at T0, one more per second later: tests send seq 20 or 100 after it.
        long seq = at.getEpochSecond() - T0.getEpochSecond() + 10;
        store.ingest(report(cluster, "n1", seq, RUNNING), at);
        store.ingest(report(cluster, "n2", seq, STOPPED), at);
    }

    ClusterRow row(String cluster, Instant now) {
        return store.cluster(cluster, 0, now).orElseThrow().cluster();
    }

    List<FleetEvent> events(String cluster) {
        return store.events(new EventQuery(0, Optional.empty(), Optional.of(cluster), 1000));
    }

    List<FleetEvent> events(String cluster, String kind) {
        return events(cluster).stream().filter(e -> e.kind().equals(kind)).toList();
    }

    /** A one-off window. */
    MaintenanceView window(String cluster, Instant from, Instant until, String reason, String by, Instant now) {
        return store.addMaintenance(cluster, new Maintenance(from, until, reason), by, now);
    }

    /** A non-sticky acknowledgement. */
    AckView ack(String cluster, String by, String comment, Instant until, Instant now) {
        return store.acknowledge(cluster, by, comment, until, false, now);
    }

    static ClusterQuery query(ClusterQuery.Sort sort) {
        return new ClusterQuery(Optional.empty(), Optional.empty(), sort, 0, 100);
    }

    static List<String> names(ClusterPage page) {
        return page.items().stream().map(ClusterRow::name).toList();
    }

    // ---------------------------------------------------------------- ingest and state

    @Test
    void firstReportCreatesTheClusterAndANodeEvent() {
        IngestResult r = store.ingest(report("c1", "n1", 1, RUNNING), T0);

        assertThat(r).isEqualTo(new IngestResult(ACCEPTED, 0, OK, true));
        assertThat(row("c1", T0)).satisfies(row -> {
            assertThat(row.state()).isEqualTo(OK);
            assertThat(row.since()).isEqualTo(T0);
            assertThat(row.nodes()).containsExactly("n1");
            assertThat(row.serving()).containsExactly("HULFT@n1");
            assertThat(row.lastReportAt()).isEqualTo(T0);
        });
        assertThat(events("c1")).extracting(FleetEvent::kind, FleetEvent::node, FleetEvent::text)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("NODE", "n1", "node n1 first seen"),
                        org.assertj.core.groups.Tuple.tuple("STATE", null,
                                "NEW → OK: n1 serves HULFT; every other node stands by"));
        assertThat(events("c1", "STATE").get(0).state()).isEqualTo(OK);
    }

    @Test
    void oneActiveAndOneStandbyIsOkWithNodesResourcesAndPortsReadBack() {
        okCluster("c1", T0);

        ClusterDetail d = store.cluster("c1", 10, T0.plusSeconds(5)).orElseThrow();
        assertThat(d.cluster().state()).isEqualTo(OK);
        assertThat(d.problems()).isEmpty();
        assertThat(d.cluster().problems()).isZero();
        assertThat(d.nodes()).extracting(FleetNode::node).containsExactly("n1", "n2");
        FleetNode n1 = d.nodes().get(0);
        assertThat(n1.fresh()).isTrue();
        assertThat(n1.agentVersion()).isEqualTo("1.0.0");
        assertThat(n1.agentStartedAt()).isEqualTo(STARTED);
        assertThat(n1.resources()).singleElement().satisfies(res -> {
            assertThat(res.tag()).isEqualTo("HULFT");
            assertThat(res.status()).isEqualTo(RUNNING);
            assertThat(res.role()).isEqualTo("active");
            assertThat(res.ports()).extracting(Report.Port::key, Report.Port::port)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("rcvport", 30000),
                            org.assertj.core.groups.Tuple.tuple("obsport", 31000));
        });
        assertThat(d.history()).extracting(FleetEvent::kind).containsExactly("NODE", "STATE", "NODE");
    }

    @Test
    void activeKilledIsDownWithOneStateEvent() {
        okCluster("c1", T0);
        Instant t = T0.plusSeconds(3);

        IngestResult r = store.ingest(report("c1", "n1", 100, FAILED,
                transition(7, t, "RUNNING → FAILED: port 30000 does not answer")), t);

        assertThat(r).isEqualTo(new IngestResult(ACCEPTED, 1, DOWN, true));
        ClusterRow row = row("c1", t);
        assertThat(row.since()).isEqualTo(t);
        assertThat(row.serving()).isEmpty();
        assertThat(row.reason()).startsWith("no node serves HULFT: n1 FAILED (active: port 30000");
        List<FleetEvent> states = events("c1", "STATE");
        assertThat(states).hasSize(2);
        assertThat(states.get(1).state()).isEqualTo(DOWN);
        assertThat(states.get(1).at()).isEqualTo(t);
        assertThat(states.get(1).text()).startsWith("OK → DOWN: no node serves HULFT: n1 FAILED");
        assertThat(events("c1", "TRANSITION")).singleElement().satisfies(e -> {
            assertThat(e.node()).isEqualTo("n1");
            assertThat(e.tag()).isEqualTo("HULFT");
            assertThat(e.text()).isEqualTo("RUNNING → FAILED: port 30000 does not answer");
        });
        // The same state again is no change and no event.
        assertThat(store.ingest(report("c1", "n1", 101, FAILED), t.plusSeconds(1)).stateChanged()).isFalse();
        assertThat(events("c1", "STATE")).hasSize(2);
    }

    @Test
    void twoRunningIsSplit() {
        okCluster("c1", T0);
        IngestResult r = store.ingest(report("c1", "n2", 100, RUNNING), T0.plusSeconds(1));
        assertThat(r.state()).isEqualTo(SPLIT);
        assertThat(row("c1", T0.plusSeconds(1)).reason()).isEqualTo("HULFT runs on n1 and n2");
        assertThat(row("c1", T0.plusSeconds(1)).serving()).containsExactly("HULFT@n1", "HULFT@n2");
    }

    @Test
    void standbySilentIsDegradedOnceTimePasses() {
        okCluster("c1", T0);
        store.ingest(report("c1", "n1", 20, RUNNING), T0.plusSeconds(30));

        // Not due yet: n2's report is fresh until T0+35s.
        assertThat(store.reevaluateDue(T0.plusSeconds(35))).isZero();
        assertThat(row("c1", T0.plusSeconds(35)).state()).isEqualTo(OK);

        Instant later = T0.plusSeconds(36);
        assertThat(store.reevaluateDue(later)).isEqualTo(1);
        ClusterRow row = row("c1", later);
        assertThat(row.state()).isEqualTo(DEGRADED);
        assertThat(row.since()).isEqualTo(later);
        assertThat(row.reason()).isEqualTo("n2 silent since " + T0 + " (last report: HULFT STOPPED)");
        assertThat(events("c1", "STATE")).last().satisfies(e -> assertThat(e.state()).isEqualTo(DEGRADED));
        // Done: nothing more is due until n1's report ages.
        assertThat(store.reevaluateDue(later)).isZero();
        assertThat(events("c1", "STATE")).hasSize(2);
        // And the node detail says which one is silent.
        assertThat(store.cluster("c1", 0, later).orElseThrow().nodes())
                .extracting(FleetNode::node, FleetNode::fresh)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("n1", true),
                        org.assertj.core.groups.Tuple.tuple("n2", false));
    }

    @Test
    void allSilentIsStaleAndAFreshReportBringsItBack() {
        okCluster("c1", T0);
        Instant later = T0.plusSeconds(40);
        assertThat(store.reevaluateDue(later)).isEqualTo(1);
        assertThat(row("c1", later).state()).isEqualTo(STALE);
        assertThat(row("c1", later).reason()).isEqualTo("no node has reported in the last 35s");

        // n1 first (n2 still silent), then n2.
        okCluster("c1", later.plusSeconds(60));
        assertThat(row("c1", later.plusSeconds(60)).state()).isEqualTo(OK);
        assertThat(events("c1", "STATE")).extracting(FleetEvent::state).containsExactly(OK, STALE, DEGRADED, OK);
    }

    @Test
    void outOfOrderAndDuplicateReportsAreIdempotent() {
        Report.Event e1 = transition(1, T0.minusSeconds(20), "STOPPED → STARTING");
        Report.Event e2 = transition(2, T0.minusSeconds(10), "STARTING → RUNNING");
        Report.Event e3 = transition(3, T0.plusSeconds(2), "RUNNING → FAILED: port 30000 does not answer");
        assertThat(store.ingest(report("c1", "n1", 5, RUNNING, e1, e2), T0).newEvents()).isEqualTo(2);

        // The same report again: nothing new.
        assertThat(store.ingest(report("c1", "n1", 5, RUNNING, e1, e2), T0.plusSeconds(1)))
                .isEqualTo(new IngestResult(OUTDATED, 0, OK, false));
        // An older report, arriving late, with one event not seen yet: the event is taken, the state is not.
        assertThat(store.ingest(report("c1", "n1", 4, FAILED, e2, e3), T0.plusSeconds(2)))
                .isEqualTo(new IngestResult(OUTDATED, 1, OK, false));
        assertThat(store.cluster("c1", 0, T0.plusSeconds(2)).orElseThrow().nodes().get(0).receivedAt())
                .isEqualTo(T0);
        assertThat(events("c1", "TRANSITION")).extracting(FleetEvent::text).containsExactly(
                "STOPPED → STARTING", "STARTING → RUNNING", "RUNNING → FAILED: port 30000 does not answer");

        // A restarted agent starts its seq again: another process wins whatever the seq (and whatever its clock),
        // and its own reports are then ordered by their seq.
        Report restarted = report("c1", "n1", T0, 1, T0.plusSeconds(3), FAILED, 0);
        assertThat(store.ingest(restarted, T0.plusSeconds(3))).isEqualTo(new IngestResult(ACCEPTED, 0, DOWN, true));
        assertThat(store.ingest(report("c1", "n1", T0, 1, T0.plusSeconds(4), RUNNING, 0), T0.plusSeconds(4)).outcome())
                .isEqualTo(OUTDATED);
        assertThat(row("c1", T0.plusSeconds(4)).state()).isEqualTo(DOWN);
    }

    /** A report of agent process {@code instance}, its clock at {@code clock}. */
    static Report of(String instance, long seq, Instant clock, Status status, long dropped, Report.Event... events) {
        Report r = report("c1", "n1", clock, seq, clock, status, dropped, events);
        return new Report(r.cluster(), r.node(), r.agentVersion(), r.agentStartedAt(), r.seq(), r.sentAt(),
                r.resources(), r.events(), r.dropped(), instance);
    }

    /** Issue 11: a forged report from the year 9999 with the greatest seq once made every later report OUTDATED. */
    @Test
    void aForgedFarFutureReportDoesNotSilenceTheRealAgent() {
        Instant doom = Instant.parse("9999-12-31T00:00:00Z");
        assertThat(store.ingest(of("real", 1, T0, RUNNING, 0), T0).outcome()).isEqualTo(ACCEPTED);
        assertThat(store.ingest(of("forged", Long.MAX_VALUE, doom, FAILED, 0), T0.plusSeconds(1)).outcome())
                .isEqualTo(ACCEPTED);
        // The real agent's next report is newer: the fleet view received it later, whatever the other one said.
        assertThat(store.ingest(of("real", 2, T0.plusSeconds(2), RUNNING, 0), T0.plusSeconds(2)))
                .isEqualTo(new IngestResult(ACCEPTED, 0, OK, true));
        assertThat(store.ingest(of("real", 3, T0.plusSeconds(12), RUNNING, 0), T0.plusSeconds(12)).outcome())
                .isEqualTo(ACCEPTED);
        // A forgery without an instance id (as agents before it) is no better.
        Report old = report("c1", "n1", doom, Long.MAX_VALUE, doom, FAILED, 0);
        assertThat(store.ingest(old, T0.plusSeconds(13)).outcome()).isEqualTo(ACCEPTED);
        assertThat(store.ingest(of("real", 4, T0.plusSeconds(14), RUNNING, 0), T0.plusSeconds(14)).outcome())
                .isEqualTo(ACCEPTED);
        store.reevaluateDue(T0.plusSeconds(30));
        // Shown as the real agent said last (the flips the forgeries caused count as flapping, as they should).
        ClusterDetail d = store.cluster("c1", 0, T0.plusSeconds(30)).orElseThrow();
        assertThat(d.cluster().state()).isNotEqualTo(STALE).isNotEqualTo(DOWN);
        assertThat(d.nodes()).singleElement().satisfies(n -> {
            assertThat(n.fresh()).isTrue();
            assertThat(n.resources().get(0).status()).isEqualTo(RUNNING);
        });
    }

    /** An agent whose clock ran a day ahead, then was corrected: in the same process (NTP) or by a restart. */
    @Test
    void aClockADayAheadThenCorrectedKeepsTheNodeShown() {
        Instant ahead = T0.plus(Duration.ofDays(1));
        assertThat(store.ingest(of("p1", 1, ahead, RUNNING, 0), T0).outcome()).isEqualTo(ACCEPTED);
        assertThat(store.ingest(of("p1", 2, ahead.plusSeconds(10), RUNNING, 0), T0.plusSeconds(10)).outcome())
                .isEqualTo(ACCEPTED);
        // The clock steps back a day within the process: its seq still orders it.
        assertThat(store.ingest(of("p1", 3, T0.plusSeconds(20), FAILED, 0), T0.plusSeconds(20)))
                .isEqualTo(new IngestResult(ACCEPTED, 0, DOWN, true));
        // Restarted with a right clock: its start is a day before the last one's, and it is taken.
        assertThat(store.ingest(of("p2", 1, T0.plusSeconds(30), RUNNING, 0), T0.plusSeconds(30)))
                .isEqualTo(new IngestResult(ACCEPTED, 0, OK, true));
        // The same process again: ordered by its seq, not by its start a day before the last one's.
        assertThat(store.ingest(of("p2", 1, T0.plusSeconds(31), FAILED, 0), T0.plusSeconds(31)).outcome())
                .isEqualTo(OUTDATED);
        assertThat(store.ingest(of("p2", 2, T0.plusSeconds(40), RUNNING, 0), T0.plusSeconds(40)).outcome())
                .isEqualTo(ACCEPTED);
        assertThat(store.cluster("c1", 0, T0.plusSeconds(40)).orElseThrow().nodes()).singleElement()
                .satisfies(n -> {
                    assertThat(n.fresh()).isTrue();
                    assertThat(n.receivedAt()).isEqualTo(T0.plusSeconds(40));
                });
    }

    /** Forgetting a node resets what was known of it: its order (any report is its first again) and drop count. */
    @Test
    void forgetNodeResetsItsOrderAndDropCount() {
        assertThat(store.ingest(of("p1", Long.MAX_VALUE, T0, FAILED, 40), T0).outcome()).isEqualTo(ACCEPTED);
        assertThat(store.ingest(of("p1", 5, T0, RUNNING, 40), T0.plusSeconds(1)).outcome()).isEqualTo(OUTDATED);
        assertThat(store.forgetNode("c1", "n1", "alice", T0.plusSeconds(2))).isTrue();
        // The same process, a lower seq: taken, as the node's first report after it was forgotten.
        assertThat(store.ingest(of("p1", 5, T0, RUNNING, 40), T0.plusSeconds(3)))
                .isEqualTo(new IngestResult(ACCEPTED, 0, OK, true));
        assertThat(store.ingest(of("p1", 6, T0, RUNNING, 41), T0.plusSeconds(4)).outcome()).isEqualTo(ACCEPTED);
        assertThat(events("c1", "NODE")).extracting(FleetEvent::text).containsExactly("node n1 first seen",
                "agent dropped 40 events", "node n1 forgotten by alice",
                "node n1 reports again after it was forgotten", "agent dropped 40 events", "agent dropped 1 events");
        assertThat(store.cluster("c1", 0, T0.plusSeconds(4)).orElseThrow().nodes().get(0).dropped()).isEqualTo(41);
    }

    /** Texts are kept as sent, whatever they hold (PostgreSQL passes a report's events as text arrays). */
    @Test
    void eventTextsWithQuotesBracesBackslashesAndNonAsciiAreKeptAsSent() {
        okCluster("texts", T0);
        String[] texts = {"RUNNING → FAILED: \"quoted\", {braced} and \\ back\\slash", "NULL", "",
                "日本語のメッセージ ünïcödé", "a,b}{\"c"};
        Report.Event[] events = new Report.Event[texts.length];
        for (int i = 0; i < texts.length; i++) {
            events[i] = transition(i + 1, T0.plusMillis(i), texts[i]);
        }
        IngestResult r = store.ingest(report("texts", "n1", 20, FAILED, events), T0.plusSeconds(1));

        assertThat(r.newEvents()).isEqualTo(texts.length);
        assertThat(events("texts", FleetEvent.TRANSITION)).extracting(FleetEvent::text).containsExactly(texts);
    }

    @Test
    void droppedEventsAreRecordedWhenTheCountRises() {
        store.ingest(report("c1", "n1", STARTED, 1, T0, RUNNING, 0), T0);
        store.ingest(report("c1", "n1", STARTED, 2, T0, RUNNING, 12), T0.plusSeconds(1));
        store.ingest(report("c1", "n1", STARTED, 3, T0, RUNNING, 12), T0.plusSeconds(2));
        store.ingest(report("c1", "n1", STARTED, 4, T0, RUNNING, 15), T0.plusSeconds(3));
        // A new agent process counts from 0 again.
        store.ingest(report("c1", "n1", T0, 1, T0, RUNNING, 2), T0.plusSeconds(4));

        assertThat(events("c1", "NODE")).extracting(FleetEvent::text).containsExactly("node n1 first seen",
                "agent dropped 12 events", "agent dropped 3 events", "agent dropped 2 events");
        assertThat(store.cluster("c1", 0, T0.plusSeconds(4)).orElseThrow().nodes().get(0).dropped()).isEqualTo(2);
    }

    @Test
    void clockSkewIsShownButFreshnessIsTheFleetViewsClock() {
        // n1's clock is an hour ahead, n2's ten minutes behind: neither matters for freshness.
        store.ingest(report("c1", "n1", STARTED, 1, T0.plus(Duration.ofHours(1)), RUNNING, 0), T0);
        store.ingest(report("c1", "n2", STARTED, 1, T0.minus(Duration.ofMinutes(10)), STOPPED, 0), T0);

        ClusterDetail d = store.cluster("c1", 0, T0.plusSeconds(30)).orElseThrow();
        assertThat(d.cluster().state()).isEqualTo(OK);
        assertThat(d.nodes()).extracting(FleetNode::node, FleetNode::skewMillis, FleetNode::fresh).containsExactly(
                org.assertj.core.groups.Tuple.tuple("n1", 3_600_000L, true),
                org.assertj.core.groups.Tuple.tuple("n2", -600_000L, true));
        assertThat(d.nodes().get(0).sentAt()).isEqualTo(T0.plus(Duration.ofHours(1)));

        store.reevaluateDue(T0.plusSeconds(36));
        assertThat(row("c1", T0.plusSeconds(36)).state()).isEqualTo(STALE);
    }

    @Test
    void flappingDegradesAndAgesOut() {
        okCluster("c1", T0);
        // Three failovers and back within a few minutes: each changes who serves.
        Instant t = T0;
        long seq = 100;
        for (int i = 0; i < 3; i++) {
            t = t.plusSeconds(20);
            boolean n1Serves = i % 2 == 1;
            store.ingest(report("c1", "n1", seq++, n1Serves ? RUNNING : STOPPED), t);
            store.ingest(report("c1", "n2", seq++, n1Serves ? STOPPED : RUNNING), t);
        }
        ClusterRow row = row("c1", t);
        assertThat(row.flapping()).isTrue();
        assertThat(row.state()).isEqualTo(DEGRADED);
        assertThat(row.reason()).startsWith("flapping: ");
        assertThat(store.summary(t).flapping()).isEqualTo(1);

        // Both keep reporting, nobody fails over: ten minutes after the last counted change it is OK again.
        Instant end = t;
        for (int i = 0; i < 35; i++) {
            end = end.plusSeconds(20);
            store.ingest(report("c1", "n1", seq++, STOPPED), end);
            store.ingest(report("c1", "n2", seq++, RUNNING), end);
        }
        store.reevaluateDue(end);
        assertThat(row("c1", end).flapping()).isFalse();
        assertThat(row("c1", end).state()).isEqualTo(OK);
        assertThat(store.summary(end).flapping()).isZero();
    }

    @Test
    void maintenanceCoveringNowIsImmediateAndEndsByItself() {
        okCluster("c1", T0);
        MaintenanceView w = window("c1", T0.minusSeconds(60), T0.plusSeconds(20), "patching", "alice", T0);

        assertThat(w.cluster()).isEqualTo("c1");
        assertThat(w.by()).isEqualTo("alice");
        assertThat(w.days()).isEmpty();
        assertThat(w.nextFrom()).isEqualTo(T0.minusSeconds(60));
        assertThat(w.nextUntil()).isEqualTo(T0.plusSeconds(20));
        // The real state with a marker: a window never hides what the cluster does.
        ClusterRow row = row("c1", T0);
        assertThat(row.state()).isEqualTo(OK);
        assertThat(row.inMaintenance()).isTrue();
        assertThat(row.maintenanceUntil()).isEqualTo(T0.plusSeconds(20));
        assertThat(store.cluster("c1", 0, T0).orElseThrow().maintenance()).containsExactly(w);
        assertThat(events("c1", "MAINTENANCE")).extracting(FleetEvent::text).containsExactly(
                "maintenance " + T0.minusSeconds(60) + " .. " + T0.plusSeconds(20) + " set by alice: patching",
                "in maintenance until " + T0.plusSeconds(20) + " (OK)");

        // It fails in the window: DOWN shows, in maintenance.
        store.ingest(report("c1", "n1", 200, FAILED), T0.plusSeconds(10));
        store.ingest(report("c1", "n2", 200, STOPPED), T0.plusSeconds(10));
        assertThat(row("c1", T0.plusSeconds(10))).satisfies(r -> {
            assertThat(r.state()).isEqualTo(DOWN);
            assertThat(r.inMaintenance()).isTrue();
        });
        Summary s = store.summary(T0.plusSeconds(11));
        assertThat(s.byState().get(DOWN)).isEqualTo(1);
        assertThat(s.byState().get(MAINTENANCE)).isEqualTo(1);
        assertThat(s.inMaintenance()).isEqualTo(1);
        assertThat(names(store.clusters(new ClusterQuery(Optional.of(MAINTENANCE), Optional.empty(),
                ClusterQuery.Sort.NAME, 0, 10), T0.plusSeconds(11)))).containsExactly("c1");

        store.ingest(report("c1", "n1", 201, RUNNING), T0.plusSeconds(12));
        assertThat(store.reevaluateDue(T0.plusSeconds(19))).isZero();
        // The window's end wakes the cluster (the reports are fresh until T0+47s).
        assertThat(store.reevaluateDue(T0.plusSeconds(20))).isEqualTo(1);
        assertThat(row("c1", T0.plusSeconds(20)).inMaintenance()).isFalse();
        assertThat(row("c1", T0.plusSeconds(20)).maintenanceUntil()).isNull();
        assertThat(store.summary(T0.plusSeconds(21)).inMaintenance()).isZero();
        assertThat(store.cluster("c1", 0, T0.plusSeconds(20)).orElseThrow().maintenance()).isEmpty();
        assertThat(events("c1", "STATE")).extracting(FleetEvent::state).containsExactly(OK, DOWN, OK);
        assertThat(events("c1", "MAINTENANCE")).last().satisfies(e -> assertThat(e.text())
                .isEqualTo("maintenance over (OK)"));
    }

    @Test
    void aFutureWindowStartsByItselfAndRemovingOneEndsIt() {
        okCluster("c1", T0);
        MaintenanceView w = window("c1", T0.plusSeconds(10), T0.plusSeconds(3600), "move", "bob", T0);
        assertThat(row("c1", T0).inMaintenance()).isFalse();

        assertThat(store.reevaluateDue(T0.plusSeconds(10))).isEqualTo(1);
        assertThat(row("c1", T0.plusSeconds(10)).inMaintenance()).isTrue();
        assertThat(row("c1", T0.plusSeconds(10)).state()).isEqualTo(OK);

        assertThat(store.removeMaintenance("c1", w.id() + 1000, "bob", T0.plusSeconds(11))).isFalse();
        assertThat(store.removeMaintenance("c1", w.id(), "bob", T0.plusSeconds(11))).isTrue();
        assertThat(row("c1", T0.plusSeconds(11)).inMaintenance()).isFalse();
        assertThat(events("c1", "MAINTENANCE")).extracting(FleetEvent::text).endsWith(
                "in maintenance until " + T0.plusSeconds(3600) + " (OK)", "maintenance " + w.id() + " removed by bob",
                "maintenance over (OK)");
    }

    @Test
    void acknowledgementShowsInSummaryAndRowsUntilItExpires() {
        okCluster("c1", T0);
        store.ingest(report("c1", "n1", 100, FAILED), T0.plusSeconds(1));
        Instant until = T0.plusSeconds(30);
        AckView ack = ack("c1", "alice", "on it", until, T0.plusSeconds(2));

        assertThat(ack).isEqualTo(new AckView(ack.id(), "c1", "alice", "on it", T0.plusSeconds(2), until, DOWN,
                row("c1", T0.plusSeconds(2)).reason(), false));
        Summary s = store.summary(T0.plusSeconds(3));
        assertThat(s.acknowledged()).isEqualTo(1);
        assertThat(s.byState().get(DOWN)).isEqualTo(1);
        assertThat(row("c1", T0.plusSeconds(3)).acknowledged()).isTrue();
        assertThat(row("c1", T0.plusSeconds(3)).state()).isEqualTo(DOWN);
        assertThat(store.cluster("c1", 0, T0.plusSeconds(3)).orElseThrow().acknowledgements()).containsExactly(ack);
        assertThat(events("c1", "ACK")).singleElement()
                .satisfies(e -> assertThat(e.text()).isEqualTo("acknowledged DOWN by alice until " + until + ": on it"));
        assertThat(row("c1", T0.plusSeconds(3))).satisfies(r -> {
            assertThat(r.acknowledgedBy()).isEqualTo("alice");
            assertThat(r.acknowledgedUntil()).isEqualTo(until);
            assertThat(r.acknowledgedSticky()).isFalse();
        });

        // Expired: gone from the summary, the rows and the detail, even before any reevaluation.
        assertThat(store.summary(until).acknowledged()).isZero();
        assertThat(row("c1", until).acknowledged()).isFalse();
        assertThat(store.cluster("c1", 0, until).orElseThrow().acknowledgements()).isEmpty();

        // A new one replaces the one kept (one per problem), which an operator then removes.
        AckView again = ack("c1", "bob", "still on it", T0.plusSeconds(600), T0.plusSeconds(4));
        assertThat(store.cluster("c1", 0, T0.plusSeconds(4)).orElseThrow().acknowledgements()).containsExactly(again);
        assertThat(store.removeAcknowledgement("c1", again.id() + 1000, "bob", T0.plusSeconds(5))).isFalse();
        assertThat(store.removeAcknowledgement("c1", ack.id(), "bob", T0.plusSeconds(5))).isFalse();
        assertThat(store.removeAcknowledgement("c1", again.id(), "bob", T0.plusSeconds(5))).isTrue();
        assertThat(store.summary(T0.plusSeconds(6)).acknowledged()).isZero();
        assertThat(events("c1", "ACK")).extracting(FleetEvent::text).containsExactly(
                "acknowledged DOWN by alice until " + until + ": on it",
                "acknowledgement by alice replaced by bob",
                "acknowledged DOWN by bob until " + T0.plusSeconds(600) + ": still on it",
                "acknowledgement by bob ended: removed by bob");

        assertThatThrownBy(() -> ack("c1", "bob", "x", T0, T0.plusSeconds(7)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expire after now");
    }

    @Test
    void aWriteByAnotherInstanceIsSeenByTheNextIngestHere() {
        store.ingest(report("c1", "n1", 1, RUNNING), T0);
        FleetStore other = another();
        assertThat(other.ingest(report("c1", "n2", 1, RUNNING), T0.plusSeconds(1)).state()).isEqualTo(SPLIT);

        // This instance's own last write knew n1 only: the newer version makes it read n2 too.
        IngestResult again = store.ingest(report("c1", "n1", 2, RUNNING), T0.plusSeconds(2));
        assertThat(again.state()).isEqualTo(SPLIT);
        assertThat(again.stateChanged()).isFalse();

        assertThat(other.forgetNode("c1", "n2", "alice", T0.plusSeconds(3))).isTrue();
        assertThat(store.ingest(report("c1", "n1", 3, RUNNING), T0.plusSeconds(4)).state()).isEqualTo(OK);
        assertThat(row("c1", T0.plusSeconds(4)).nodes()).containsExactly("n1");
    }

    @Test
    void theProblemOrderFollowsAnAcknowledgementUntilItExpiresAndIsDerivedAgain() {
        okCluster("a", T0);
        okCluster("b", T0);
        store.ingest(report("a", "n1", 100, FAILED), T0.plusSeconds(1)); // DOWN longest: first
        store.ingest(report("b", "n1", 100, FAILED), T0.plusSeconds(2));
        assertThat(names(store.clusters(query(ClusterQuery.Sort.PROBLEM), T0.plusSeconds(3)))).containsExactly("a", "b");

        Instant until = T0.plusSeconds(20);
        ack("a", "alice", "on it", until, T0.plusSeconds(3));
        assertThat(names(store.clusters(query(ClusterQuery.Sort.PROBLEM), T0.plusSeconds(4)))).containsExactly("b", "a");

        // The expiry is a recheck instant: the round that derives a again puts it back in front.
        store.ingest(report("a", "n1", 101, FAILED), T0.plusSeconds(10));
        store.ingest(report("a", "n2", 101, STOPPED), T0.plusSeconds(10));
        store.ingest(report("b", "n1", 101, FAILED), T0.plusSeconds(10));
        store.ingest(report("b", "n2", 101, STOPPED), T0.plusSeconds(10));
        assertThat(store.reevaluateDue(until)).isGreaterThanOrEqualTo(1);
        assertThat(names(store.clusters(query(ClusterQuery.Sort.PROBLEM), until))).containsExactly("a", "b");
    }

    @Test
    void aSummaryIsReusedForUnderASecondAndNeverAcrossAnEvent() {
        okCluster("c1", T0);
        Summary first = store.summary(T0);
        assertThat(first.byState().get(OK)).isEqualTo(1);

        // A heartbeat records no event: the summary of 0.5 s ago is still the answer.
        store.ingest(report("c1", "n1", 11, RUNNING), T0.plusMillis(400));
        assertThat(store.summary(T0.plusMillis(500))).isEqualTo(first);

        // A state change records one: the next summary counts it at once.
        store.ingest(report("c1", "n1", 12, FAILED), T0.plusMillis(600));
        Summary down = store.summary(T0.plusMillis(700));
        assertThat(down.at()).isEqualTo(T0.plusMillis(700));
        assertThat(down.byState().get(DOWN)).isEqualTo(1);
        assertThat(down.lastEventId()).isGreaterThan(first.lastEventId());

        // A second later it is counted again even with no event, and never for an earlier instant.
        assertThat(store.summary(T0.plusMillis(1700)).at()).isEqualTo(T0.plusMillis(1700));
        assertThat(store.summary(T0.plusMillis(100)).at()).isEqualTo(T0.plusMillis(100));
    }

    // ---------------------------------------------------------------- acknowledgement rules, through the store

    /** A node's report with two tags: HULFT and HULFT2 (a cluster can go DOWN → SPLIT with one report). */
    static Report twoTags(String cluster, String node, long seq, Instant at, Status hulft, Status hulft2) {
        return new Report(cluster, node, "1.0.0", STARTED, seq, at, List.of(resource("HULFT", hulft, at),
                resource("HULFT2", hulft2, at)), List.of(), 0);
    }

    private static Report.Resource resource(String tag, Status status, Instant at) {
        return new Report.Resource(tag, "HULFT8 Service", status, status == STOPPED ? "standby" : "active",
                T0.minusSeconds(600), status == FAILED ? "port 30000 (rcvport) does not answer: REFUSED" : null, at,
                List.of());
    }

    /**
     * One named case: the cluster gets a problem (DOWN: HULFT2 served nowhere; STALE: nobody reports), alice
     * acknowledges it, the cluster goes on, and the acknowledgement is then in force or ended with this reason.
     *
     * @param change recover, split, same, expire, remove, down (from STALE), recover-elsewhere (another instance)
     */
    record AckCase(String name, ClusterState problem, boolean sticky, boolean withUntil, String change,
                   ClusterState after, String ended) {
        @Override
        public String toString() {
            return name;
        }
    }

    static java.util.stream.Stream<AckCase> ackCases() {
        return java.util.stream.Stream.of(
                new AckCase("cleared on recovery", DOWN, false, false, "recover", OK, "cluster recovered"),
                new AckCase("sticky is cleared on recovery too", DOWN, true, false, "recover", OK, "cluster recovered"),
                new AckCase("not sticky: ends when DOWN → SPLIT", DOWN, false, false, "split", SPLIT,
                        "state changed DOWN → SPLIT"),
                new AckCase("sticky: lasts across DOWN → SPLIT", DOWN, true, false, "split", SPLIT, null),
                new AckCase("the same problem reported again: kept", DOWN, false, false, "same", DOWN, null),
                new AckCase("expires at its until, with the cluster still DOWN", DOWN, false, true, "expire", DOWN,
                        "expired"),
                new AckCase("on STALE: ends when a report shows DOWN", STALE, false, false, "down", DOWN,
                        "state changed STALE → DOWN"),
                new AckCase("sticky on STALE: lasts through DOWN", STALE, true, false, "down", DOWN, null),
                new AckCase("removed by an operator", DOWN, false, false, "remove", DOWN, "removed by bob"),
                new AckCase("another instance's report ends it once", DOWN, false, false, "recover-elsewhere", OK,
                        "cluster recovered"));
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.MethodSource("ackCases")
    void acknowledgementRules(AckCase c) {
        store.ingest(twoTags("c1", "n1", 1, T0, RUNNING, RUNNING), T0);
        store.ingest(twoTags("c1", "n2", 1, T0, STOPPED, STOPPED), T0);
        Instant t = T0.plusSeconds(1);
        if (c.problem() == DOWN) {
            store.ingest(twoTags("c1", "n1", 2, t, RUNNING, FAILED), t);
        } else {
            t = T0.plusSeconds(40);
            store.reevaluateDue(t);
        }
        assertThat(row("c1", t).state()).isEqualTo(c.problem());
        String reason = row("c1", t).reason();

        Instant acked = t.plusSeconds(1);
        Instant until = c.withUntil() ? acked.plusSeconds(20) : null;
        AckView ack = store.acknowledge("c1", "alice", "on it", until, c.sticky(), acked);
        assertThat(ack).isEqualTo(new AckView(ack.id(), "c1", "alice", "on it", acked, until, c.problem(), reason,
                c.sticky()));
        ClusterRow shown = row("c1", acked);
        assertThat(shown.acknowledged()).isTrue();
        assertThat(shown.acknowledgedBy()).isEqualTo("alice");
        assertThat(shown.acknowledgedUntil()).isEqualTo(until);
        assertThat(shown.acknowledgedSticky()).isEqualTo(c.sticky());
        // A heartbeat of the same problem: this instance's short path now starts from a row that is acknowledged.
        Instant beat = acked.plusSeconds(1);
        if (c.problem() == DOWN) {
            store.ingest(twoTags("c1", "n1", 3, beat, RUNNING, FAILED), beat);
        }

        Instant next = beat.plusSeconds(2);
        switch (c.change()) {
            case "recover" -> store.ingest(twoTags("c1", "n1", 4, next, RUNNING, RUNNING), next);
            case "recover-elsewhere" -> another().ingest(twoTags("c1", "n1", 4, next, RUNNING, RUNNING), next);
            case "split" -> store.ingest(twoTags("c1", "n2", 4, next, RUNNING, RUNNING), next);
            case "same" -> store.ingest(twoTags("c1", "n1", 4, next, RUNNING, FAILED), next);
            case "down" -> store.ingest(twoTags("c1", "n1", 4, next, RUNNING, FAILED), next);
            case "expire" -> {
                next = until;
                assertThat(store.reevaluateDue(until.minusNanos(1000))).isZero();
                assertThat(store.reevaluateDue(until)).isEqualTo(1); // its expiry wakes the cluster
            }
            case "remove" -> assertThat(store.removeAcknowledgement("c1", ack.id(), "bob", next)).isTrue();
            default -> throw new IllegalArgumentException(c.change());
        }
        // What a heartbeat here then sees, from its own (older) rows: the same.
        store.ingest(twoTags("c1", "n2", 5, next, c.after() == SPLIT ? RUNNING : STOPPED,
                c.after() == SPLIT ? RUNNING : STOPPED), next.plusSeconds(1));
        Instant then = next.plusSeconds(1);
        ClusterRow row = row("c1", then);
        assertThat(row.state()).isEqualTo(c.after());
        List<String> ends = events("c1", FleetEvent.ACK).stream().map(FleetEvent::text)
                .filter(text -> text.startsWith("acknowledgement by alice ended")).toList();
        if (c.ended() == null) {
            assertThat(row.acknowledged()).isTrue();
            assertThat(row.acknowledgedBy()).isEqualTo("alice");
            assertThat(ends).isEmpty();
            assertThat(store.cluster("c1", 0, then).orElseThrow().acknowledgements()).containsExactly(ack);
            assertThat(store.summary(then).acknowledged()).isEqualTo(1);
        } else {
            assertThat(row.acknowledged()).isFalse();
            assertThat(row.acknowledgedBy()).isNull();
            assertThat(row.acknowledgedUntil()).isNull();
            assertThat(ends).containsExactly("acknowledgement by alice ended: " + c.ended());
            assertThat(store.cluster("c1", 0, then).orElseThrow().acknowledgements()).isEmpty();
            assertThat(another().cluster("c1", 0, then).orElseThrow().cluster()).isEqualTo(row);
            assertThat(store.summary(then).acknowledged()).isZero();
        }
    }

    @Test
    void anAcknowledgementWithoutUntilLastsAsLongAsItsProblem() {
        store.ingest(report("c1", "n1", 1, FAILED), T0);
        AckView ack = store.acknowledge("c1", "alice", "waiting for the vendor", null, false, T0);
        assertThat(ack.until()).isNull();
        assertThat(events("c1", FleetEvent.ACK)).extracting(FleetEvent::text)
                .containsExactly("acknowledged DOWN by alice until it ends: waiting for the vendor");
        // Forty days on, still DOWN (n1 keeps reporting): still acknowledged.
        Instant later = T0.plus(Duration.ofDays(40));
        store.ingest(report("c1", "n1", 2, FAILED), later);
        assertThat(store.reevaluateDue(later.plusSeconds(1))).isZero();
        assertThat(row("c1", later).acknowledged()).isTrue();
        assertThat(row("c1", later).acknowledgedUntil()).isNull();
        assertThat(store.summary(later).acknowledged()).isEqualTo(1);
    }

    @Test
    void anAcknowledgedProblemComesAfterTheUnhandledOnesOfItsState() {
        store.ingest(report("a", "n1", 1, FAILED), T0);
        store.ingest(report("b", "n1", 1, FAILED), T0.plusSeconds(1));
        store.acknowledge("a", "alice", "on it", null, false, T0.plusSeconds(2));
        assertThat(names(store.clusters(query(ClusterQuery.Sort.PROBLEM), T0.plusSeconds(2)))).containsExactly("b", "a");
        // A window does the same.
        window("b", T0, T0.plusSeconds(600), "patch", "bob", T0.plusSeconds(3));
        store.removeAcknowledgement("a", store.cluster("a", 0, T0.plusSeconds(3)).orElseThrow().acknowledgements()
                .get(0).id(), "alice", T0.plusSeconds(3));
        assertThat(names(store.clusters(query(ClusterQuery.Sort.PROBLEM), T0.plusSeconds(4)))).containsExactly("a", "b");
    }

    // ---------------------------------------------------------------- recurring windows, through the store

    /** 2025-06-01 (T0's day) is a Sunday: Sunday 14:30 Europe/Berlin (CEST) is 12:30Z, half an hour after T0. */
    @Test
    void aWeeklyWindowWakesTheClusterAtEachOccurrencesStartAndEnd() {
        okCluster("c1", T0);
        Maintenance weekly = new Maintenance(T0, null, "Sunday patching", Maintenance.Weekly.parse(List.of("SUNDAY"),
                "14:30", "PT1H", "Europe/Berlin"));
        MaintenanceView w = store.addMaintenance("c1", weekly, "alice", T0);
        Instant start = Instant.parse("2025-06-01T12:30:00Z");
        Instant end = Instant.parse("2025-06-01T13:30:00Z");
        assertThat(w.until()).isNull();
        assertThat(w.days()).containsExactly("SUNDAY");
        assertThat(w.start()).isEqualTo("14:30");
        assertThat(w.duration()).isEqualTo("PT1H");
        assertThat(w.zone()).isEqualTo("Europe/Berlin");
        assertThat(w.nextFrom()).isEqualTo(start);
        assertThat(w.nextUntil()).isEqualTo(end);
        assertThat(events("c1", FleetEvent.MAINTENANCE)).singleElement().satisfies(e -> assertThat(e.text())
                .isEqualTo("maintenance every SUNDAY 14:30 Europe/Berlin for PT1H from " + T0
                        + " set by alice: Sunday patching"));
        assertThat(row("c1", T0).inMaintenance()).isFalse();

        // Both nodes report just before, so nothing but the window is due at its start.
        keepReporting("c1", start.minusSeconds(10));
        assertThat(store.reevaluateDue(start.minusNanos(1000))).isZero();
        assertThat(store.reevaluateDue(start)).isEqualTo(1);
        assertThat(row("c1", start)).satisfies(r -> {
            assertThat(r.state()).isEqualTo(OK);
            assertThat(r.inMaintenance()).isTrue();
            assertThat(r.maintenanceUntil()).isEqualTo(end);
        });
        assertThat(store.summary(start).inMaintenance()).isEqualTo(1);
        assertThat(events("c1", FleetEvent.MAINTENANCE)).last().satisfies(e -> assertThat(e.text())
                .isEqualTo("in maintenance until " + end + " (OK)"));

        keepReporting("c1", end.minusSeconds(10));
        // Reports in the window (this instance's short path, from the windows it read) keep the marker.
        assertThat(row("c1", end.minusSeconds(10)).inMaintenance()).isTrue();
        assertThat(store.reevaluateDue(end.minusNanos(1000))).isZero();
        assertThat(store.reevaluateDue(end)).isEqualTo(1);
        assertThat(row("c1", end).inMaintenance()).isFalse();
        // The series goes on: next Sunday's occurrence is the next.
        assertThat(store.cluster("c1", 0, end).orElseThrow().maintenance()).singleElement().satisfies(v -> {
            assertThat(v.nextFrom()).isEqualTo(Instant.parse("2025-06-08T12:30:00Z"));
            assertThat(v.nextUntil()).isEqualTo(Instant.parse("2025-06-08T13:30:00Z"));
        });
        // A week on, it covers again, with no new write.
        Instant nextWeek = Instant.parse("2025-06-08T12:45:00Z");
        keepReporting("c1", nextWeek.minusSeconds(10));
        store.reevaluateDue(nextWeek);
        assertThat(row("c1", nextWeek).inMaintenance()).isTrue();

        // Removed: over at once; kept after a reopen until then.
        store = reopen();
        assertThat(row("c1", nextWeek).inMaintenance()).isTrue();
        assertThat(store.removeMaintenance("c1", w.id(), "bob", nextWeek.plusSeconds(1))).isTrue();
        assertThat(row("c1", nextWeek.plusSeconds(1)).inMaintenance()).isFalse();
        assertThat(store.cluster("c1", 0, nextWeek.plusSeconds(1)).orElseThrow().maintenance()).isEmpty();
    }

    @Test
    void aWeeklyWindowSeenByAnotherInstance() {
        okCluster("c1", T0);
        Maintenance weekly = new Maintenance(T0, T0.plus(Duration.ofDays(30)), "nightly",
                Maintenance.Weekly.parse(List.of("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"), "00:00", "PT12H",
                        "UTC"));
        store.addMaintenance("c1", weekly, "alice", T0);
        // 12:00Z: the day's occurrence (00:00–12:00) just ended.
        assertThat(row("c1", T0).inMaintenance()).isFalse();
        FleetStore other = another();
        Instant midnight = Instant.parse("2025-06-02T00:00:00Z");
        assertThat(other.reevaluateDue(midnight)).isEqualTo(1);
        assertThat(store.cluster("c1", 0, midnight).orElseThrow().cluster()).satisfies(r -> {
            assertThat(r.state()).isEqualTo(STALE);
            assertThat(r.inMaintenance()).isTrue();
            assertThat(r.maintenanceUntil()).isEqualTo(Instant.parse("2025-06-02T12:00:00Z"));
        });
    }

    private void keepReporting(String cluster, Instant at) {
        long seq = at.getEpochSecond() - T0.getEpochSecond() + 10;
        store.ingest(report(cluster, "n1", seq, RUNNING), at);
        store.ingest(report(cluster, "n2", seq, STOPPED), at);
    }

    @Test
    void anAcknowledgementOfAnOkClusterIsRefusedAndKeepsNothing() {
        okCluster("c1", T0);
        long events = events("c1").size();
        assertThatThrownBy(() -> ack("c1", "alice", "planned", T0.plusSeconds(30), T0))
                .isInstanceOf(AcknowledgementRefusedException.class)
                .hasMessage("cluster 'c1' is OK: there is no problem to acknowledge");
        assertThat(store.summary(T0).acknowledged()).isZero();
        assertThat(row("c1", T0).acknowledged()).isFalse();
        assertThat(store.cluster("c1", 0, T0).orElseThrow().acknowledgements()).isEmpty();
        assertThat(events("c1")).hasSize((int) events);
    }

    @Test
    void forgetNodeStopsItsSilenceFromDegrading() {
        okCluster("c1", T0);
        store.ingest(report("c1", "n1", 20, RUNNING), T0.plusSeconds(30));
        store.reevaluateDue(T0.plusSeconds(40));
        assertThat(row("c1", T0.plusSeconds(40)).state()).isEqualTo(DEGRADED);

        assertThat(store.forgetNode("c1", "n2", "alice", T0.plusSeconds(41))).isTrue();
        ClusterRow row = row("c1", T0.plusSeconds(41));
        assertThat(row.state()).isEqualTo(OK);
        assertThat(row.nodes()).containsExactly("n1");
        assertThat(store.cluster("c1", 0, T0.plusSeconds(41)).orElseThrow().nodes()).extracting(FleetNode::node)
                .containsExactly("n1");
        assertThat(events("c1", "NODE")).last()
                .satisfies(e -> assertThat(e.text()).isEqualTo("node n2 forgotten by alice"));
        assertThat(store.forgetNode("c1", "n2", "alice", T0.plusSeconds(42))).isFalse();
        assertThat(store.forgetNode("c1", "n9", "alice", T0.plusSeconds(42))).isFalse();

        // It comes back: known again.
        store.ingest(report("c1", "n2", 50, STOPPED), T0.plusSeconds(45));
        assertThat(row("c1", T0.plusSeconds(45)).nodes()).containsExactly("n1", "n2");
        assertThat(events("c1", "NODE")).last().satisfies(e -> assertThat(e.text())
                .isEqualTo("node n2 reports again after it was forgotten"));
    }

    @Test
    void unknownClustersAreErrorsForWritesAndEmptyForReads() {
        okCluster("c1", T0);
        assertThatThrownBy(() -> ack("nope", "a", "b", T0.plusSeconds(9), T0))
                .isInstanceOf(UnknownClusterException.class).hasMessageContaining("'nope'");
        assertThatThrownBy(() -> window("nope", T0, T0.plusSeconds(9), "r", "a", T0))
                .isInstanceOf(UnknownClusterException.class);
        assertThatThrownBy(() -> store.forgetNode("nope", "n1", "a", T0)).isInstanceOf(UnknownClusterException.class);
        assertThatThrownBy(() -> store.removeAcknowledgement("nope", 1, "a", T0))
                .isInstanceOf(UnknownClusterException.class);
        assertThatThrownBy(() -> store.removeMaintenance("nope", 1, "a", T0))
                .isInstanceOf(UnknownClusterException.class);
        assertThat(store.cluster("nope", 10, T0)).isEmpty();
        assertThatThrownBy(() -> window("c1", T0, T0, "r", "a", T0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must end after it starts");
    }

    // ---------------------------------------------------------------- queries

    /** a-ok OK, b-down DOWN, c-split SPLIT, d-down DOWN (acknowledged), e-stale STALE, f-maint OK in maintenance. */
    private Instant fleetOfSix() {
        store.ingest(report("e-stale", "e1", 1, RUNNING), T0.minusSeconds(100));
        store.reevaluateDue(T0.minusSeconds(50));
        okCluster("a-ok", T0.minusSeconds(5));
        store.ingest(report("d-down", "d1", 1, FAILED), T0.minusSeconds(4));
        store.ingest(report("b-down", "B1", 1, FAILED), T0.minusSeconds(3));
        store.ingest(report("c-split", "c1", 1, RUNNING), T0.minusSeconds(2));
        store.ingest(report("c-split", "shared-node", 1, RUNNING), T0.minusSeconds(2));
        okCluster("f-maint", T0.minusSeconds(1));
        window("f-maint", T0.minusSeconds(1), T0.plusSeconds(600), "r", "a", T0.minusSeconds(1));
        ack("d-down", "alice", "known", T0.plusSeconds(600), T0);
        return T0;
    }

    @Test
    void summaryCountsEveryStateAndTheLastEvent() {
        assertThat(store.summary(T0)).isEqualTo(new Summary(T0, 0, java.util.Map.of(OK, 0, DEGRADED, 0, DOWN, 0,
                SPLIT, 0, STALE, 0, MAINTENANCE, 0), 0, 0, 0, 0));
        Instant now = fleetOfSix();
        Summary s = store.summary(now);
        assertThat(s.clusters()).isEqualTo(6);
        // Real states sum to the clusters; MAINTENANCE counts those in a window besides.
        assertThat(s.byState()).containsExactlyInAnyOrderEntriesOf(java.util.Map.of(OK, 2, DEGRADED, 0, DOWN, 2,
                SPLIT, 1, STALE, 1, MAINTENANCE, 1));
        assertThat(s.inMaintenance()).isEqualTo(1);
        assertThat(s.acknowledged()).isEqualTo(1);
        assertThat(s.lastEventId()).isEqualTo(store.lastEventId()).isPositive();
        assertThat(s.at()).isEqualTo(now);
    }

    @Test
    void clusterListFiltersSearchesSortsAndPages() {
        Instant now = fleetOfSix();

        // Problem first: SPLIT, DOWN (unacknowledged first), STALE, DEGRADED, OK (each in a window after the others).
        assertThat(names(store.clusters(query(ClusterQuery.Sort.PROBLEM), now)))
                .containsExactly("c-split", "b-down", "d-down", "e-stale", "a-ok", "f-maint");
        assertThat(names(store.clusters(query(ClusterQuery.Sort.NAME), now)))
                .containsExactly("a-ok", "b-down", "c-split", "d-down", "e-stale", "f-maint");
        // Most recent change first: f-maint went OK last (its window changed no state).
        assertThat(names(store.clusters(query(ClusterQuery.Sort.SINCE), now)))
                .containsExactly("f-maint", "c-split", "b-down", "d-down", "a-ok", "e-stale");
        // Within DOWN, without acknowledgements, the longest-standing first.
        store.removeAcknowledgement("d-down", store.cluster("d-down", 0, now).orElseThrow().acknowledgements()
                .get(0).id(), "alice", now);
        assertThat(names(store.clusters(query(ClusterQuery.Sort.PROBLEM), now)))
                .startsWith("c-split", "d-down", "b-down");

        ClusterPage down = store.clusters(new ClusterQuery(Optional.of(DOWN), Optional.empty(),
                ClusterQuery.Sort.NAME, 0, 10), now);
        assertThat(names(down)).containsExactly("b-down", "d-down");
        assertThat(down.total()).isEqualTo(2);

        // q: a case-insensitive substring of the cluster's name or of a node's name; _ and % are literal.
        assertThat(names(store.clusters(new ClusterQuery(Optional.empty(), Optional.of("SHARED"),
                ClusterQuery.Sort.NAME, 0, 10), now))).containsExactly("c-split");
        assertThat(names(store.clusters(new ClusterQuery(Optional.empty(), Optional.of("b1"),
                ClusterQuery.Sort.NAME, 0, 10), now))).containsExactly("b-down");
        assertThat(names(store.clusters(new ClusterQuery(Optional.empty(), Optional.of("DOWN"),
                ClusterQuery.Sort.NAME, 0, 10), now))).containsExactly("b-down", "d-down");
        assertThat(store.clusters(new ClusterQuery(Optional.empty(), Optional.of("%"),
                ClusterQuery.Sort.NAME, 0, 10), now).total()).isZero();
        assertThat(store.clusters(new ClusterQuery(Optional.of(OK), Optional.of("down"),
                ClusterQuery.Sort.NAME, 0, 10), now).total()).isZero();

        ClusterPage p1 = store.clusters(new ClusterQuery(Optional.empty(), Optional.empty(), ClusterQuery.Sort.NAME,
                1, 4), now);
        assertThat(names(p1)).containsExactly("e-stale", "f-maint");
        assertThat(p1.total()).isEqualTo(6);
        assertThat(p1.page()).isEqualTo(1);
        assertThat(p1.size()).isEqualTo(4);
        ClusterPage beyond = store.clusters(new ClusterQuery(Optional.empty(), Optional.empty(),
                ClusterQuery.Sort.NAME, 5, 4), now);
        assertThat(beyond.items()).isEmpty();
        assertThat(beyond.total()).isEqualTo(6);

        ClusterRow split = store.clusters(new ClusterQuery(Optional.of(SPLIT), Optional.empty(),
                ClusterQuery.Sort.NAME, 0, 10), now).items().get(0);
        assertThat(split.nodes()).containsExactly("c1", "shared-node");
        assertThat(split.serving()).containsExactly("HULFT@c1", "HULFT@shared-node");
        assertThat(split.problems()).isEqualTo(1);

        assertThatThrownBy(() -> store.clusters(new ClusterQuery(Optional.empty(), Optional.empty(),
                ClusterQuery.Sort.NAME, 0, 501), now)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void eventsByIdSinceAndCluster() {
        okCluster("a", T0);
        okCluster("b", T0.plusSeconds(10));
        List<FleetEvent> all = store.events(new EventQuery(0, Optional.empty(), Optional.empty(), 1000));
        assertThat(all).hasSize(6);
        assertThat(all).extracting(FleetEvent::id).isSorted().doesNotHaveDuplicates();
        assertThat(all.get(all.size() - 1).id()).isEqualTo(store.lastEventId());

        long third = all.get(2).id();
        assertThat(store.events(new EventQuery(third, Optional.empty(), Optional.empty(), 1000)))
                .containsExactlyElementsOf(all.subList(3, 6));
        assertThat(store.events(new EventQuery(0, Optional.empty(), Optional.empty(), 2)))
                .containsExactlyElementsOf(all.subList(0, 2));
        assertThat(store.events(new EventQuery(0, Optional.of(T0.plusSeconds(10)), Optional.empty(), 1000)))
                .allSatisfy(e -> assertThat(e.cluster()).isEqualTo("b")).hasSize(3);
        assertThat(store.events(new EventQuery(0, Optional.empty(), Optional.of("a"), 1000)))
                .extracting(FleetEvent::cluster).containsOnly("a").hasSize(3);
        assertThat(store.cluster("a", 2, T0).orElseThrow().history()).extracting(FleetEvent::id)
                .containsExactly(all.get(2).id(), all.get(1).id());
    }

    @Test
    void eventsNewestFirstByTimeFilteredByKindAndNodeAndPaged() {
        okCluster("a", T0);
        okCluster("b", T0);
        // Agents' events arrive out of their time order: ids say when they were received, at when they happened.
        store.ingest(report("a", "n1", 20, RUNNING, transition(1, T0.minusSeconds(300), "first"),
                transition(2, T0.minusSeconds(100), "third")), T0.plusSeconds(1));
        store.ingest(report("a", "n2", 20, STOPPED, transition(1, T0.minusSeconds(200), "second")), T0.plusSeconds(2));
        Comparator<FleetEvent> newestFirst = Comparator.comparing(FleetEvent::at).thenComparing(FleetEvent::id).reversed();

        List<FleetEvent> newest = store.events(new EventQuery(0, Optional.empty(), Optional.of("a"), Optional.empty(),
                Optional.empty(), EventQuery.Order.NEWEST, OptionalLong.empty(), 1000));
        assertThat(newest).hasSize(events("a").size()).isSortedAccordingTo(newestFirst)
                .extracting(FleetEvent::cluster).containsOnly("a");
        assertThat(newest.stream().filter(e -> e.kind().equals(FleetEvent.TRANSITION)).map(FleetEvent::text))
                .containsExactly("third", "second", "first");
        assertThat(newest).extracting(FleetEvent::id).isNotEqualTo(newest.stream().map(FleetEvent::id).sorted(
                Comparator.reverseOrder()).toList());

        // Pages of two, each after the last event of the one before, make up the whole list once.
        List<FleetEvent> paged = new ArrayList<>();
        OptionalLong before = OptionalLong.empty();
        for (int pages = 0; pages < 20; pages++) {
            List<FleetEvent> page = store.events(new EventQuery(0, Optional.empty(), Optional.of("a"), Optional.empty(),
                    Optional.empty(), EventQuery.Order.NEWEST, before, 2));
            paged.addAll(page);
            if (page.size() < 2) {
                break;
            }
            before = OptionalLong.of(page.get(page.size() - 1).id());
        }
        assertThat(paged).containsExactlyElementsOf(newest);

        assertThat(store.events(new EventQuery(0, Optional.empty(), Optional.empty(), Optional.of(FleetEvent.TRANSITION),
                Optional.of("n2"), EventQuery.Order.NEWEST, OptionalLong.empty(), 1000)))
                .extracting(FleetEvent::text).containsExactly("second");
        assertThat(store.events(new EventQuery(0, Optional.empty(), Optional.empty(), Optional.of(FleetEvent.STATE),
                Optional.empty(), EventQuery.Order.ID, OptionalLong.empty(), 1000)))
                .extracting(FleetEvent::kind).containsOnly(FleetEvent.STATE).hasSize(2);
        // A cursor gone to retention (or never there): nothing older to show.
        assertThat(store.events(new EventQuery(0, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                EventQuery.Order.NEWEST, OptionalLong.of(store.lastEventId() + 1000), 1000))).isEmpty();
    }

    @Test
    void pruneDeletesOldEventsAndEndedAcknowledgementsAndWindows() {
        store.ingest(report("c1", "n1", 10, FAILED), T0);
        store.ingest(report("c2", "n1", 10, FAILED), T0);
        // An acknowledgement that has expired, but that no evaluation ended (c1 is not derived again).
        ack("c1", "a", "old", T0.plusSeconds(10), T0);
        window("c1", T0, T0.plusSeconds(10), "old", "a", T0);
        store.ingest(report("c2", "n1", 11, FAILED), T0.plus(Duration.ofDays(1)));
        AckView keep = ack("c2", "a", "new", T0.plus(Duration.ofDays(2)), T0.plus(Duration.ofDays(1)));
        Instant day = T0.plus(Duration.ofDays(1));
        List<FleetEvent> all = store.events(new EventQuery(0, Optional.empty(), Optional.empty(), 1000));
        long recent = all.stream().filter(e -> !e.at().isBefore(day)).count();
        assertThat(recent).isPositive();

        long deleted = store.prune(day);

        // Events before the day, c1's expired acknowledgement and its window.
        assertThat(deleted).isEqualTo(all.size() - recent + 2);
        assertThat(store.events(new EventQuery(0, Optional.empty(), Optional.empty(), 1000))).hasSize((int) recent)
                .allSatisfy(e -> assertThat(e.at()).isAfterOrEqualTo(day));
        assertThat(store.cluster("c2", 0, day).orElseThrow().acknowledgements()).containsExactly(keep);
        assertThat(store.prune(T0.plus(Duration.ofDays(1)))).isZero();
    }

    @Test
    void historySurvivesReopeningTheStore() {
        okCluster("c1", T0);
        store.ingest(report("c1", "n1", 100, FAILED), T0.plusSeconds(1));
        long last = store.lastEventId();

        store = reopen();

        assertThat(row("c1", T0.plusSeconds(2)).state()).isEqualTo(DOWN);
        assertThat(store.lastEventId()).isEqualTo(last);
        assertThat(events("c1", "STATE")).extracting(FleetEvent::state).containsExactly(OK, DOWN);
        // And it goes on where it was: the same report again is a duplicate.
        assertThat(store.ingest(report("c1", "n1", 100, FAILED), T0.plusSeconds(3)).outcome()).isEqualTo(OUTDATED);
        assertThat(store.ingest(report("c1", "n1", 101, RUNNING), T0.plusSeconds(3)).state()).isEqualTo(OK);
    }

    @Test
    void concurrentIngestsOfOneClusterRecordEachChangeOnce() throws Exception {
        // Eight threads, two clusters, each report flips who serves: the per-cluster lock must serialize them.
        int threads = 8;
        int perThread = 40;
        List<Thread> workers = new ArrayList<>();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int i = 0; i < threads; i++) {
            int me = i;
            workers.add(new Thread(() -> {
                try {
                    for (int j = 0; j < perThread; j++) {
                        String cluster = "c" + (j % 2);
                        String node = me % 2 == 0 ? "n1" : "n2";
                        long seq = (long) j * threads + me;
                        store.ingest(report(cluster, node, seq, j % 3 == 0 ? FAILED : RUNNING),
                                T0.plusMillis(seq));
                    }
                } catch (Throwable t) {
                    failures.add(t);
                }
            }));
        }
        workers.forEach(Thread::start);
        for (Thread t : workers) {
            t.join();
        }
        assertThat(failures).isEmpty();
        for (String cluster : List.of("c0", "c1")) {
            List<FleetEvent> states = events(cluster, "STATE");
            // Consecutive STATE events always change the state, and the last one is the row's.
            for (int i = 1; i < states.size(); i++) {
                assertThat(states.get(i).state()).isNotEqualTo(states.get(i - 1).state());
            }
            assertThat(states.get(states.size() - 1).state()).isEqualTo(row(cluster, T0.plusSeconds(1)).state());
            assertThat(events(cluster, "NODE")).hasSize(2);
        }
    }

    // ---------------------------------------------------------------- labels and fleet-action flags (V11)

    static Report labelled(Report r, Map<String, String> labels, Boolean fleetActions, String actionsVia) {
        return new Report(r.cluster(), r.node(), r.agentVersion(), r.agentStartedAt(), r.seq(), r.sentAt(),
                r.resources(), r.events(), r.dropped(), r.instance(), labels, fleetActions, actionsVia);
    }

    static ClusterQuery byLabels(Map<String, String> labels) {
        return new ClusterQuery(Optional.empty(), Optional.empty(), ClusterQuery.Sort.NAME, 0, 100, labels);
    }

    static ClusterQuery byText(String q) {
        return new ClusterQuery(Optional.empty(), Optional.of(q), ClusterQuery.Sort.NAME, 0, 100);
    }

    @Test
    void eachNodesLabelsAndFleetActionFlagsAreKeptAndFollowItsReports() {
        store.ingest(labelled(report("c1", "n1", 10, RUNNING), Map.of("site", "osaka", "env", "prod"), true,
                "lifekeeper"), T0);
        store.ingest(labelled(report("c1", "n2", 10, STOPPED), Map.of("site", "osaka", "env", "test"), null, null),
                T0);

        ClusterDetail d = store.cluster("c1", 0, T0).orElseThrow();
        assertThat(d.nodes()).extracting(FleetNode::node, FleetNode::labels, FleetNode::fleetActions,
                FleetNode::actionsVia).containsExactly(
                org.assertj.core.groups.Tuple.tuple("n1", Map.of("env", "prod", "site", "osaka"), true, "lifekeeper"),
                org.assertj.core.groups.Tuple.tuple("n2", Map.of("env", "test", "site", "osaka"), false, null));
        // The cluster's: the union, a key whose values differ with each of them.
        assertThat(d.cluster().labels()).containsExactlyEntriesOf(
                new java.util.TreeMap<>(Map.of("env", "prod,test", "site", "osaka")));
        assertThat(store.clusters(query(ClusterQuery.Sort.NAME), T0).items().get(0).labels())
                .isEqualTo(d.cluster().labels());
        assertThat(store.snapshot(T0)).singleElement()
                .satisfies(s -> assertThat(s.row().labels()).isEqualTo(d.cluster().labels()));

        // A heartbeat (the short path) that changes them, then the same again: the last report's stand.
        store.ingest(labelled(report("c1", "n1", 11, RUNNING), Map.of("site", "kobe"), false, "direct"),
                T0.plusSeconds(1));
        store.ingest(labelled(report("c1", "n2", 11, STOPPED), Map.of("site", "osaka", "env", "test"), true,
                "direct"), T0.plusSeconds(1));
        store = reopen(); // kept, not only known to this instance
        ClusterDetail after = store.cluster("c1", 0, T0.plusSeconds(2)).orElseThrow();
        assertThat(after.nodes()).extracting(FleetNode::node, FleetNode::labels, FleetNode::fleetActions,
                FleetNode::actionsVia).containsExactly(
                org.assertj.core.groups.Tuple.tuple("n1", Map.of("site", "kobe"), false, "direct"),
                org.assertj.core.groups.Tuple.tuple("n2", Map.of("env", "test", "site", "osaka"), true, "direct"));
        assertThat(after.cluster().labels()).isEqualTo(Map.of("env", "test", "site", "kobe,osaka"));
    }

    @Test
    void theClusterTableSelectsByLabelsAndItsSearchFindsLabelValues() {
        store.ingest(labelled(report("c1", "n1", 10, RUNNING), Map.of("site", "osaka", "env", "prod"), null, null), T0);
        // c2: the two labels on different nodes still both hold.
        store.ingest(labelled(report("c2", "n1", 10, RUNNING), Map.of("site", "osaka"), null, null), T0);
        store.ingest(labelled(report("c2", "n2", 10, STOPPED), Map.of("env", "prod"), null, null), T0);
        store.ingest(labelled(report("c3", "n1", 10, RUNNING), Map.of("site", "Tokyo-East"), null, null), T0);
        store.ingest(report("c4", "n1", 10, RUNNING), T0);
        // LIKE's own characters in a value mean themselves.
        store.ingest(labelled(report("c5", "n1", 10, RUNNING), Map.of("site", "o_aka%"), null, null), T0);

        assertThat(names(store.clusters(byLabels(Map.of("site", "osaka")), T0))).containsExactly("c1", "c2");
        assertThat(store.clusters(byLabels(Map.of("site", "osaka")), T0).total()).isEqualTo(2);
        assertThat(names(store.clusters(byLabels(Map.of("site", "osaka", "env", "prod")), T0)))
                .containsExactly("c1", "c2");
        assertThat(names(store.clusters(byLabels(Map.of("site", "Tokyo-East", "env", "prod")), T0))).isEmpty();
        assertThat(names(store.clusters(byLabels(Map.of("site", "o_aka%")), T0))).containsExactly("c5");
        assertThat(names(store.clusters(byLabels(Map.of("site", "osa")), T0))).isEmpty(); // the whole value
        assertThat(names(store.clusters(byLabels(Map.of("ite", "osaka")), T0))).isEmpty(); // the whole key
        assertThat(names(store.clusters(byLabels(Map.of("site", "tokyo-east")), T0))).isEmpty(); // exact case

        assertThat(names(store.clusters(byText("tokyo"), T0))).containsExactly("c3");
        assertThat(names(store.clusters(byText("osaka"), T0))).containsExactly("c1", "c2");
        assertThat(names(store.clusters(byText("site"), T0))).isEmpty(); // values, not keys
    }

    @Test
    void aForgottenNodesLabelsLeaveItsCluster() {
        store.ingest(labelled(report("c1", "n1", 10, RUNNING), Map.of("site", "osaka"), true, "direct"), T0);
        store.ingest(labelled(report("c1", "n2", 10, STOPPED), Map.of("site", "kobe"), true, "direct"), T0);

        assertThat(store.forgetNode("c1", "n2", "alice", T0.plusSeconds(1))).isTrue();

        assertThat(row("c1", T0.plusSeconds(1)).labels()).isEqualTo(Map.of("site", "osaka"));
        assertThat(names(store.clusters(byLabels(Map.of("site", "kobe")), T0.plusSeconds(1)))).isEmpty();
        assertThat(names(store.clusters(byLabels(Map.of("site", "osaka")), T0.plusSeconds(1))))
                .containsExactly("c1");
    }

    // ---------------------------------------------------------------- facts, drift and readiness (issue 13)

    /** Facts of one HULFT resource with these settings and preflight rows; the digest stands for them. */
    static io.hulftark.wire.NodeFacts facts(char digest, Map<String, String> settings,
                                           io.hulftark.wire.NodeFacts.PreflightRow... rows) {
        return new io.hulftark.wire.NodeFacts(String.valueOf(digest).repeat(64), T0, "1.0.0", "Windows Server 2022",
                "10.0.20348", "17.0.13 (Eclipse Adoptium)", "host-" + digest, "windows", true, "9.8.1",
                List.of(new io.hulftark.wire.NodeFacts.ResourceFacts("HULFT", settings, List.of(rows))), T0);
    }

    static io.hulftark.wire.NodeFacts.PreflightRow fail(String check, String detail) {
        return new io.hulftark.wire.NodeFacts.PreflightRow(check, io.hulftark.wire.NodeFacts.PreflightRow.FAIL, detail);
    }

    static io.hulftark.wire.NodeFacts.PreflightRow ok(String check) {
        return new io.hulftark.wire.NodeFacts.PreflightRow(check, io.hulftark.wire.NodeFacts.PreflightRow.OK, null);
    }

    static Report withFacts(Report r, io.hulftark.wire.NodeFacts facts) {
        return r.withFacts(facts);
    }

    List<String> config(String cluster) {
        return events(cluster, FleetEvent.CONFIG).stream().sorted(Comparator.comparing(FleetEvent::id))
                .map(FleetEvent::text).toList();
    }

    /** One column of one node's row, as the store keeps it. */
    Object nodeColumn(String node, String column) {
        try (java.sql.Connection c = dataSource().getConnection();
             java.sql.PreparedStatement ps = c.prepareStatement("SELECT " + column + " FROM fleet_node WHERE name = ?")) {
            ps.setString(1, node);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                if (column.endsWith("_at")) {
                    java.time.OffsetDateTime t = rs.getObject(1, java.time.OffsetDateTime.class);
                    return t == null ? null : t.toInstant();
                }
                return rs.getObject(1);
            }
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void factsAreKeptWithTheirInventoryColumnsAndAHeartbeatNeverClearsThem() {
        io.hulftark.wire.NodeFacts f = facts('a', Map.of("LKHULFT_TIMEOUT", "300", "$exe_path", "E:\\HULFT\\bin"),
                ok("conf_file"));
        store.ingest(withFacts(report("c1", "n1", 10, RUNNING), f), T0);
        io.hulftark.wire.NodeFacts none = new io.hulftark.wire.NodeFacts("c".repeat(64), T0, "1.0.0", null, null,
                "21", "h2", "linux", false, null, List.of(), null);
        store.ingest(withFacts(report("c1", "n2", 10, STOPPED), none), T0);

        assertThat(store.cluster("c1", 0, T0).orElseThrow().nodes()).extracting(FleetNode::facts)
                .containsExactly(f, none);
        assertThat(nodeColumn("n1", "facts_digest")).isEqualTo("a".repeat(64));
        assertThat(nodeColumn("n1", "facts_at")).isEqualTo(T0);
        assertThat(nodeColumn("n1", "validated_at")).isEqualTo(T0);
        assertThat(nodeColumn("n1", "os")).isEqualTo("Windows Server 2022 10.0.20348");
        assertThat(nodeColumn("n1", "jvm")).isEqualTo("17.0.13 (Eclipse Adoptium)");
        assertThat(nodeColumn("n1", "lifekeeper_version")).isEqualTo("9.8.1");
        assertThat(nodeColumn("n1", "host")).isEqualTo("host-a");
        assertThat(nodeColumn("n1", "platform")).isEqualTo("windows");
        assertThat(nodeColumn("n2", "os")).isNull(); // it says neither
        assertThat(nodeColumn("n2", "lifekeeper_version")).isEqualTo("(none)");

        // Heartbeats (the short path, then the full one after another instance wrote) carry no facts: kept.
        store.ingest(report("c1", "n1", 11, RUNNING), T0.plusSeconds(5));
        another().ingest(report("c1", "n2", 11, STOPPED), T0.plusSeconds(5));
        store.ingest(report("c1", "n2", 12, STOPPED), T0.plusSeconds(10));
        store = reopen();
        ClusterDetail d = store.cluster("c1", 0, T0.plusSeconds(10)).orElseThrow();
        assertThat(d.nodes()).extracting(FleetNode::facts).containsExactly(f, none);
        assertThat(d.cluster().state()).isEqualTo(OK);
        assertThat(nodeColumn("n1", "facts_at")).isEqualTo(T0);

        // New facts replace them.
        io.hulftark.wire.NodeFacts g = facts('b', Map.of("LKHULFT_TIMEOUT", "300", "$exe_path", "E:\\HULFT\\bin"));
        store.ingest(withFacts(report("c1", "n1", 12, RUNNING), g), T0.plusSeconds(11));
        assertThat(store.cluster("c1", 0, T0.plusSeconds(11)).orElseThrow().nodes().get(0).facts()).isEqualTo(g);
        assertThat(nodeColumn("n1", "facts_at")).isEqualTo(T0.plusSeconds(11));
    }

    @Test
    void driftIsFoundWhenFactsArriveAndClearedWithConfigEventsForEach() {
        okCluster("c1", T0);
        Instant t1 = T0.plusSeconds(1);
        store.ingest(withFacts(report("c1", "n1", 11, RUNNING), facts('a', Map.of("LKHULFT_TIMEOUT", "300"))), t1);
        assertThat(row("c1", t1).state()).isEqualTo(OK); // one node's facts: nothing to compare
        store.ingest(withFacts(report("c1", "n2", 11, STOPPED), facts('b', Map.of("LKHULFT_TIMEOUT", "60"))), t1);

        String line = "LKHULFT_TIMEOUT: 300 on n1, 60 on n2";
        ClusterDetail d = store.cluster("c1", 0, t1).orElseThrow();
        assertThat(d.cluster().state()).isEqualTo(DEGRADED);
        assertThat(d.problems()).containsExactly(line);
        assertThat(d.drift()).containsExactly(new io.hulftark.fleet.state.DriftItem("HULFT", "LKHULFT_TIMEOUT",
                Map.of("n1", "300", "n2", "60")));
        assertThat(d.warnings()).isEmpty();
        assertThat(config("c1")).containsExactly("began: " + line);
        assertThat(store.snapshot(t1)).singleElement().satisfies(s -> assertThat(s.drift()).isEqualTo(1));

        // Heartbeats here and at another instance keep it, without a second event.
        for (int i = 2; i < 6; i++) {
            Instant t = T0.plusSeconds(i);
            (i % 2 == 0 ? store : another()).ingest(report("c1", "n1", 10 + i, RUNNING), t);
            store.ingest(report("c1", "n2", 10 + i, STOPPED), t);
            assertThat(row("c1", t).state()).isEqualTo(DEGRADED);
        }
        assertThat(config("c1")).containsExactly("began: " + line);

        // Put back: cleared, its end in the history.
        Instant t6 = T0.plusSeconds(6);
        store.ingest(withFacts(report("c1", "n2", 16, STOPPED), facts('c', Map.of("LKHULFT_TIMEOUT", "300"))), t6);
        ClusterDetail after = store.cluster("c1", 0, t6).orElseThrow();
        assertThat(after.cluster().state()).isEqualTo(OK);
        assertThat(after.drift()).isEmpty();
        assertThat(after.problems()).isEmpty();
        assertThat(config("c1")).containsExactly("began: " + line, "ended: " + line);
        assertThat(events("c1", FleetEvent.STATE)).extracting(FleetEvent::state).contains(DEGRADED, OK);
        assertThat(store.snapshot(t6)).singleElement().satisfies(s -> assertThat(s.drift()).isZero());
    }

    @Test
    void forgettingTheOddNodeEndsItsDrift() {
        okCluster("c1", T0);
        store.ingest(withFacts(report("c1", "n1", 11, RUNNING), facts('a', Map.of("probe", "tcp"))), T0);
        store.ingest(withFacts(report("c1", "n2", 11, STOPPED), facts('b', Map.of("probe", "http"))), T0);
        assertThat(store.cluster("c1", 0, T0).orElseThrow().drift()).hasSize(1);

        assertThat(store.forgetNode("c1", "n2", "alice", T0.plusSeconds(1))).isTrue();
        ClusterDetail d = store.cluster("c1", 0, T0.plusSeconds(1)).orElseThrow();
        assertThat(d.drift()).isEmpty();
        assertThat(d.cluster().state()).isEqualTo(OK);
        assertThat(config("c1")).containsExactly("began: probe: tcp on n1, http on n2",
                "ended: probe: tcp on n1, http on n2");
    }

    @Test
    void aDeclaredPerNodeKeyIsNotDrift() {
        store = another(new JdbcFleetStore.Readiness(true, java.util.Set.of("$exe_path")));
        store.ingest(withFacts(report("c1", "n1", 10, RUNNING), facts('a', Map.of("$exe_path", "E:\\HULFT\\bin",
                "LKHULFT_RETRIES", "3"))), T0);
        store.ingest(withFacts(report("c1", "n2", 10, STOPPED), facts('b', Map.of("$exe_path", "D:\\HULFT\\bin",
                "LKHULFT_RETRIES", "3"))), T0);
        ClusterDetail d = store.cluster("c1", 0, T0).orElseThrow();
        assertThat(d.cluster().state()).isEqualTo(OK);
        assertThat(d.drift()).isEmpty();
        assertThat(config("c1")).isEmpty();
        // The same facts under the default: a drift.
        FleetStore strict = another();
        strict.ingest(withFacts(report("c2", "n1", 10, RUNNING), facts('a', Map.of("$exe_path", "E:\\HULFT\\bin"))), T0);
        strict.ingest(withFacts(report("c2", "n2", 10, STOPPED), facts('b', Map.of("$exe_path", "D:\\HULFT\\bin"))), T0);
        assertThat(strict.cluster("c2", 0, T0).orElseThrow().drift()).extracting(io.hulftark.fleet.state.DriftItem::key)
                .containsExactly("$exe_path");
    }

    @Test
    void aStandbyThatCouldNotTakeOverDegradesItsClusterAndItsAcknowledgementWorks() {
        okCluster("c1", T0);
        Instant t1 = T0.plusSeconds(1);
        store.ingest(withFacts(report("c1", "n2", 11, STOPPED), facts('b', Map.of(),
                fail("conf_file", "E:\\HULFT\\etc\\hulenv.cnf is not readable on n2"), ok("exe_path"))), t1);
        String line = "failover to n2 would fail: conf_file: E:\\HULFT\\etc\\hulenv.cnf is not readable on n2";
        ClusterDetail d = store.cluster("c1", 0, t1).orElseThrow();
        assertThat(d.cluster().state()).isEqualTo(DEGRADED);
        assertThat(d.cluster().reason()).isEqualTo(line);
        assertThat(d.problems()).containsExactly(line);
        assertThat(config("c1")).containsExactly("began: " + line);
        assertThat(store.snapshot(t1)).singleElement().satisfies(s -> assertThat(s.readinessFailures()).isEqualTo(1));
        assertThat(nodeColumn("n2", "readiness")).asString().contains("conf_file").contains("not readable");

        Instant t2 = T0.plusSeconds(2);
        AckView ack = ack("c1", "alice", "fixing the share", null, t2);
        assertThat(ack.state()).isEqualTo(DEGRADED);
        assertThat(ack.problem()).isEqualTo(line);
        // Heartbeats of both nodes (the readiness from its column): still DEGRADED and acknowledged.
        Instant t3 = T0.plusSeconds(3);
        store.ingest(report("c1", "n1", 12, RUNNING), t3);
        store.ingest(report("c1", "n2", 12, STOPPED), t3);
        assertThat(row("c1", t3).state()).isEqualTo(DEGRADED);
        assertThat(row("c1", t3).acknowledged()).isTrue();
        assertThat(store.summary(t3).acknowledged()).isEqualTo(1);

        // Fixed: the next preflight passes, the cluster is OK, the acknowledgement and the finding end.
        Instant t4 = T0.plusSeconds(4);
        store.ingest(withFacts(report("c1", "n2", 13, STOPPED), facts('c', Map.of(), ok("conf_file"), ok("exe_path"))),
                t4);
        ClusterRow fixed = row("c1", t4);
        assertThat(fixed.state()).isEqualTo(OK);
        assertThat(fixed.acknowledged()).isFalse();
        assertThat(events("c1", FleetEvent.ACK)).extracting(FleetEvent::text)
                .anyMatch(text -> text.startsWith("acknowledgement by alice ended"));
        assertThat(config("c1")).containsExactly("began: " + line, "ended: " + line);
        assertThat(store.snapshot(t4)).singleElement().satisfies(s -> assertThat(s.readinessFailures()).isZero());
    }

    @Test
    void aSilentStandbysPreflightIsNotJudgedItsSilenceIs() {
        okCluster("c1", T0);
        store.ingest(withFacts(report("c1", "n2", 11, STOPPED), facts('b', Map.of(), fail("service", "not installed"))),
                T0);
        assertThat(config("c1")).containsExactly("began: failover to n2 would fail: service: not installed");
        // n2 falls silent while n1 keeps reporting (the short path sees the finding go and takes the full one).
        Instant later = T0.plusSeconds(40);
        store.ingest(report("c1", "n1", 50, RUNNING), later);
        ClusterRow row = row("c1", later);
        assertThat(row.state()).isEqualTo(DEGRADED);
        assertThat(row.reason()).startsWith("n2 silent since");
        assertThat(config("c1")).containsExactly("began: failover to n2 would fail: service: not installed",
                "ended: failover to n2 would fail: service: not installed");
    }

    @Test
    void warnOnlyKeepsTheClusterOkAndShowsTheFindingsAsWarnings() {
        store = another(new JdbcFleetStore.Readiness(false, java.util.Set.of()));
        store.ingest(withFacts(report("c1", "n1", 10, RUNNING), facts('a', Map.of("LKHULFT_TIMEOUT", "300"))), T0);
        store.ingest(withFacts(report("c1", "n2", 10, STOPPED), facts('b', Map.of("LKHULFT_TIMEOUT", "60"),
                fail("startType", "the service starts automatically"))), T0);
        ClusterDetail d = store.cluster("c1", 0, T0).orElseThrow();
        assertThat(d.cluster().state()).isEqualTo(OK);
        assertThat(d.problems()).isEmpty();
        List<String> lines = List.of("failover to n2 would fail: startType: the service starts automatically",
                "LKHULFT_TIMEOUT: 300 on n1, 60 on n2");
        assertThat(d.warnings()).containsExactlyElementsOf(lines);
        assertThat(d.drift()).hasSize(1);
        // Their start is history all the same.
        assertThat(config("c1")).containsExactlyInAnyOrder("began: " + lines.get(0), "began: " + lines.get(1));
        assertThat(events("c1", FleetEvent.STATE)).extracting(FleetEvent::state).containsExactly(OK);
        // A heartbeat keeps the warnings (from the row).
        store.ingest(report("c1", "n1", 11, RUNNING), T0.plusSeconds(1));
        assertThat(store.cluster("c1", 0, T0.plusSeconds(1)).orElseThrow().warnings()).containsExactlyElementsOf(lines);
    }

    @Test
    void noSecretInTheStoreWhateverTheKeyIsCalled() throws Exception {
        Map<String, String> settings = new java.util.TreeMap<>();
        String[] keys = {"password", "DB_PASSWORD", "hulftark.fleet.passwd", "pwd", "client_secret", "Secret",
                "hulftark.agent.token", "ACCESS_TOKEN", "credentials", "aws.credential", "private_key", "PrivateKey",
                "api-key", "apikey", "X_API_KEY"};
        for (int i = 0; i < keys.length; i++) {
            settings.put(keys[i], "S3CRET-" + i);
        }
        settings.put("hulftark.fleet.url", "https://admin:S3CRET-url@fleet.example:8443/");
        settings.put("hulftark.mirror", "http://S3CRET-tokenuser@mirror.example/");
        settings.put("LKHULFT_TIMEOUT", "300");
        io.hulftark.wire.NodeFacts f = new io.hulftark.wire.NodeFacts("a".repeat(64), T0, "1.0.0", "Linux", "9",
                "17", "h", "linux", true, "9.8.1", List.of(new io.hulftark.wire.NodeFacts.ResourceFacts("HULFT",
                settings, List.of(fail("fleet", "cannot reach postgresql://fleet:S3CRET-detail@db/fleet")))), T0);
        store.ingest(withFacts(report("c1", "n1", 10, RUNNING), f), T0);
        Map<String, String> other = new java.util.TreeMap<>(settings);
        other.replaceAll((k, v) -> v.replace("S3CRET", "S3CRET-other"));
        store.ingest(withFacts(report("c1", "n2", 10, STOPPED), new io.hulftark.wire.NodeFacts("b".repeat(64), T0,
                "1.0.0", "Linux", "9", "17", "h2", "linux", true, "9.8.1",
                List.of(new io.hulftark.wire.NodeFacts.ResourceFacts("HULFT", other,
                        List.of(fail("fleet", "https://u:S3CRET-other@x/")))), T0)), T0);

        ClusterDetail d = store.cluster("c1", 10, T0).orElseThrow();
        assertThat(d.nodes().get(0).facts().resources().get(0).settings()).containsOnlyKeys("hulftark.fleet.url",
                "hulftark.mirror", "LKHULFT_TIMEOUT").containsEntry("hulftark.fleet.url", "(hidden)");
        assertThat(StoreRows.toJson(d)).doesNotContain("S3CRET");

        // Every column of every table of the store.
        int scanned = 0;
        try (java.sql.Connection c = dataSource().getConnection()) {
            List<String> tables = new ArrayList<>();
            try (java.sql.Statement s = c.createStatement();
                 java.sql.ResultSet rs = s.executeQuery("SELECT table_name FROM information_schema.tables "
                         + "WHERE table_schema = CURRENT_SCHEMA AND table_type IN ('BASE TABLE', 'TABLE')")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            assertThat(tables).extracting(t -> t.toLowerCase(java.util.Locale.ROOT))
                    .contains("fleet_node", "fleet_cluster", "fleet_event");
            for (String table : tables) {
                try (java.sql.Statement s = c.createStatement();
                     java.sql.ResultSet rs = s.executeQuery("SELECT * FROM \"" + table + "\"")) {
                    int columns = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        for (int i = 1; i <= columns; i++) {
                            String v = rs.getString(i);
                            assertThat(String.valueOf(v)).as("%s.%s", table, rs.getMetaData().getColumnName(i))
                                    .doesNotContain("S3CRET");
                            scanned += v != null && v.contains("LKHULFT_TIMEOUT") ? 1 : 0;
                        }
                    }
                }
            }
        }
        assertThat(scanned).as("the facts were scanned").isGreaterThanOrEqualTo(2);
    }
}
