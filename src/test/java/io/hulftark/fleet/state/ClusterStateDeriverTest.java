package io.hulftark.fleet.state;

import io.hulftark.wire.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static io.hulftark.wire.Status.FAILED;
import static io.hulftark.wire.Status.RUNNING;
import static io.hulftark.wire.Status.STOPPED;
import static io.hulftark.wire.Status.UNKNOWN;
import static io.hulftark.fleet.state.ClusterState.DEGRADED;
import static io.hulftark.fleet.state.ClusterState.DOWN;
import static io.hulftark.fleet.state.ClusterState.OK;
import static io.hulftark.fleet.state.ClusterState.SPLIT;
import static io.hulftark.fleet.state.ClusterState.STALE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The cluster-state rules as a table of named cases: fresh for 30 s, flapping above 3 changes in 10 min. */
class ClusterStateDeriverTest {

    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    private static final ClusterStateDeriver DERIVER =
            new ClusterStateDeriver(Duration.ofSeconds(30), Duration.ofMinutes(10), 3);
    private static final List<String> N1_N2 = List.of("n1", "n2");

    // What the agent says, word for word, so that the expected texts below read like the dashboard.
    private static final String RUNS = "running; every port answers";
    private static final String STANDS_BY = "the service is not running (standby)";
    private static final String REFUSED = "port 30000 (rcvport) does not answer: REFUSED";
    private static final String CANNOT_TELL = "cannot tell the service's state: timed out";

