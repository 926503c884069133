package io.hulftark.fleet.report;

import io.hulftark.agent.Status;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class ReportValidatorTest {

    static final Instant T = Instant.parse("2026-11-25T10:00:00Z");

    static Report good() {
        return new Report("c1", "node-a", "0.1.0", T, 1, T,
                List.of(new Report.Resource("HULFT", "HULFT8", Status.RUNNING, "active", T, "all ports answer", T,
                        List.of(new Report.Port("port", 30000, true, 120, null)))),
                List.of(new Report.Event(7, T, "HULFT", "transition", "UNKNOWN → RUNNING: all ports answer")), 0);
    }

    static Report with(UnaryOperator<Report> f) {
        return f.apply(good());
    }

    @Test
    void aGoodReportPasses() {
        assertThat(ReportValidator.problem(good())).isEmpty();
    }

    static Stream<Arguments> faults() {
        Report g = good();
        Report.Resource r = g.resources().get(0);
        return Stream.of(
                Arguments.of("no body", null, "empty"),
                Arguments.of("no cluster", new Report(null, "n", null, T, 1, T, null, null, 0), "cluster is missing"),
                Arguments.of("cluster with a slash", new Report("a/b", "n", null, T, 1, T, null, null, 0), "cluster is not a name"),
                Arguments.of("node with a space", new Report("c", "n 1", null, T, 1, T, null, null, 0), "node is not a name"),
                Arguments.of("no agentStartedAt", new Report("c", "n", null, null, 1, T, null, null, 0), "agentStartedAt is missing"),
                Arguments.of("no sentAt", new Report("c", "n", null, T, 1, null, null, null, 0), "sentAt is missing"),
                Arguments.of("negative seq", new Report("c", "n", null, T, -1, T, null, null, 0), "seq must not be negative"),
                Arguments.of("sentAt in the year 10000", new Report("c", "n", null, T, 1,
                        Instant.parse("+10000-01-01T00:00:00Z"), null, null, 0), "sentAt +10000-01-01T00:00:00Z is not between"),
                Arguments.of("agentStartedAt before 1970", new Report("c", "n", null, Instant.parse("1969-12-31T23:59:59Z"),
                        1, T, null, null, 0), "agentStartedAt 1969-12-31T23:59:59Z is not between 1970 and 9999"),
                Arguments.of("resource checked in year -5", new Report("c", "n", null, T, 1, T,
                        List.of(new Report.Resource("HULFT", null, Status.RUNNING, "active", T, null,
                                Instant.parse("-0005-01-01T00:00:00Z"), null)), null, 0), "resources[0].checkedAt"),
                Arguments.of("event in the year 30000", new Report("c", "n", null, T, 1, T, null,
                        List.of(new Report.Event(1, Instant.parse("+30000-01-01T00:00:00Z"), "HULFT", "transition", "x")), 0),
                        "events[0].at +30000-01-01T00:00:00Z is not between 1970 and 9999"),
                Arguments.of("resource without status", new Report("c", "n", null, T, 1, T,
                        List.of(new Report.Resource("HULFT", null, null, "active", T, null, T, null)), null, 0), "status is missing"),
                Arguments.of("tag twice", new Report("c", "n", null, T, 1, T, List.of(r, r), null, 0), "appears twice"),
                Arguments.of("control character in reason", new Report("c", "n", null, T, 1, T,
                        List.of(new Report.Resource("HULFT", null, Status.FAILED, "active", T, "a\nb", T, null)), null, 0),
                        "control character"),
                Arguments.of("port out of range", new Report("c", "n", null, T, 1, T,
                        List.of(new Report.Resource("HULFT", null, Status.FAILED, "active", T, null, T,
                                List.of(new Report.Port("p", 70000, false, 0, null)))), null, 0), "not a port number"),
                Arguments.of("too many resources", new Report("c", "n", null, T, 1, T,
                        Collections.nCopies(65, r), null, 0), "too many resources"),
                Arguments.of("too many events", new Report("c", "n", null, T, 1, T, null,
                        Collections.nCopies(1001, g.events().get(0)), 0), "too many events"),
                Arguments.of("unknown event type", new Report("c", "n", null, T, 1, T, null,
                        List.of(new Report.Event(1, T, "HULFT", "gossip", "x")), 0), "type must be transition or action"),
                Arguments.of("huge text", new Report("c", "n", null, T, 1, T, null,
                        List.of(new Report.Event(1, T, "HULFT", "action", "x".repeat(1001))), 0), "too long"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("faults")
    void eachFaultIsNamedInOneLine(String name, Report report, String expected) {
        assertThat(ReportValidator.problem(report)).hasValueSatisfying(p -> {
            assertThat(p).contains(expected);
            assertThat(p).doesNotContain("\n");
        });
    }
}
