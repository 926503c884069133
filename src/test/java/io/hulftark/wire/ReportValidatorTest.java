package io.hulftark.wire;

import io.hulftark.wire.Status;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
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
                Arguments.of("bidi override in a tag", new Report("c", "n", null, T, 1, T,
                        List.of(new Report.Resource("HUL\u202EFT", null, Status.FAILED, "active", T, null, T, null)), null, 0),
                        "resources[0].tag holds U+202E"),
                Arguments.of("zero-width space in a service name", new Report("c", "n", null, T, 1, T,
                        List.of(new Report.Resource("HULFT", "HULFT8\u200B", Status.FAILED, "active", T, null, T, null)),
                        null, 0), "resources[0].service holds U+200B"),
                Arguments.of("C1 control in a role", new Report("c", "n", null, T, 1, T,
                        List.of(new Report.Resource("HULFT", null, Status.FAILED, "act\u0085ive", T, null, T, null)),
                        null, 0), "resources[0].role holds a control character U+0085"),
                Arguments.of("instance with a blank", new Report("c", "n", null, T, 1, T, null, null, 0, "a b"),
                        "instance is not a name"),
                Arguments.of("line separator in an event's tag", new Report("c", "n", null, T, 1, T, null,
                        List.of(new Report.Event(9, T, "HU\u2028LFT", "transition", "x")), 0), "events[0].tag holds U+2028"),
                Arguments.of("port out of range", new Report("c", "n", null, T, 1, T,
                        List.of(new Report.Resource("HULFT", null, Status.FAILED, "active", T, null, T,
                                List.of(new Report.Port("p", 70000, false, 0, null)))), null, 0), "not a port number"),
                Arguments.of("too many resources", new Report("c", "n", null, T, 1, T,
                        Collections.nCopies(65, r), null, 0), "too many resources"),
                Arguments.of("too many events", new Report("c", "n", null, T, 1, T, null,
                        Collections.nCopies(1001, g.events().get(0)), 0), "too many events"),
                Arguments.of("unknown event type", new Report("c", "n", null, T, 1, T, null,
                        List.of(new Report.Event(1, T, "HULFT", "gossip", "x")), 0), "type must be transition or action"),
                Arguments.of("33 labels", labelled(IntStream.range(0, 33).boxed()
                        .collect(java.util.stream.Collectors.toMap(i -> "k" + i, i -> "v")), null),
                        "too many labels: 33 (at most 32)"),
                Arguments.of("a label key with a capital", labelled(Map.of("Site", "osaka"), null),
                        "labels has a key that is not a label key"),
                Arguments.of("a label key with a dash", labelled(Map.of("data-center", "x"), null),
                        "labels has a key that is not a label key"),
                Arguments.of("a label key of 64", labelled(Map.of("k" + "x".repeat(63), "x"), null),
                        "labels has a key that is not a label key"),
                Arguments.of("an empty label value", labelled(Map.of("site", ""), null), "labels.site is missing"),
                Arguments.of("a line break in a label value", labelled(Map.of("site", "osa\nka"), null),
                        "labels.site holds a control character U+000A"),
                Arguments.of("a label value of 129", labelled(Map.of("site", "o".repeat(129)), null),
                        "labels.site is too long: at most 128"),
                Arguments.of("actionsVia of another kind", labelled(Map.of(), "ssh"),
                        "actionsVia must be lifekeeper or direct"));
    }

    static Report labelled(Map<String, String> labels, String actionsVia) {
        Report g = good();
        return new Report(g.cluster(), g.node(), g.agentVersion(), g.agentStartedAt(), g.seq(), g.sentAt(),
                g.resources(), g.events(), g.dropped(), g.instance(), labels, true, actionsVia);
    }

    @Test
    void labelsAndFleetActionFlagsWithinTheRulesPassAndOutliveNeutralisingAndClockBounding() {
        Map<String, String> labels = new java.util.HashMap<>();
        IntStream.range(0, 31).forEach(i -> labels.put("k" + i, "v" + i));
        labels.put("k" + "x".repeat(62), "大阪 " + "o".repeat(125)); // a 63-character key, a 128-character value
        Report r = labelled(labels, "lifekeeper");
        assertThat(ReportValidator.problem(r)).isEmpty();
        assertThat(ReportValidator.problem(labelled(Map.of("site", "osaka"), "direct"))).isEmpty();
        assertThat(ReportValidator.problem(labelled(Map.of(), null))).isEmpty();

        Report withAction = new Report(r.cluster(), r.node(), "1.0\u0007", r.agentStartedAt(), r.seq(), r.sentAt(),
                r.resources(), List.of(new Report.Event(8, T.plus(java.time.Duration.ofDays(1)), "HULFT", "action",
                "restore by fleet:alice: SUCCEEDED", new ActionOutcome("a-1", "restore", "SUCCEEDED", 0, 2100L,
                List.of("started\u001b[31m"), "direct", "fleet:alice"))), 0, "i-1", r.labels(), true, "lifekeeper");
        for (Report kept : List.of(ReportValidator.neutralised(withAction),
                ReportValidator.clockBounded(withAction, T, java.time.Duration.ofMinutes(5)))) {
            assertThat(kept.labels()).isEqualTo(r.labels());
            assertThat(kept.fleetActions()).isTrue();
            assertThat(kept.actionsVia()).isEqualTo("lifekeeper");
            assertThat(kept.events().get(0).action()).isNotNull();
            assertThat(kept.events().get(0).action().id()).isEqualTo("a-1");
        }
        assertThat(ReportValidator.neutralised(withAction).events().get(0).action().messages())
                .containsExactly("started\uFFFD[31m");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("faults")
    void eachFaultIsNamedInOneLine(String name, Report report, String expected) {
        assertThat(ReportValidator.problem(report)).hasValueSatisfying(p -> {
            assertThat(p).contains(expected);
            assertThat(p).doesNotContain("\n");
        });
    }

    @Test
    void aFaultInsideAnEventNamesItsSeq() {
        Report r = new Report("c", "n", null, T, 1, T, null, List.of(new Report.Event(5, T, "HULFT", "transition", "ok"),
                new Report.Event(6, T, "HULFT", "gossip", "x")), 0);
        assertThat(ReportValidator.fault(r)).hasValueSatisfying(f -> {
            assertThat(f.eventSeq()).isEqualTo(6L);
            assertThat(f.detail()).startsWith("events[1].type").endsWith("(event seq 6)");
        });
        assertThat(ReportValidator.fault(new Report("a/b", "n", null, T, 1, T, null, null, 0)))
                .hasValueSatisfying(f -> assertThat(f.eventSeq()).isNull());
    }

    /** Free texts never refuse a report: the poison pill of issue 11 (U+0085 in an action's reason) among them. */
    static Stream<Arguments> freeTexts() {
        return Stream.of(
                Arguments.of("C1 NEL in an event text", "restore by ops: QUEUED (reason: a\u0085b)", "restore by ops: QUEUED (reason: a\uFFFDb)"),
                Arguments.of("escape sequence", "\u001B[31mred", "\uFFFD[31mred"),
                Arguments.of("line breaks", "one\ntwo", "one two"),
                Arguments.of("lone surrogate", "a\uD800b", "a\uFFFDb"),
                Arguments.of("bidi kept", "a\u202Eb", "a\u202Eb"),
                Arguments.of("too long", "x".repeat(1500), "x".repeat(999) + "\u2026"),
                Arguments.of("missing", null, "(no text)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("freeTexts")
    void freeTextsAreNeutralisedNotRefused(String name, String text, String kept) {
        Report r = new Report("c", "n", "1.0\u0085", T, 1, T,
                List.of(new Report.Resource("HULFT", null, Status.FAILED, "active", T, text, T,
                        List.of(new Report.Port("rcvport", 30000, false, 0, text)))),
                List.of(new Report.Event(3, T, "HULFT", "action", text)), 0);
        assertThat(ReportValidator.problem(r)).isEmpty();
        Report n = ReportValidator.neutralised(r);
        assertThat(ReportValidator.problem(n)).isEmpty();
        assertThat(n.events().get(0).text()).isEqualTo(kept);
        assertThat(n.resources().get(0).reason()).isEqualTo(text == null ? null : kept);
        assertThat(n.resources().get(0).ports().get(0).detail()).isEqualTo(text == null ? null : kept);
        assertThat(n.agentVersion()).isEqualTo("1.0\uFFFD");
    }

    @Test
    void timesAheadOfTheBoundAreTheReceiveTimeButSentAtShowsTheSkew() {
        Instant received = T;
        Instant dayAhead = T.plus(java.time.Duration.ofDays(1));
        Instant soon = T.plusSeconds(60);
        Report r = new Report("c", "n", null, dayAhead, 1, dayAhead,
                List.of(new Report.Resource("HULFT", null, Status.RUNNING, "active", dayAhead, null, soon, null)),
                List.of(new Report.Event(1, dayAhead, "HULFT", "transition", "x"), new Report.Event(2, soon, "HULFT",
                        "transition", "y")), 0, "i-1");
        Report b = ReportValidator.clockBounded(r, received, java.time.Duration.ofMinutes(5));
        assertThat(b.agentStartedAt()).isEqualTo(received);
        assertThat(b.sentAt()).isEqualTo(dayAhead);
        assertThat(b.resources().get(0).since()).isEqualTo(received);
        assertThat(b.resources().get(0).checkedAt()).isEqualTo(soon);
        assertThat(b.events()).extracting(Report.Event::at).containsExactly(received, soon);
        assertThat(b.instance()).isEqualTo("i-1");
        Report fine = good();
        assertThat(ReportValidator.clockBounded(fine, T, java.time.Duration.ofMinutes(5))).isSameAs(fine);
    }
}
