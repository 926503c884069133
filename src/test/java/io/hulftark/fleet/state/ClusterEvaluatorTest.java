package io.hulftark.fleet.state;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.hulftark.wire.Status.FAILED;
import static io.hulftark.wire.Status.RUNNING;
import static io.hulftark.wire.Status.STOPPED;
import static io.hulftark.fleet.state.ClusterState.DEGRADED;
import static io.hulftark.fleet.state.ClusterState.DOWN;
import static io.hulftark.fleet.state.ClusterState.OK;
import static org.assertj.core.api.Assertions.assertThat;

/** What the store remembers between derivations, and when it must look again: fresh 30 s, flapping above 2 in 10 min. */
class ClusterEvaluatorTest {

    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    private static final Duration TICK = Duration.ofNanos(1_000);
    private static final ClusterEvaluator EVALUATOR =
            new ClusterEvaluator(Duration.ofSeconds(30), Duration.ofMinutes(10), 2);

    private static NodeReport node(String name, int secondsAgo, io.hulftark.wire.Status status) {
        return new NodeReport(name, NOW.minusSeconds(secondsAgo), List.of(new ResourceReport("HULFT", status,
                status == STOPPED ? "standby" : "active", null)));
    }

    private static ClusterEvaluator.Record record(ClusterState state, List<String> serving, Instant... changes) {
        return new ClusterEvaluator.Record(state, NOW.minusSeconds(3600), serving, List.of(changes));
    }

    @Test
    void aNewClusterGetsItsFirstStateWithoutCountingAServingChange() {
        var ev = EVALUATOR.evaluate("c", ClusterEvaluator.Record.NEW, List.of(node("n1", 0, RUNNING)), List.of(),
                List.of(), NOW);
        assertThat(ev.changed()).isTrue();
        assertThat(ev.record()).isEqualTo(new ClusterEvaluator.Record(OK, NOW, List.of("HULFT@n1"), List.of()));
        assertThat(ev.recheckAt()).isEqualTo(NOW.plusSeconds(30).plus(TICK));
    }

    @Test
    void theSameStateKeepsItsSince() {
        var ev = EVALUATOR.evaluate("c", record(OK, List.of("HULFT@n1")),
                List.of(node("n1", 5, RUNNING), node("n2", 2, STOPPED)), List.of(), List.of(), NOW);
        assertThat(ev.changed()).isFalse();
        assertThat(ev.record().since()).isEqualTo(NOW.minusSeconds(3600));
        assertThat(ev.record().servingChanges()).isEmpty();
        // The older fresh report goes stale first.
        assertThat(ev.recheckAt()).isEqualTo(NOW.plusSeconds(25).plus(TICK));
    }

    @Test
    void aChangedSignatureIsRecordedAndTheStateChangesSinceNow() {
        var ev = EVALUATOR.evaluate("c", record(OK, List.of("HULFT@n1")),
                List.of(node("n1", 1, FAILED), node("n2", 1, STOPPED)), List.of(), List.of(), NOW);
        assertThat(ev.derived().state()).isEqualTo(DOWN);
        assertThat(ev.changed()).isTrue();
        assertThat(ev.record()).isEqualTo(new ClusterEvaluator.Record(DOWN, NOW, List.of(), List.of(NOW)));
    }

    @Test
    void theSignatureIsSortedAndOnlyFromFreshReports() {
        List<NodeReport> reports = List.of(node("n2", 1, RUNNING), node("n1", 31, RUNNING),
                new NodeReport("n3", NOW, List.of(new ResourceReport("B", RUNNING, "active", null),
                        new ResourceReport("A", RUNNING, "active", null))));
        assertThat(EVALUATOR.serving(reports, NOW)).containsExactly("A@n3", "B@n3", "HULFT@n2");
    }

    @Test
    void changesOlderThanTheWindowAreDroppedAndFlappingIsCountedWithTheNewOne() {
        Instant old = NOW.minus(Duration.ofMinutes(11));
        Instant a = NOW.minus(Duration.ofMinutes(9));
        Instant b = NOW.minus(Duration.ofMinutes(5));
        var ev = EVALUATOR.evaluate("c", record(OK, List.of("HULFT@n1"), old, a, b),
                List.of(node("n1", 1, STOPPED), node("n2", 1, RUNNING)), List.of(), List.of(), NOW);
        assertThat(ev.record().servingChanges()).containsExactly(a, b, NOW);
        assertThat(ev.derived().flapping()).isTrue();
        assertThat(ev.derived().state()).isEqualTo(DEGRADED);
        // Flapping can end first when the oldest counted change leaves the window (before n1 and n2 go stale).
        var calm = EVALUATOR.evaluate("c", record(OK, List.of("HULFT@n2"), NOW.minus(Duration.ofSeconds(595))),
                List.of(node("n1", 1, STOPPED), node("n2", 1, RUNNING)), List.of(), List.of(), NOW);
        assertThat(calm.recheckAt()).isEqualTo(NOW.plusSeconds(5).plus(TICK));
    }

