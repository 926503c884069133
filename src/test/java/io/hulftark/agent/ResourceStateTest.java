package io.hulftark.agent;

import io.hulftark.wire.Status;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static io.hulftark.wire.Status.FAILED;
import static io.hulftark.wire.Status.RUNNING;
import static io.hulftark.wire.Status.STOPPED;
import static io.hulftark.wire.Status.UNKNOWN;
import static org.assertj.core.api.Assertions.assertThat;

class ResourceStateTest {

    private static final Instant CREATED = Instant.parse("2025-01-01T00:00:00Z");

    /** Check number i (from 1) happens at CREATED + i minutes. */
    private static Instant at(int check) {
        return CREATED.plusSeconds(60L * check);
    }

    private static CheckResult check(Status observed, int n) {
        return new CheckResult("T", "svc", at(n), 10, observed, "seen " + observed + " #" + n, null, "unknown",
                List.of());
    }

    /**
     * @param since the number of the check that started the final status, 0 for "created"
     */
    record Case(String name, int failuresBeforeFailed, List<Status> observed, Status expected, int since,
                List<String> transitions) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                new Case("first RUNNING check enters RUNNING at once", 2, List.of(RUNNING), RUNNING, 1,
                        List.of("UNKNOWN->RUNNING@1")),
                new Case("first STOPPED check enters STOPPED at once", 2, List.of(STOPPED), STOPPED, 1,
                        List.of("UNKNOWN->STOPPED@1")),
                new Case("one FAILED with threshold 2 changes nothing", 2, List.of(RUNNING, FAILED), RUNNING, 1,
                        List.of("UNKNOWN->RUNNING@1")),
                new Case("two FAILED in a row: FAILED since the second", 2, List.of(RUNNING, FAILED, FAILED), FAILED,
                        3, List.of("UNKNOWN->RUNNING@1", "RUNNING->FAILED@3")),
                new Case("a healthy check in between resets the count", 2,
                        List.of(RUNNING, FAILED, RUNNING, FAILED), RUNNING, 1, List.of("UNKNOWN->RUNNING@1")),
                new Case("reset count then two in a row fails", 2,
                        List.of(RUNNING, FAILED, RUNNING, FAILED, FAILED), FAILED, 5,
                        List.of("UNKNOWN->RUNNING@1", "RUNNING->FAILED@5")),
                new Case("FAILED to RUNNING on one success", 2, List.of(RUNNING, FAILED, FAILED, RUNNING), RUNNING, 4,
                        List.of("UNKNOWN->RUNNING@1", "RUNNING->FAILED@3", "FAILED->RUNNING@4")),
                new Case("FAILED to STOPPED on one stopped check", 2, List.of(FAILED, FAILED, STOPPED), STOPPED, 3,
                        List.of("UNKNOWN->FAILED@2", "FAILED->STOPPED@3")),
                new Case("one UNKNOWN with threshold 2 changes nothing", 2, List.of(RUNNING, UNKNOWN), RUNNING, 1,
                        List.of("UNKNOWN->RUNNING@1")),
                new Case("two UNKNOWN in a row: UNKNOWN", 2, List.of(RUNNING, UNKNOWN, UNKNOWN), UNKNOWN, 3,
                        List.of("UNKNOWN->RUNNING@1", "RUNNING->UNKNOWN@3")),
                new Case("UNKNOWN counts like FAILED: FAILED then UNKNOWN is two in a row", 2,
                        List.of(RUNNING, FAILED, UNKNOWN), UNKNOWN, 3,
                        List.of("UNKNOWN->RUNNING@1", "RUNNING->UNKNOWN@3")),
                new Case("same status again keeps since", 2, List.of(RUNNING, RUNNING, RUNNING), RUNNING, 1,
                        List.of("UNKNOWN->RUNNING@1")),
                new Case("FAILED again keeps since", 2, List.of(FAILED, FAILED, FAILED, FAILED), FAILED, 2,
                        List.of("UNKNOWN->FAILED@2")),
                new Case("threshold 1: one FAILED is enough", 1, List.of(RUNNING, FAILED), FAILED, 2,
                        List.of("UNKNOWN->RUNNING@1", "RUNNING->FAILED@2")),
                new Case("threshold 3: two FAILED are not enough", 3, List.of(RUNNING, FAILED, FAILED), RUNNING, 1,
                        List.of("UNKNOWN->RUNNING@1")),
                new Case("threshold 3: three FAILED are", 3, List.of(RUNNING, FAILED, FAILED, FAILED), FAILED, 4,
                        List.of("UNKNOWN->RUNNING@1", "RUNNING->FAILED@4")),
                new Case("first check FAILED stays UNKNOWN (not checked yet) until the threshold", 2,
                        List.of(FAILED), UNKNOWN, 0, List.of()),
                new Case("unhealthy observation of the current status resets the count", 2,
                        List.of(FAILED, FAILED, UNKNOWN, FAILED, UNKNOWN), FAILED, 2, List.of("UNKNOWN->FAILED@2"))
        ).map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void threshold(Case c) {
        ResourceState s = new ResourceState("T", c.failuresBeforeFailed(), CREATED);
        List<String> transitions = new ArrayList<>();
        int n = 0;
        for (Status o : c.observed()) {
            n++;
            int number = n;
            s.record(check(o, n)).ifPresent(t -> {
                assertThat(t.tag()).isEqualTo("T");
                transitions.add(t.from() + "->" + t.to() + "@" + (t.at().equals(at(number)) ? number : -1));
            });
        }
        assertThat(s.status()).isEqualTo(c.expected());
        assertThat(s.since()).isEqualTo(c.since() == 0 ? CREATED : at(c.since()));
        assertThat(transitions).containsExactlyElementsOf(c.transitions());
        assertThat(s.last()).map(CheckResult::at).contains(at(c.observed().size()));
    }

    @Test
    void not_checked_yet() {
        ResourceState s = new ResourceState("T", 2, CREATED);
        assertThat(s.status()).isEqualTo(UNKNOWN);
        assertThat(s.since()).isEqualTo(CREATED);
        assertThat(s.reason()).isEqualTo("not checked yet");
        assertThat(s.last()).isEmpty();
    }

    @Test
    void transition_carries_the_check_reason_and_the_state_keeps_the_status_reason() {
        ResourceState s = new ResourceState("T", 2, CREATED);
        s.record(check(RUNNING, 1));
        Optional<ResourceState.Transition> none = s.record(check(FAILED, 2));
        assertThat(none).isEmpty();
        // the status is still RUNNING, so its reason is still the running one
        assertThat(s.reason()).isEqualTo("seen RUNNING #1");
        ResourceState.Transition t = s.record(check(FAILED, 3)).orElseThrow();
        assertThat(t.reason()).isEqualTo("seen FAILED #3");
        assertThat(s.reason()).isEqualTo("seen FAILED #3");
        s.record(check(FAILED, 4));
        assertThat(s.reason()).as("same status again: the newest reason").isEqualTo("seen FAILED #4");
    }

    @Test
    void restore_keeps_since_from_the_journal() {
        ResourceState s = new ResourceState("T", 2, CREATED.plusSeconds(86_400));
        Instant journalled = CREATED.plusSeconds(5);
        s.restore(RUNNING, "running; every port answers", journalled);
        assertThat(s.status()).isEqualTo(RUNNING);
        assertThat(s.reason()).isEqualTo("running; every port answers");
        assertThat(s.since()).isEqualTo(journalled);

        assertThat(s.record(check(RUNNING, 10))).isEmpty();
        assertThat(s.since()).as("the same status after a restart keeps the journalled since").isEqualTo(journalled);

        assertThat(s.record(check(FAILED, 11))).isEmpty();
        assertThat(s.status()).isEqualTo(RUNNING);
        assertThat(s.record(check(FAILED, 12))).isPresent();
        assertThat(s.since()).isEqualTo(at(12));
    }

    @Test
    void restored_failed_stays_failed_with_its_since_on_further_failures() {
        ResourceState s = new ResourceState("T", 2, CREATED.plusSeconds(86_400));
        s.restore(FAILED, "port 30000 (rcvport) does not answer: refused", CREATED);
        assertThat(s.record(check(FAILED, 1))).isEmpty();
        assertThat(s.record(check(FAILED, 2))).isEmpty();
        assertThat(s.since()).isEqualTo(CREATED);
        assertThat(s.record(check(RUNNING, 3))).map(ResourceState.Transition::from).contains(FAILED);
    }
}
