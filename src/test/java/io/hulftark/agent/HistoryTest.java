package io.hulftark.agent;

import io.hulftark.wire.Status;

import io.hulftark.agent.journal.LineJournal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.hulftark.agent.AgentFakes.T0;
import static org.assertj.core.api.Assertions.assertThat;

class HistoryTest {

    @TempDir
    Path dir;

    private final List<LineJournal> opened = new ArrayList<>();

    @AfterEach
    void closeJournals() throws IOException {
        for (LineJournal j : opened) {
            j.close();
        }
    }

    /** A history over the journal in {@code dir}, as a (re)started agent opens it. */
    private History open(int keep) throws IOException {
        LineJournal j = new LineJournal(dir, LineJournal.MAX_LINE * 4L, 3);
        opened.add(j);
        return new History(j, keep);
    }

    private static Instant t(int s) {
        return T0.plusSeconds(s);
    }

    private static ResourceState.Transition transition(String tag, Status from, Status to, int at) {
        return new ResourceState.Transition(tag, from, to, t(at), "why " + to);
    }

    private static ActionRecord queued(String id, String tag, String action, int at) {
        return new ActionRecord(id, tag, action, "because", "ops", "direct", "QUEUED", t(at), null, null, null, null,
                List.of());
    }

    @Test
    void events_are_numbered_from_one() throws IOException {
        History h = open(100);
        assertThat(h.lastSeq()).isZero();
        Event e1 = h.transition(transition("A", Status.UNKNOWN, Status.RUNNING, 1));
        Event e2 = h.action(queued("x", "A", "restore", 2), t(2), true);
        assertThat(e1.seq()).isEqualTo(1);
        assertThat(e1.type()).isEqualTo(Event.TRANSITION);
        assertThat(e2.seq()).isEqualTo(2);
        assertThat(e2.type()).isEqualTo(Event.ACTION);
        assertThat(h.lastSeq()).isEqualTo(2);
    }

    @Test
    void replay_restores_seq_last_transitions_and_actions() throws IOException {
        History before = open(100);
        before.transition(transition("A", Status.UNKNOWN, Status.RUNNING, 1));
        before.transition(transition("B", Status.UNKNOWN, Status.STOPPED, 2));
        before.transition(transition("A", Status.RUNNING, Status.FAILED, 3));
        ActionRecord q = queued("act-1", "A", "restore", 4);
        before.action(q, t(4), true);
        ActionRecord running = q.started(t(5));
        before.action(running, t(5), false);
        ActionRecord ended = running.ended(t(8), 0, List.of("51050001 INFO restored"));
        before.action(ended, t(8), true);
        long lastSeq = before.lastSeq();

        History after = open(100);
        Map<String, ResourceState.Transition> last = after.replay();

        assertThat(after.lastSeq()).isEqualTo(lastSeq).isEqualTo(6);
        assertThat(after.transition(transition("B", Status.STOPPED, Status.RUNNING, 9)).seq())
                .as("new events continue the numbering").isEqualTo(7);
        assertThat(last).containsOnlyKeys("A", "B");
        assertThat(last.get("A").to()).isEqualTo(Status.FAILED);
        assertThat(last.get("A").at()).isEqualTo(t(3));
        assertThat(last.get("A").reason()).isEqualTo("why FAILED");
        assertThat(last.get("B").to()).isEqualTo(Status.STOPPED);

        ActionRecord back = after.actionById("act-1").orElseThrow();
        assertThat(back).as("the latest state wins").isEqualTo(ended);
        assertThat(back.state()).isEqualTo("SUCCEEDED");
        assertThat(back.durationMillis()).isEqualTo(3000);
        assertThat(back.messages()).containsExactly("51050001 INFO restored");
        assertThat(after.unreadable()).isZero();
    }

    @Test
    void actions_of_a_tag_newest_first_with_a_limit() throws IOException {
        History h = open(100);
        for (int i = 1; i <= 5; i++) {
            h.action(queued("a" + i, "A", "restore", i), t(i), false);
            h.action(queued("b" + i, "B", "remove", i), t(i), false);
        }
        // a later step of an old action updates it in place; it does not become the newest
        h.action(queued("a1", "A", "restore", 1).started(t(20)), t(20), false);

        assertThat(h.actions("A", 3)).extracting(ActionRecord::id).containsExactly("a5", "a4", "a3");
        assertThat(h.actions("B", 100)).extracting(ActionRecord::id).containsExactly("b5", "b4", "b3", "b2", "b1");
        assertThat(h.actions("A", 100)).last().extracting(ActionRecord::state).isEqualTo("RUNNING");
        assertThat(h.actions("C", 10)).isEmpty();
        assertThat(h.actions("A", 0)).isEmpty();
    }

