package io.hulftark.fleet.notify;

import io.hulftark.fleet.state.ClusterState;
import io.hulftark.fleet.view.ClusterRow;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import static io.hulftark.fleet.state.ClusterState.DEGRADED;
import static io.hulftark.fleet.state.ClusterState.DOWN;
import static io.hulftark.fleet.state.ClusterState.OK;
import static io.hulftark.fleet.state.ClusterState.SPLIT;
import static org.assertj.core.api.Assertions.assertThat;

/** What one receiver is told of one change, as a table of named cases. */
class RulesTest {

    static final Instant T = Instant.parse("2026-12-06T20:00:00Z");
    static final Filter DOWN_SPLIT = new Filter(Set.of(DOWN, SPLIT), List.of("prod-*"), Map.of());

    static Change change(ClusterState from, ClusterState to) {
        return new Change(1, T, "prod-1", from, to, "why");
    }

    static Optional<Problem> open(ClusterState state, boolean told) {
        return Optional.of(new Problem("ops", "prod-1", state, T.minusSeconds(60), told, null));
    }

    /** name, change, open problem, quiet, expected message kind (null: none), expected told afterwards (null: no record). */
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("a new OK cluster is no news", change(null, OK), Optional.empty(), false, null, null),
                Arguments.of("OK to DOWN is a problem", change(OK, DOWN), Optional.empty(), false, "PROBLEM", true),
                Arguments.of("DOWN to SPLIT is a new problem", change(DOWN, SPLIT), open(DOWN, true), false, "PROBLEM", true),
                Arguments.of("DOWN to OK resolves what was told", change(DOWN, OK), open(DOWN, true), false, "RESOLVED", null),
                Arguments.of("to a state not wanted resolves too", change(DOWN, DEGRADED), open(DOWN, true), false,
                        "RESOLVED", null),
                Arguments.of("a state not wanted is never told", change(OK, DEGRADED), Optional.empty(), false, null, null),
                Arguments.of("acknowledged: nothing, kept untold", change(OK, DOWN), Optional.empty(), true, null, false),
                Arguments.of("acknowledged after it was told: still told", change(DOWN, SPLIT), open(DOWN, true), true,
                        null, true),
                Arguments.of("the end of an untold problem is no news", change(DOWN, OK), open(DOWN, false), false,
                        null, null),
                Arguments.of("in maintenance (quiet): nothing, the record kept", change(DOWN, SPLIT), open(DOWN, true),
                        true, null, true),
                Arguments.of("recovered while quiet: nothing", change(DOWN, OK), open(DOWN, true), true, null, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void oneChange(String name, Change change, Optional<Problem> open, boolean quiet, String kind, Boolean told) {
        Rules.Outcome o = Rules.onChange("ops", DOWN_SPLIT, Duration.ofHours(1), change, open, quiet, Map.of());
        assertThat(o.message().map(m -> m.kind().name()).orElse(null)).isEqualTo(kind);
        assertThat(o.problem().map(Problem::told).orElse(null)).isEqualTo(told);
    }

    @Test
    void anotherClusterIsNotTheReceiversAndALabelFilterNeedsTheLabel() {
        Change other = new Change(1, T, "test-1", OK, DOWN, "why");
        assertThat(Rules.onChange("ops", DOWN_SPLIT, Duration.ZERO, other, Optional.empty(), false, Map.of()).message())
                .isEmpty();
        Filter labelled = new Filter(Set.of(DOWN), List.of("*"), Map.of("site", "tokyo"));
        assertThat(labelled.covers("x", Map.of())).isFalse();
        assertThat(labelled.covers("x", Map.of("site", "tokyo", "tier", "1"))).isTrue();
        assertThat(labelled.covers("x", Map.of("site", "osaka"))).isFalse();
        assertThat(labelled.covers("x", Map.of("site", "osaka,tokyo"))).as("one node of the cluster is at tokyo").isTrue();
        assertThat(labelled.covers("x", Map.of("site", "tokyo-2"))).isFalse();
    }

    @Test
    void aClustersLabelsAreItsRows() {
        ClusterRow row = new ClusterRow("x", DOWN, T, "why", 1, false, false, List.of("a"), List.of(), T, null, null,
                false, false, null, Map.of("site", "tokyo"));
        assertThat(Rules.labels(row)).containsEntry("site", "tokyo");
    }

    @Test
    void globsAreLiteralButForStarAndQuestionMark() {
        assertThat(Filter.glob("prod-*").matcher("prod-7").matches()).isTrue();
        assertThat(Filter.glob("prod-?").matcher("prod-17").matches()).isFalse();
        assertThat(Filter.glob("a.b").matcher("axb").matches()).as("a dot is a dot").isFalse();
        assertThat(Filter.glob("(x+)+$[").matcher("(x+)+$[").matches()).isTrue();
    }

    /** A cluster a maintenance window covers: its real state, marked. */
    static ClusterRow inWindow(ClusterState state) {
        return new ClusterRow("prod-1", state, T, "still why", 1, false, false, List.of(), List.of(), T, null, null,
                false, true, T.plusSeconds(7200));
    }

    static ClusterRow row(ClusterState state, boolean acknowledged) {
        return new ClusterRow("prod-1", state, T, "still why", 1, false, acknowledged, List.of(), List.of(), T,
                acknowledged ? "alice" : null, null, false, false, null);
    }

    @Test
    void repeatsWhileTheProblemLastsUnlessQuiet() {
        Problem told = new Problem("ops", "prod-1", DOWN, T, true, T.plusSeconds(3600));
        Instant now = T.plusSeconds(3600);
        Rules.Outcome o = Rules.onRepeatDue(told, Optional.of(row(DOWN, false)), Duration.ofHours(1), now);
        assertThat(o.message()).get().satisfies(m -> {
            assertThat(m.kind()).isEqualTo(Message.Kind.REPEAT);
            assertThat(m.reason()).isEqualTo("still why");
        });
        assertThat(o.problem().orElseThrow().nextRepeatAt()).isEqualTo(now.plusSeconds(3600));

        Rules.Outcome acked = Rules.onRepeatDue(told, Optional.of(row(DOWN, true)), Duration.ofHours(1), now);
        assertThat(acked.message()).isEmpty();
        assertThat(acked.problem().orElseThrow().nextRepeatAt()).isEqualTo(now.plus(Rules.QUIET_RECHECK));

        Rules.Outcome maint = Rules.onRepeatDue(told, Optional.of(inWindow(DOWN)), Duration.ofHours(1), now);
        assertThat(maint.message()).isEmpty();

        Problem untold = new Problem("ops", "prod-1", DOWN, T, false, now);
        Rules.Outcome late = Rules.onRepeatDue(untold, Optional.of(row(DOWN, false)), Duration.ZERO, now);
        assertThat(late.message().orElseThrow().kind()).as("the acknowledgement ended: told now")
                .isEqualTo(Message.Kind.PROBLEM);
        assertThat(late.problem().orElseThrow().told()).isTrue();
        assertThat(late.problem().orElseThrow().nextRepeatAt()).as("repeat 0: told once").isNull();
    }

    static final Acked ALICE = new Acked("alice", "on it", T.plusSeconds(7200), false);

    static Change acked(ClusterState state) {
        return new Change(2, T, "prod-1", null, state, "on it", Change.Kind.ACKNOWLEDGED, ALICE);
    }

    static Change ackEnded(ClusterState state, String why) {
        return new Change(3, T, "prod-1", null, state, why, Change.Kind.ACK_ENDED,
                new Acked("alice", null, null, false));
    }

    static Optional<Problem> openAcked(ClusterState state, boolean told) {
        return Optional.of(new Problem("ops", "prod-1", state, T.minusSeconds(60), told, T, "alice"));
    }

    /** name, open problem, expected message kind (null: none), expected record's ackedBy ("-": no record). */
    static Stream<Arguments> acknowledgements() {
        return Stream.of(
                Arguments.of("acknowledged after it was told: told once", open(DOWN, true), "ACKNOWLEDGED", "alice"),
                Arguments.of("acknowledged, never told (began quiet): nothing", open(DOWN, false), null, "alice"),
                Arguments.of("acknowledged, not a problem of the receiver's: nothing", Optional.empty(), null, "-"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("acknowledgements")
    void anAcknowledgement(String name, Optional<Problem> open, String kind, String ackedBy) {
        Rules.Outcome o = Rules.onAcknowledged(acked(DOWN), open);
        assertThat(o.message().map(m -> m.kind().name()).orElse(null)).isEqualTo(kind);
        assertThat(o.problem().map(p -> String.valueOf(p.ackedBy())).orElse("-")).isEqualTo(ackedBy);
        o.problem().ifPresent(p -> {
            assertThat(p.told()).as("told stays as it was").isEqualTo(open.orElseThrow().told());
            assertThat(p.nextRepeatAt()).as("no repeat while acknowledged, only a recheck")
                    .isEqualTo(T.plus(Rules.QUIET_RECHECK));
        });
        o.message().ifPresent(m -> {
            assertThat(m.line()).isEqualTo("prod-1 DOWN acknowledged by alice until 2026-12-06 22:00 UTC: on it");
            assertThat(m.ack()).isEqualTo(ALICE);
        });
    }

    @Test
    void whileAcknowledgedTheRepeatIsOnlyARecheck() {
        Problem p = Rules.onAcknowledged(acked(DOWN), open(DOWN, true)).problem().orElseThrow();
        Rules.Outcome due = Rules.onRepeatDue(p, Optional.of(row(DOWN, true)), Duration.ofMinutes(1),
                p.nextRepeatAt());
        assertThat(due.message()).isEmpty();
        assertThat(due.problem().orElseThrow().ackedBy()).isEqualTo("alice");
    }

    /** name, open problem, the cluster now, expected message kind (null: none). */
    static Stream<Arguments> acknowledgementEnds() {
        return Stream.of(
                Arguments.of("expired while DOWN: told again at once", openAcked(DOWN, true), row(DOWN, false),
                        "REPEAT"),
                Arguments.of("removed while DOWN, never told: the problem is told now", openAcked(DOWN, false),
                        row(DOWN, false), "PROBLEM"),
                Arguments.of("ended by a change of state: that change tells it", openAcked(DOWN, true),
                        row(SPLIT, false), null),
                Arguments.of("ended inside a maintenance window: still nothing", openAcked(DOWN, true),
                        inWindow(DOWN), null),
                Arguments.of("ended and acknowledged again: nothing", openAcked(DOWN, true), row(DOWN, true), null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("acknowledgementEnds")
    void anAcknowledgementEnds(String name, Optional<Problem> open, ClusterRow now, String kind) {
        Instant at = T.plusSeconds(30);
        Rules.Outcome o = Rules.onAckEnded(ackEnded(DOWN, "expired"), open, Optional.of(now), Duration.ofHours(1), at);
        assertThat(o.message().map(m -> m.kind().name()).orElse(null)).isEqualTo(kind);
        Problem after = o.problem().orElseThrow();
        assertThat(after.ackedBy()).as("no longer acknowledged").isNull();
        o.message().ifPresent(m -> {
            assertThat(m.reason()).isEqualTo("still why (acknowledgement by alice ended: expired)");
            assertThat(after.told()).isTrue();
            assertThat(after.nextRepeatAt()).as("repeats again").isEqualTo(at.plusSeconds(3600));
        });
    }

    @Test
    void anAcknowledgementEndingOfNoProblemOfTheReceiversIsNothing() {
        Rules.Outcome o = Rules.onAckEnded(ackEnded(DOWN, "expired"), Optional.empty(), Optional.of(row(DOWN, false)),
                Duration.ZERO, T);
        assertThat(o.message()).isEmpty();
        assertThat(o.problem()).isEmpty();
    }

    @Test
    void theResolvedOfAnAcknowledgedProblemSaysSoAndAStickyOneIsKeptAcrossAChange() {
        Rules.Outcome resolved = Rules.onChange("ops", DOWN_SPLIT, Duration.ZERO, change(DOWN, OK),
                openAcked(DOWN, true), false, Map.of());
        assertThat(resolved.message().orElseThrow().line())
                .isEqualTo("prod-1 is OK again (was DOWN; acknowledged by alice): resolved");
        Rules.Outcome plain = Rules.onChange("ops", DOWN_SPLIT, Duration.ZERO, change(DOWN, OK), open(DOWN, true),
                false, Map.of());
        assertThat(plain.message().orElseThrow().line()).isEqualTo("prod-1 is OK again (was DOWN): resolved");

        Rules.Outcome sticky = Rules.onChange("ops", DOWN_SPLIT, Duration.ZERO, change(DOWN, SPLIT),
                openAcked(DOWN, true), true, Map.of());
        assertThat(sticky.problem().orElseThrow().ackedBy()).isEqualTo("alice");
        Rules.Outcome unacked = Rules.onChange("ops", DOWN_SPLIT, Duration.ZERO, change(DOWN, SPLIT),
                openAcked(DOWN, true), false, Map.of());
        assertThat(unacked.message().orElseThrow().kind()).isEqualTo(Message.Kind.PROBLEM);
        assertThat(unacked.problem().orElseThrow().ackedBy()).isNull();
    }
}
