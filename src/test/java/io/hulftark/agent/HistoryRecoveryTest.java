package io.hulftark.agent;

import io.hulftark.agent.journal.LineJournal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.hulftark.agent.AgentFakes.T0;
import static org.assertj.core.api.Assertions.assertThat;

/** What a journal written by an earlier agent (or torn by a crash or a full disk) gives back. */
class HistoryRecoveryTest {

    @TempDir
    Path dir;

    private static String event(long seq, String id, String state) throws Exception {
        ActionRecord a = new ActionRecord(id, "A", "restore", "", "ops", "direct", state, T0, null, null, null, null,
                List.of());
        return History.JSON.writeValueAsString(new Event(seq, Event.ACTION, T0, "A", null, a));
    }

    @Test
    void everyCompleteRecordComesBackWhateverTornTextPrecedesIt() throws Exception {
        record Case(String name, String journal, List<String> states, int unreadable) { }
        List<Case> cases = List.of(
                new Case("clean", event(1, "a", "QUEUED") + "\n" + event(2, "a", "SUCCEEDED") + "\n",
                        List.of("SUCCEEDED"), 0),
                new Case("a torn last line", event(1, "a", "QUEUED") + "\n{\"seq\":2,\"ty", List.of("QUEUED"), 1),
                new Case("a good record glued to a torn one (an agent before this fix)",
                        event(1, "a", "QUEUED") + "\n{\"seq\":2,\"type\":\"act" + event(3, "a", "FAILED") + "\n",
                        List.of("FAILED"), 0),
                new Case("zeros a crash left before a record", event(1, "a", "QUEUED") + "\n\0\0\0\0"
                        + event(2, "a", "SUCCEEDED") + "\n", List.of("SUCCEEDED"), 0),
                new Case("garbage line between", event(1, "a", "QUEUED") + "\nnot json\n" + event(2, "a", "RUNNING")
                        + "\n", List.of("RUNNING"), 1));
        int n = 0;
        for (Case c : cases) {
            Path d = Files.createDirectories(dir.resolve("j" + n++));
            Files.writeString(d.resolve("journal.log"), c.journal());
            try (LineJournal j = new LineJournal(d, LineJournal.MAX_LINE * 4L, 2)) {
                History h = new History(j, 100);
                h.replay();
                assertThat(h.actions("A", 10)).as(c.name()).extracting(ActionRecord::state).isEqualTo(c.states());
                assertThat(h.actionById("a").orElseThrow().journal()).as(c.name()).isEqualTo("WRITTEN");
                assertThat(h.unreadable()).as(c.name()).isEqualTo(c.unreadable());
                // The next record lands on a line of its own.
                h.action(h.actionById("a").orElseThrow().interrupted(T0, List.of("x")), T0, true);
            }
            try (LineJournal j = new LineJournal(d, LineJournal.MAX_LINE * 4L, 2)) {
                History h = new History(j, 100);
                h.replay();
                assertThat(h.actionById("a").orElseThrow().state()).as(c.name()).isEqualTo("INTERRUPTED");
            }
        }
    }
}