    record Case(String name, List<String> expected, List<NodeReport> reports, List<Maintenance> windows,
                List<Instant> changes, ClusterState state, List<String> reasonHas, List<String> problems,
                boolean flapping) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                // --- the cases
                new Case("one active + one standby → OK", N1_N2,
                        List.of(node("n1", 5, active(RUNNING)), node("n2", 5, standby(STOPPED))), List.of(), List.of(),
                        OK, List.of("n1 serves HULFT", "every other node stands by"), List.of(), false),
                new Case("two active → SPLIT", N1_N2,
                        List.of(node("n1", 5, active(RUNNING)), node("n2", 5, active(RUNNING))), List.of(), List.of(),
                        SPLIT, List.of("HULFT runs on n1 and n2"), List.of("HULFT runs on n1 and n2"), false),
                new Case("none active (both STOPPED) → DOWN listing each node", N1_N2,
                        List.of(node("n1", 5, standby(STOPPED)), node("n2", 5, standby(STOPPED))), List.of(), List.of(),
                        DOWN, List.of("no node serves HULFT: n1 STOPPED (standby: " + STANDS_BY + "), n2 STOPPED"),
                        List.of("no node serves HULFT: n1 STOPPED (standby: " + STANDS_BY + "), n2 STOPPED (standby: "
                                + STANDS_BY + ")"), false),
                new Case("active FAILED + standby STOPPED → DOWN: FAILED does not serve", N1_N2,
                        List.of(node("n1", 5, active(FAILED)), node("n2", 5, standby(STOPPED))), List.of(), List.of(),
                        DOWN, List.of("n1 FAILED (active: " + REFUSED + ")"),
                        List.of("no node serves HULFT: n1 FAILED (active: " + REFUSED + "), n2 STOPPED (standby: "
                                + STANDS_BY + ")"), false),
                new Case("standby silent (31 s) → DEGRADED naming the node", N1_N2,
                        List.of(node("n1", 5, active(RUNNING)), node("n2", 31, standby(STOPPED))), List.of(), List.of(),
                        DEGRADED, List.of("n2 silent"),
                        List.of("n2 silent since 2025-06-01T11:59:29Z (last report: HULFT STOPPED)"), false),
                new Case("expected node never reported → DEGRADED", N1_N2,
                        List.of(node("n1", 5, active(RUNNING))), List.of(), List.of(),
                        DEGRADED, List.of("n2 never reported"), List.of("n2 never reported"), false),
                new Case("all silent → STALE", N1_N2,
                        List.of(node("n1", 60, active(RUNNING)), node("n2", 60, standby(STOPPED))), List.of(), List.of(),
                        STALE, List.of("no node has reported in the last 30s"),
                        List.of("n1 silent since 2025-06-01T11:59:00Z (last report: HULFT RUNNING)",
                                "n2 silent since 2025-06-01T11:59:00Z (last report: HULFT STOPPED)"), false),
                new Case("nothing ever reported → STALE", N1_N2, List.of(), List.of(), List.of(),
                        STALE, List.of("no node has reported"), List.of("n1 never reported", "n2 never reported"), false),
                new Case("flapping: 4 changes in 10 min → DEGRADED, flapping", N1_N2, healthy(), List.of(),
                        List.of(NOW.minusSeconds(900), NOW.minusSeconds(500), NOW.minusSeconds(300),
                                NOW.minusSeconds(120), NOW.minusSeconds(10)),
                        DEGRADED, List.of("flapping"),
                        List.of("flapping: 4 serving changes in the last 10m (more than 3)"), true),
                new Case("3 changes in 10 min is not flapping → OK", N1_N2, healthy(), List.of(),
                        List.of(NOW.minusSeconds(900), NOW.minusSeconds(300), NOW.minusSeconds(120),
                                NOW.minusSeconds(10)),
                        OK, List.of("n1 serves HULFT"), List.of(), false),
                new Case("flapping is reported even when the state is SPLIT", N1_N2,
                        List.of(node("n1", 5, active(RUNNING)), node("n2", 5, active(RUNNING))), List.of(),
                        List.of(NOW.minusSeconds(40), NOW.minusSeconds(30), NOW.minusSeconds(20), NOW.minusSeconds(10)),
                        SPLIT, List.of("HULFT runs on n1 and n2"),
                        List.of("HULFT runs on n1 and n2", "flapping: 4 serving changes in the last 10m (more than 3)"),
                        true),
                new Case("maintenance window → the real SPLIT still shows, problems listed", N1_N2,
                        List.of(node("n1", 5, active(RUNNING)), node("n2", 5, active(RUNNING))),
                        List.of(new Maintenance(NOW.minusSeconds(600), NOW.plusSeconds(600), "patching n2")), List.of(),
                        SPLIT, List.of("HULFT runs on n1 and n2"), List.of("HULFT runs on n1 and n2"), false),
                new Case("maintenance window → the real STALE still shows", N1_N2, List.of(),
                        List.of(new Maintenance(NOW.minusSeconds(600), NOW.plusSeconds(600), "rebuild")), List.of(),
                        STALE, List.of("no node has reported"), List.of("n1 never reported", "n2 never reported"), false),
                new Case("window ended (at its until) → back to the derived state", N1_N2,
                        List.of(node("n1", 5, active(RUNNING)), node("n2", 5, active(RUNNING))),
                        List.of(new Maintenance(NOW.minusSeconds(600), NOW, "patching n2")), List.of(),
                        SPLIT, List.of("HULFT runs on n1 and n2"), List.of("HULFT runs on n1 and n2"), false),
                new Case("window not begun yet → derived state", N1_N2, healthy(),
                        List.of(new Maintenance(NOW.plusSeconds(1), NOW.plusSeconds(600), "later")), List.of(),
                        OK, List.of("n1 serves HULFT"), List.of(), false),
                new Case("UNKNOWN standby → DEGRADED", N1_N2,
                        List.of(node("n1", 5, active(RUNNING)), node("n2", 5, standby(UNKNOWN))), List.of(), List.of(),
                        DEGRADED, List.of("n2 HULFT UNKNOWN"),
                        List.of("n2 HULFT UNKNOWN (standby: " + CANNOT_TELL + ")"), false),
                new Case("FAILED standby → DEGRADED", N1_N2,
                        List.of(node("n1", 5, active(RUNNING)), node("n2", 5, standby(FAILED))), List.of(), List.of(),
                        DEGRADED, List.of("n2 HULFT FAILED"), List.of("n2 HULFT FAILED (standby: " + REFUSED + ")"),
                        false),
                new Case("report 2 s in the future (clock skew) counts as fresh → OK", N1_N2,
                        List.of(node("n1", 5, active(RUNNING)), node("n2", -2, standby(STOPPED))), List.of(), List.of(),
                        OK, List.of("n1 serves HULFT"), List.of(), false),
                new Case("report exactly 30 s old is still fresh → OK", N1_N2,
                        List.of(node("n1", 30, active(RUNNING)), node("n2", 30, standby(STOPPED))), List.of(),
                        List.of(), OK, List.of("n1 serves HULFT"), List.of(), false),
                new Case("unexpected extra node RUNNING alongside the active → SPLIT", N1_N2,
                        List.of(node("n1", 5, active(RUNNING)), node("n2", 5, standby(STOPPED)),
                                node("n3", 5, active(RUNNING))), List.of(), List.of(),
                        SPLIT, List.of("HULFT runs on n1 and n3"),
                        List.of("HULFT runs on n1 and n3", "n3 reports but is not an expected node of the cluster"),
                        false),
                // --- decisions beyond the issue
                new Case("unexpected extra node standing by → DEGRADED", N1_N2,
                        List.of(node("n1", 5, active(RUNNING)), node("n2", 5, standby(STOPPED)),
                                node("n3", 5, standby(STOPPED))), List.of(), List.of(),
                        DEGRADED, List.of("n3 reports but is not an expected node"),
                        List.of("n3 reports but is not an expected node of the cluster"), false),
                new Case("silent unexpected node (decommissioned) is ignored → OK", N1_N2,
                        List.of(node("n1", 5, active(RUNNING)), node("n2", 5, standby(STOPPED)),
                                node("n3", 3600, active(RUNNING))), List.of(), List.of(),
                        OK, List.of("n1 serves HULFT"), List.of(), false),
                new Case("failover: old active silent saying RUNNING, new active RUNNING → DEGRADED, not SPLIT",
                        N1_N2, List.of(node("n1", 60, active(RUNNING)), node("n2", 5, active(RUNNING))), List.of(),
                        List.of(), DEGRADED, List.of("n1 silent"),
                        List.of("n1 silent since 2025-06-01T11:59:00Z (last report: HULFT RUNNING)"), false),
                new Case("active silent, standby STOPPED → DOWN naming the silent node", N1_N2,
                        List.of(node("n1", 60, active(RUNNING)), node("n2", 5, standby(STOPPED))), List.of(), List.of(),
                        DOWN, List.of("no node serves HULFT: n1 silent since 2025-06-01T11:59:00Z (last report: HULFT "
                                + "RUNNING), n2 STOPPED (standby: " + STANDS_BY + ")"),
                        List.of("no node serves HULFT: n1 silent since 2025-06-01T11:59:00Z (last report: HULFT "
                                        + "RUNNING), n2 STOPPED (standby: " + STANDS_BY + ")",
                                "n1 silent since 2025-06-01T11:59:00Z (last report: HULFT RUNNING)"), false),
                new Case("two tags active on different nodes (active/active) → OK", N1_N2,
                        List.of(node("n1", 5, res("A", RUNNING, "active"), res("B", STOPPED, "standby")),
                                node("n2", 5, res("A", STOPPED, "standby"), res("B", RUNNING, "active"))),
                        List.of(), List.of(), OK, List.of("n1 serves A; n2 serves B"), List.of(), false),
                new Case("one tag on two nodes → SPLIT naming that tag", N1_N2,
                        List.of(node("n1", 5, res("A", RUNNING, "active"), res("B", RUNNING, "active")),
                                node("n2", 5, res("A", STOPPED, "standby"), res("B", RUNNING, "active"))),
                        List.of(), List.of(), SPLIT, List.of("B runs on n1 and n2"), List.of("B runs on n1 and n2"),
                        false),
                new Case("one tag served, another served nowhere → DOWN naming that tag", N1_N2,
                        List.of(node("n1", 5, res("A", RUNNING, "active"), res("B", FAILED, "active")),
                                node("n2", 5, res("A", STOPPED, "standby"), res("B", STOPPED, "standby"))),
                        List.of(), List.of(), DOWN, List.of("no node serves B: n1 FAILED (active)"),
                        List.of("no node serves B: n1 FAILED (active), n2 STOPPED (standby)"), false),
                new Case("standby does not report the tag → DEGRADED", N1_N2,
                        List.of(node("n1", 5, active(RUNNING)), node("n2", 5)), List.of(), List.of(),
                        DEGRADED, List.of("n2 does not report HULFT"), List.of("n2 does not report HULFT"), false),
                new Case("fresh nodes but no resource anywhere → DOWN", N1_N2,
                        List.of(node("n1", 5), node("n2", 5)), List.of(), List.of(),
                        DOWN, List.of("no node reports a resource: n1, n2"),
                        List.of("no node reports a resource: n1, n2"), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void derives(Case c) {
        ClusterStateDeriver.Derived d = DERIVER.derive("c1", c.expected(), c.reports(), c.windows(), c.changes(), NOW);

        assertThat(d.state()).as("state").isEqualTo(c.state());
        assertThat(d.reason()).as("reason").contains(c.reasonHas());
        assertThat(d.problems()).as("problems").containsExactlyElementsOf(c.problems());
        assertThat(d.flapping()).as("flapping").isEqualTo(c.flapping());
    }

    @Test
    void twoLatestReportsForOneNodeAreACallerBug() {
        assertThatThrownBy(() -> DERIVER.derive("c1", N1_N2,
                List.of(node("n1", 5, active(RUNNING)), node("n1", 1, active(RUNNING))), List.of(), List.of(), NOW))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cluster c1: two latest reports for node n1");
    }

    @Test
    void aWindowIsAMarkerBesideTheRealStateNeverAState() {
        Maintenance now = new Maintenance(NOW.minusSeconds(600), NOW.plusSeconds(600), "patching n2");
        Maintenance later = new Maintenance(NOW.plusSeconds(1), NOW.plusSeconds(900), "later");
        Maintenance longer = new Maintenance(NOW.minusSeconds(60), NOW.plusSeconds(1200), "longer");
        List<NodeReport> down = List.of(node("n1", 5, standby(STOPPED)), node("n2", 5, standby(STOPPED)));

        ClusterStateDeriver.Derived d = DERIVER.derive("c1", N1_N2, down, List.of(now, later), List.of(), NOW);
        assertThat(d.state()).isEqualTo(DOWN);
        assertThat(d.inMaintenance()).isTrue();
        assertThat(d.maintenance()).isEqualTo(new Maintenance.Occurrence(NOW.minusSeconds(600), NOW.plusSeconds(600)));
        // Of two that cover now, the one ending last says until when.
        assertThat(DERIVER.derive("c1", N1_N2, down, List.of(now, longer), List.of(), NOW).maintenance().until())
                .isEqualTo(NOW.plusSeconds(1200));
        // Not begun, or over at its until: no marker.
        assertThat(DERIVER.derive("c1", N1_N2, down, List.of(later), List.of(), NOW).inMaintenance()).isFalse();
        assertThat(DERIVER.derive("c1", N1_N2, down, List.of(now), List.of(), NOW.plusSeconds(600)).inMaintenance())
                .isFalse();
        assertThatThrownBy(() -> new ClusterStateDeriver.Derived(ClusterState.MAINTENANCE, "r", List.of(), false))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aMaintenanceWindowMustEndAfterItStarts() {
        assertThatThrownBy(() -> new Maintenance(NOW, NOW, "nothing"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must end after it starts");
    }

    // --- configuration findings (issue 13): readiness of fresh nodes, drift lines as given

    private static final ClusterStateDeriver WARN_ONLY =
            new ClusterStateDeriver(Duration.ofSeconds(30), Duration.ofMinutes(10), 3, false);
    private static final ReadinessFailure CONF_UNREADABLE = new ReadinessFailure("HULFT", "conf_file",
            "E:\\HULFT\\etc\\hulenv.cnf is not readable");
    private static final String DRIFT = "LKHULFT_TIMEOUT: 300 on n1, 60 on n2";

    @Test
    void aStandbyThatCouldNotTakeOverTurnsOkDegraded() {
        ClusterStateDeriver.Derived d = DERIVER.derive("c1", N1_N2, List.of(node("n1", 5, active(RUNNING)),
                ready("n2", 5, List.of(CONF_UNREADABLE), standby(STOPPED))), List.of(), List.of(), List.of(), NOW);

        String line = "failover to n2 would fail: conf_file: E:\\HULFT\\etc\\hulenv.cnf is not readable";
        assertThat(d.state()).isEqualTo(DEGRADED);
        assertThat(d.reason()).isEqualTo(line);
        assertThat(d.problems()).containsExactly(line);
        assertThat(d.warnings()).isEmpty();
    }

    @Test
    void aServingNodesFailingRowIsItsOwnPreflightProblem() {
        ClusterStateDeriver.Derived d = DERIVER.derive("c1", N1_N2, List.of(
                ready("n1", 5, List.of(new ReadinessFailure("HULFT", "exe_path", "")), active(RUNNING)),
                node("n2", 5, standby(STOPPED))), List.of(), List.of(), List.of(), NOW);

        assertThat(d.state()).isEqualTo(DEGRADED);
        assertThat(d.problems()).containsExactly("n1: preflight exe_path failed");
    }

    @Test
    void aSilentNodesPreflightIsNotJudgedItsSilenceIsTheProblem() {
        ClusterStateDeriver.Derived d = DERIVER.derive("c1", N1_N2, List.of(node("n1", 5, active(RUNNING)),
                ready("n2", 31, List.of(CONF_UNREADABLE), standby(STOPPED))), List.of(), List.of(), List.of(), NOW);

        assertThat(d.problems()).containsExactly("n2 silent since 2025-06-01T11:59:29Z (last report: HULFT STOPPED)");
    }

    @Test
    void driftLinesAreProblemsAsGiven() {
        ClusterStateDeriver.Derived d = DERIVER.derive("c1", N1_N2, healthy(), List.of(), List.of(), List.of(DRIFT),
                NOW);

        assertThat(d.state()).isEqualTo(DEGRADED);
        assertThat(d.reason()).isEqualTo(DRIFT);
        assertThat(d.problems()).containsExactly(DRIFT);
    }

    @Test
    void inOtherStatesFindingsJoinTheProblemsReadinessFirst() {
        ClusterStateDeriver.Derived d = DERIVER.derive("c1", N1_N2, List.of(node("n1", 5, standby(STOPPED)),
                        ready("n2", 5, List.of(CONF_UNREADABLE), standby(STOPPED))), List.of(), List.of(),
                List.of(DRIFT), NOW);

        assertThat(d.state()).isEqualTo(DOWN);
        assertThat(d.reason()).doesNotContain("failover", DRIFT);
        assertThat(d.problems()).hasSize(3).endsWith(
                "failover to n2 would fail: conf_file: E:\\HULFT\\etc\\hulenv.cnf is not readable", DRIFT);
    }

    @Test
    void withSeveralTagsAReadinessLineNamesTheTag() {
        ClusterStateDeriver.Derived d = DERIVER.derive("c1", N1_N2, List.of(
                ready("n1", 5, List.of(new ReadinessFailure("B", "port", "30001 is held by pid 42")),
                        res("A", RUNNING, "active"), res("B", STOPPED, "standby")),
                ready("n2", 5, List.of(new ReadinessFailure("A", "service", "not installed")),
                        res("A", STOPPED, "standby"), res("B", RUNNING, "active"))),
                List.of(), List.of(), List.of(), NOW);

        assertThat(d.problems()).containsExactly("failover of B to n1 would fail: port: 30001 is held by pid 42",
                "failover of A to n2 would fail: service: not installed");
    }

    @Test
    void warnOnlyFindingsAreWarningsAndNeverChangeTheStateOrProblems() {
        List<NodeReport> reports = List.of(node("n1", 5, active(RUNNING)),
                ready("n2", 5, List.of(CONF_UNREADABLE), standby(STOPPED)));
        ClusterStateDeriver.Derived ok = WARN_ONLY.derive("c1", N1_N2, reports, List.of(), List.of(),
                List.of(DRIFT), NOW);

        assertThat(ok.state()).isEqualTo(OK);
        assertThat(ok.problems()).isEmpty();
        assertThat(ok.warnings()).containsExactly(
                "failover to n2 would fail: conf_file: E:\\HULFT\\etc\\hulenv.cnf is not readable", DRIFT);

        ClusterStateDeriver.Derived degraded = WARN_ONLY.derive("c1", List.of("n1", "n2", "n3"), reports, List.of(),
                List.of(), List.of(DRIFT), NOW);
        assertThat(degraded.state()).isEqualTo(DEGRADED);
        assertThat(degraded.problems()).containsExactly("n3 never reported");
        assertThat(degraded.warnings()).hasSize(2);
    }

    @Test
    void noFindingsNoWarningsAndTheOldOverloadDerivesNone() {
        assertThat(WARN_ONLY.derive("c1", N1_N2, healthy(), List.of(), List.of(), NOW).warnings()).isEmpty();
        assertThat(DERIVER.derive("c1", N1_N2, healthy(), List.of(), List.of(), NOW).state()).isEqualTo(OK);
    }

    private static NodeReport ready(String name, int secondsAgo, List<ReadinessFailure> failures,
                                    ResourceReport... resources) {
        return new NodeReport(name, NOW.minusSeconds(secondsAgo), List.of(resources), failures);
    }

    private static List<NodeReport> healthy() {
        return List.of(node("n1", 5, active(RUNNING)), node("n2", 5, standby(STOPPED)));
    }

    /** A report received {@code secondsAgo} before NOW; negative is in the future. */
    private static NodeReport node(String name, int secondsAgo, ResourceReport... resources) {
        return new NodeReport(name, NOW.minusSeconds(secondsAgo), List.of(resources));
    }

    private static ResourceReport active(Status status) {
        return res("HULFT", status, "active");
    }

    private static ResourceReport standby(Status status) {
        return res("HULFT", status, "standby");
    }

    private static ResourceReport res(String tag, Status status, String role) {
        String reason = switch (status) {
            case RUNNING -> RUNS;
            case STOPPED -> STANDS_BY;
            case FAILED -> REFUSED;
            case UNKNOWN -> CANNOT_TELL;
        };
        // Tags other than HULFT carry no reason, to show that a missing reason reads cleanly.
        return new ResourceReport(tag, status, role, tag.equals("HULFT") ? reason : null);
    }
}
