package io.hulftark.fleet.state;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;

import static io.hulftark.fleet.state.ClusterState.DEGRADED;
import static io.hulftark.fleet.state.ClusterState.DOWN;
import static io.hulftark.fleet.state.ClusterState.OK;
import static io.hulftark.fleet.state.ClusterState.SPLIT;
import static io.hulftark.fleet.state.ClusterState.STALE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The acknowledgement rules (Icinga's and Nagios's) as a table of named cases: what ends an acknowledgement and
 * why. FleetStoreContract runs the same rules through both stores.
 */
class AcknowledgementTest {

    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

    record Case(String name, ClusterState acked, boolean sticky, Instant until, ClusterState before,
                ClusterState after, Instant at, String ends) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        Instant inAnHour = NOW.plus(Duration.ofHours(1));
        return Stream.of(
                new Case("cleared on recovery", DOWN, false, null, DOWN, OK, NOW, "cluster recovered"),
                new Case("sticky is still cleared on recovery", DOWN, true, null, DOWN, OK, NOW, "cluster recovered"),
                new Case("not sticky: DOWN → SPLIT is another problem", DOWN, false, null, DOWN, SPLIT, NOW,
                        "state changed DOWN → SPLIT"),
                new Case("sticky: DOWN → SPLIT keeps it", DOWN, true, null, DOWN, SPLIT, NOW, null),
                new Case("sticky: DOWN → SPLIT → DEGRADED keeps it", DOWN, true, null, SPLIT, DEGRADED, NOW, null),
                new Case("same state (another reason, a heartbeat) keeps it", DOWN, false, null, DOWN, DOWN, NOW, null),
                new Case("before its until it holds", DOWN, false, inAnHour, DOWN, DOWN, inAnHour.minusNanos(1000), null),
                new Case("expired at its until", DOWN, false, inAnHour, DOWN, DOWN, inAnHour, "expired"),
                new Case("sticky expires too", DOWN, true, inAnHour, DOWN, SPLIT, inAnHour.plusSeconds(1), "expired"),
                new Case("no until: lasts as long as its problem", DOWN, false, null, DOWN, DOWN,
                        NOW.plus(Duration.ofDays(400)), null),
                new Case("on STALE: the first report that shows DOWN ends it", STALE, false, null, STALE, DOWN, NOW,
                        "state changed STALE → DOWN"),
                new Case("on STALE: back to OK ends it", STALE, false, inAnHour, STALE, OK, NOW, "cluster recovered"),
                new Case("recovery is the news even after expiry", DOWN, false, NOW, DOWN, OK, NOW,
                        "cluster recovered"),
                new Case("a cluster never derived before (no state) keeps it", DOWN, false, null, null, DOWN, NOW, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void endsWhy(Case c) {
        Acknowledgement ack = new Acknowledgement("alice", "replacing the disk on n2", c.acked(), "no node serves HULFT",
                c.sticky(), c.until());
        assertThat(ack.endsWhy(c.before(), c.after(), c.at())).isEqualTo(Optional.ofNullable(c.ends()));
    }

    @Test
    void refusedOnOk() {
        assertThat(Acknowledgement.refusal("c1", OK))
                .contains("cluster 'c1' is OK: there is no problem to acknowledge");
    }

    @ParameterizedTest(name = "taken on {0}")
    @EnumSource(value = ClusterState.class, names = {"DEGRADED", "DOWN", "SPLIT", "STALE"})
    void takenOnEveryProblem(ClusterState state) {
        assertThat(Acknowledgement.refusal("c1", state)).isEmpty();
    }

    @Test
    void activeUntilItsUntilOrForEverWithoutOne() {
        assertThat(new Acknowledgement("a", "c", DOWN, "p", false, NOW).activeAt(NOW)).isFalse();
        assertThat(new Acknowledgement("a", "c", DOWN, "p", false, NOW).activeAt(NOW.minusNanos(1000))).isTrue();
        assertThat(new Acknowledgement("a", "c", DOWN, "p", false, null).activeAt(Instant.MAX)).isTrue();
    }
}