    @Test
    void windowEdgesAndAcknowledgementExpiriesAreRecheckInstants() {
        List<NodeReport> ok = List.of(node("n1", 0, RUNNING), node("n2", 0, STOPPED));
        var future = EVALUATOR.evaluate("c", record(OK, List.of("HULFT@n1")), ok,
                List.of(new Maintenance(NOW.plusSeconds(10), NOW.plusSeconds(60), "patch")), List.of(), NOW);
        assertThat(future.derived().state()).isEqualTo(OK);
        assertThat(future.recheckAt()).isEqualTo(NOW.plusSeconds(10));

        var inside = EVALUATOR.evaluate("c", record(OK, List.of("HULFT@n1")), ok,
                List.of(new Maintenance(NOW.minusSeconds(10), NOW.plusSeconds(20), "patch")), List.of(), NOW);
        assertThat(inside.derived().state()).isEqualTo(OK);
        assertThat(inside.derived().inMaintenance()).isTrue();
        assertThat(inside.changed()).isFalse();
        assertThat(inside.window()).isEqualTo(new Maintenance.Occurrence(NOW.minusSeconds(10), NOW.plusSeconds(20)));
        assertThat(inside.recheckAt()).isEqualTo(NOW.plusSeconds(20));
        assertThat(future.window()).isEqualTo(new Maintenance.Occurrence(NOW.plusSeconds(10), NOW.plusSeconds(60)));

        var acked = EVALUATOR.evaluate("c", record(OK, List.of("HULFT@n1")), ok, List.of(),
                List.of(NOW.plusSeconds(3), NOW.minusSeconds(3)), NOW);
        assertThat(acked.recheckAt()).isEqualTo(NOW.plusSeconds(3));
    }

    @Test
    void nothingCanChangeWithoutInputWhenAllIsStaleAndCalm() {
        var ev = EVALUATOR.evaluate("c", record(ClusterState.STALE, List.of()),
                List.of(node("n1", 100, RUNNING)), List.of(new Maintenance(NOW.minusSeconds(60), NOW, "over")),
                List.of(NOW), NOW);
        assertThat(ev.derived().state()).isEqualTo(ClusterState.STALE);
        assertThat(ev.changed()).isFalse();
        assertThat(ev.recheckAt()).isNull();
    }

    @Test
    void aRecheckAtTheFreshnessEdgeSeesTheNodeSilent() {
        // The instant recheckAt names must give a different answer than now: that is what makes it due.
        List<NodeReport> reports = List.of(node("n1", 0, RUNNING), node("n2", 0, STOPPED));
        var ev = EVALUATOR.evaluate("c", ClusterEvaluator.Record.NEW, reports, List.of(), List.of(), NOW);
        var later = EVALUATOR.evaluate("c", ev.record(), reports, List.of(), List.of(), ev.recheckAt());
        assertThat(later.derived().state()).isEqualTo(ClusterState.STALE);
        assertThat(later.changed()).isTrue();
    }

    @Test
    void driftAndReadinessReachTheStateAndWarnOnlyKeepsItOk() {
        List<NodeReport> reports = List.of(node("n1", 1, RUNNING), new NodeReport("n2", NOW.minusSeconds(1),
                node("n2", 1, STOPPED).resources(), List.of(new ReadinessFailure("HULFT", "startType", "Automatic"))));
        List<String> drift = List.of("LKHULFT_TIMEOUT: 300 on n1, 60 on n2");

        var degrades = EVALUATOR.evaluate("c", record(OK, List.of("HULFT@n1")), reports, List.of(), List.of(), drift,
                NOW);
        assertThat(degrades.derived().state()).isEqualTo(DEGRADED);
        assertThat(degrades.changed()).isTrue();
        assertThat(degrades.derived().problems()).containsExactly("failover to n2 would fail: startType: Automatic",
                "LKHULFT_TIMEOUT: 300 on n1, 60 on n2");

        var warns = new ClusterEvaluator(Duration.ofSeconds(30), Duration.ofMinutes(10), 2, false)
                .evaluate("c", record(OK, List.of("HULFT@n1")), reports, List.of(), List.of(), drift, NOW);
        assertThat(warns.derived().state()).isEqualTo(OK);
        assertThat(warns.changed()).isFalse();
        assertThat(warns.derived().warnings()).hasSize(2);
    }
}
