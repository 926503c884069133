package io.hulftark.agent.push;

import io.hulftark.agent.ActionRecord;
import io.hulftark.agent.Event;
import io.hulftark.agent.History;
import io.hulftark.agent.ResourceState;
import io.hulftark.wire.Status;
import io.hulftark.agent.journal.LineJournal;
import io.hulftark.wire.Report;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The one-line texts of history events, and what GET /api/v1/report gives for an {@code after}. */
class AgentReportsTest {

    static final Instant T = Instant.parse("2026-11-25T10:00:00Z");

    @TempDir
    Path dir;

    static Event transition(Status from, Status to, String reason) {
        return new Event(7, Event.TRANSITION, T, "hulft", new ResourceState.Transition("hulft", from, to, T, reason), null);
    }

    static Event action(ActionRecord r) {
        return new Event(8, Event.ACTION, T, "hulft", null, r);
    }

    static final ActionRecord QUEUED = new ActionRecord("id1", "hulft", "restore", "failover test", "alice", "direct",
            "QUEUED", T, null, null, null, null, List.of());

    @Test
    void transitionsSayFromToAndWhy() {
        assertThat(AgentReports.text(transition(Status.RUNNING, Status.FAILED, "port 30000 does not answer")))
                .isEqualTo("RUNNING → FAILED: port 30000 does not answer");
        assertThat(AgentReports.text(transition(Status.UNKNOWN, Status.STOPPED, null))).isEqualTo("UNKNOWN → STOPPED");
    }

    @Test
    void actionsSayWhoWhatAndHowItEnded() {
        ActionRecord running = QUEUED.started(T.plusMillis(100));
        assertThat(AgentReports.text(action(QUEUED))).isEqualTo("restore by alice: QUEUED (reason: failover test)");
        assertThat(AgentReports.text(action(running))).isEqualTo("restore by alice: RUNNING");
        assertThat(AgentReports.text(action(running.ended(T.plusMillis(2200), 0, List.of("51050000 INFO started")))))
                .isEqualTo("restore by alice: SUCCEEDED (exit 0, 2.1 s)");
        assertThat(AgentReports.text(action(running.ended(T.plusMillis(400), 1,
                List.of("first", "51050005 ERROR HULFT8 Service is not running")))))
                .isEqualTo("restore by alice: FAILED (exit 1, 0.3 s): 51050005 ERROR HULFT8 Service is not running");
    }

    @Test
    void aTextIsOneBoundedLine() {
        String text = AgentReports.text(transition(Status.RUNNING, Status.FAILED, "a\nb\r" + "x".repeat(2000)));
        assertThat(text).doesNotContain("\n", "\r").hasSize(500).endsWith("\u2026");
    }

    /** Issue 11: a reason with U+0085 made the fleet view refuse every report of the agent, for good. */
    @Test
    void aReasonWithAC1ControlGoesOutNeutralisedAndTheReportIsValid() {
        ActionRecord poison = new ActionRecord("id2", "hulft", "restore", "x\u0085y\u009B\u001B\uD800z", "alice",
                "direct", "QUEUED", T, null, null, null, null, List.of());
        String text = AgentReports.text(action(poison));
        assertThat(text).isEqualTo("restore by alice: QUEUED (reason: x\uFFFDy\uFFFD\uFFFD\uFFFDz)");
        Report r = new AgentReports("c", "n", "v", T, List::of, null, Clock.systemUTC())
                .report(List.of(action(poison)), 0);
        assertThat(io.hulftark.wire.ReportValidator.problem(r)).isEmpty();
        assertThat(r.instance()).isNotBlank();
        assertThat(r.events().get(0).text()).isEqualTo(text);
    }

    @Test
    void everyReportOfOneProcessHasItsInstanceAndAnotherProcessAnother() {
        AgentReports a = new AgentReports("c", "n", "v", T, List::of, null, Clock.systemUTC());
        AgentReports b = new AgentReports("c", "n", "v", T, List::of, null, Clock.systemUTC());
        Report first = a.report(List.of(), 0);
        Report second = a.report(List.of(), 0);
        assertThat(second.instance()).isEqualTo(first.instance()).isEqualTo(a.instance());
        assertThat(second.seq()).isGreaterThan(first.seq());
        assertThat(b.report(List.of(), 0).instance()).isNotEqualTo(first.instance());
    }

    @Test
    void afterGivesTheLaterEventsAndCountsThoseNoLongerHeld() throws Exception {
        try (LineJournal journal = new LineJournal(dir, LineJournal.MAX_LINE * 4L, 2)) {
            History history = new History(journal, 5);
            for (int i = 0; i < 10; i++) {
                history.transition(new ResourceState.Transition("hulft", Status.RUNNING, Status.FAILED, T, "n" + i));
            }
            AgentReports reports = new AgentReports("c", "n", "v", T, List::of, history, Clock.systemUTC());
            Report fromStart = reports.after(0);
            assertThat(fromStart.events()).extracting(Report.Event::seq).containsExactly(6L, 7L, 8L, 9L, 10L);
            assertThat(fromStart.dropped()).as("a first contact loses nothing it could have had").isZero();
            Report late = reports.after(2);
            assertThat(late.events()).extracting(Report.Event::seq).containsExactly(6L, 7L, 8L, 9L, 10L);
            assertThat(late.dropped()).as("3, 4 and 5 are gone").isEqualTo(3);
            Report current = reports.after(8);
            assertThat(current.events()).extracting(Report.Event::seq).containsExactly(9L, 10L);
            assertThat(current.dropped()).isZero();
            assertThat(current.seq()).isGreaterThan(late.seq());
        }
    }

    @Test
    void aPushTargetMustBeAnHttpUrl() {
        assertThatThrownBy(() -> new FleetPusher.Settings(URI.create("fleet.example:8690"), "t", Duration.ofSeconds(10),
                100, Duration.ofSeconds(5))).hasMessage(
                "hulftark.fleet.url must be http://HOST:PORT or https://HOST:PORT, not fleet.example:8690");
        assertThatThrownBy(() -> new FleetPusher.Settings(URI.create("http://f:8690"), "t", Duration.ofMillis(500),
                100, Duration.ofSeconds(5))).hasMessageContaining("heartbeat must be at least 1s");
    }
}
