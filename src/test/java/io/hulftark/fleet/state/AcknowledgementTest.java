package io.hulftark.fleet.state;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** An acknowledgement is shown until it expires; it never changes the state, so only its expiry is tested. */
class AcknowledgementTest {

    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

    record Case(String name, List<Acknowledgement> acks, boolean acknowledged) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("none", List.of(), false),
                new Case("in force", List.of(ack(NOW.plusSeconds(60))), true),
                new Case("expired at its until", List.of(ack(NOW)), false),
                new Case("expired before", List.of(ack(NOW.minusSeconds(1))), false),
                new Case("one expired, one in force", List.of(ack(NOW.minusSeconds(60)), ack(NOW.plusSeconds(1))),
                        true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void acknowledged(Case c) {
        assertThat(Acknowledgement.acknowledged(c.acks(), NOW)).isEqualTo(c.acknowledged());
    }

    private static Acknowledgement ack(Instant until) {
        return new Acknowledgement("alice", "replacing the disk on n2", until);
    }
}