    @Test
    void actions_survive_replay_newest_first() throws IOException {
        History before = open(100);
        before.action(queued("old", "A", "remove", 1), t(1), true);
        before.action(queued("new", "A", "restore", 2), t(2), true);
        History after = open(100);
        after.replay();
        assertThat(after.actions("A", 10)).extracting(ActionRecord::id).containsExactly("new", "old");
        assertThat(after.actionById("missing")).isEmpty();
    }

    @Test
    void unreadable_lines_are_counted_and_skipped() throws IOException {
        History before = open(100);
        before.transition(transition("A", Status.UNKNOWN, Status.RUNNING, 1));
        Path log = dir.resolve("journal.log");
        Files.writeString(log, "this is not json\n{\"seq\": \"nope\"\n", StandardOpenOption.APPEND);
        before.transition(transition("A", Status.RUNNING, Status.FAILED, 2));
        Files.write(log, "{\"seq\":3,\"type\":\"tra".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);

        History after = open(100);
        // reopened: the torn tail was ended, so it is now a garbled JSON line rather than a torn one
        Map<String, ResourceState.Transition> last = after.replay();
        assertThat(after.unreadable()).isEqualTo(3);
        assertThat(last.get("A").to()).isEqualTo(Status.FAILED);
        assertThat(after.lastSeq()).isEqualTo(2);
        assertThat(after.since(e -> true, 100)).hasSize(2);
    }

    @Test
    void a_torn_line_is_counted_through_the_journal() throws IOException {
        History h = open(100);
        h.transition(transition("A", Status.UNKNOWN, Status.RUNNING, 1));
        Files.write(dir.resolve("journal.log"), "{\"seq\":2".getBytes(StandardCharsets.UTF_8),
                StandardOpenOption.APPEND);
        h.replay();
        assertThat(h.unreadable()).isEqualTo(1);
    }

    @Test
    void an_event_written_after_a_crash_is_not_lost() throws IOException {
        History before = open(100);
        before.transition(transition("A", Status.UNKNOWN, Status.RUNNING, 1));
        Files.write(dir.resolve("journal.log"), "{\"seq\":2,\"ty".getBytes(StandardCharsets.UTF_8),
                StandardOpenOption.APPEND);

        History restarted = open(100);
        restarted.replay();
        restarted.action(queued("after-crash", "A", "restore", 5), t(5), true);

        History again = open(100);
        again.replay();
        assertThat(again.actionById("after-crash")).isPresent();
        assertThat(again.unreadable()).isEqualTo(1);
    }

    @Test
    void since_filters_and_limits() throws IOException {
        History h = open(100);
        for (int i = 1; i <= 6; i++) {
            h.transition(transition("A", Status.RUNNING, Status.FAILED, i));
        }
        assertThat(h.since(e -> e.seq() > 3, 100)).extracting(Event::seq).containsExactly(4L, 5L, 6L);
        assertThat(h.since(e -> e.seq() > 3, 2)).extracting(Event::seq).containsExactly(4L, 5L);
        assertThat(h.since(e -> e.at().isAfter(t(5)), 100)).extracting(Event::seq).containsExactly(6L);
        assertThat(h.since(e -> e.seq() > 6, 100)).isEmpty();
    }

    @Test
    void memory_keeps_the_newest_events_and_actions_the_journal_keeps_all() throws IOException {
        History h = open(3);
        for (int i = 1; i <= 5; i++) {
            h.action(queued("a" + i, "A", "restore", i), t(i), false);
        }
        assertThat(h.since(e -> true, 100)).extracting(Event::seq).containsExactly(3L, 4L, 5L);
        assertThat(h.actionById("a1")).isEmpty();
        assertThat(h.actions("A", 100)).extracting(ActionRecord::id).containsExactly("a5", "a4", "a3");
        assertThat(h.lastSeq()).isEqualTo(5);

        History all = open(100);
        all.replay();
        assertThat(all.actions("A", 100)).hasSize(5);
    }

    @Test
    void events_are_json_lines_in_the_journal() throws IOException {
        History h = open(10);
        h.transition(transition("A", Status.UNKNOWN, Status.RUNNING, 1));
        String line = Files.readAllLines(dir.resolve("journal.log")).get(0);
        assertThat(line).contains("\"seq\":1", "\"type\":\"transition\"", "\"tag\":\"A\"",
                "\"at\":\"2025-01-01T00:00:01Z\"").doesNotContain("\"action\"");
    }
}
