package io.hulftark.agent.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LineJournalTest {

    private static final long SMALL = LineJournal.MAX_LINE; // the smallest file a journal allows

    @TempDir
    Path dir;

    /** A record of exactly {@code bytes} bytes with its newline, starting with its number. */
    private static String record(int n, int bytes) {
        String head = String.format("%06d:", n);
        return head + "x".repeat(bytes - head.length() - 1);
    }

    private List<String> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private void appendRaw(String name, byte[] bytes) throws IOException {
        Files.write(dir.resolve(name), bytes, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Test
    void append_and_replay_round_trip_in_order() throws IOException {
        try (LineJournal j = new LineJournal(dir, SMALL, 3)) {
            j.append("one", false);
            j.append("två — 二", true);
            j.append("{\"three\":3}", false);
            assertThat(j.replay()).containsExactly("one", "två — 二", "{\"three\":3}");
            assertThat(j.skipped()).isZero();
        }
        assertThat(Files.readString(dir.resolve("journal.log"))).isEqualTo("one\ntvå — 二\n{\"three\":3}\n");
    }

    @Test
    void empty_journal_replays_nothing() throws IOException {
        try (LineJournal j = new LineJournal(dir.resolve("new/sub"), SMALL, 2)) {
            assertThat(j.replay()).isEmpty();
        }
        assertThat(dir.resolve("new/sub/journal.log")).exists();
    }

    @Test
    void rotation_keeps_at_most_n_files_and_replays_oldest_first() throws IOException {
        int perRecord = 16 * 1024; // four records fill a 64 KiB file
        List<String> written = new ArrayList<>();
        try (LineJournal j = new LineJournal(dir, SMALL, 3)) {
            for (int n = 0; n < 20; n++) {
                String r = record(n, perRecord);
                j.append(r, false);
                written.add(r);
            }
            assertThat(files()).containsExactly("journal.1.log", "journal.2.log", "journal.log");
            for (String f : files()) {
                assertThat(Files.size(dir.resolve(f))).isLessThanOrEqualTo(SMALL);
            }
            List<String> replayed = j.replay();
            // 3 files of 4 records each: the newest 12 survive, in order, across the files
            assertThat(replayed).containsExactlyElementsOf(written.subList(8, 20));
            assertThat(j.skipped()).isZero();
        }
        assertThat(Files.readString(dir.resolve("journal.2.log"))).startsWith("000008:");
        assertThat(Files.readString(dir.resolve("journal.log"))).startsWith("000016:");
    }

    @Test
    void one_file_kept_truncates_on_rotation() throws IOException {
        int perRecord = 16 * 1024;
        try (LineJournal j = new LineJournal(dir, SMALL, 1)) {
            for (int n = 0; n < 5; n++) {
                j.append(record(n, perRecord), false);
            }
            assertThat(files()).containsExactly("journal.log");
            assertThat(j.replay()).containsExactly(record(4, perRecord));
        }
    }

    @Test
    void a_file_fills_exactly_before_it_rotates() throws IOException {
        try (LineJournal j = new LineJournal(dir, SMALL, 2)) {
            for (int n = 0; n < 4; n++) {
                j.append(record(n, 16 * 1024), false);
            }
            assertThat(files()).containsExactly("journal.log");
            assertThat(Files.size(dir.resolve("journal.log"))).isEqualTo(SMALL);
            j.append("next", false);
            assertThat(files()).containsExactly("journal.1.log", "journal.log");
            assertThat(Files.readString(dir.resolve("journal.log"))).isEqualTo("next\n");
        }
    }

    @Test
    void a_torn_last_line_is_skipped_and_counted() throws IOException {
        try (LineJournal j = new LineJournal(dir, SMALL, 2)) {
            j.append("whole", true);
            appendRaw("journal.log", "{\"seq\":2,\"ty".getBytes(StandardCharsets.UTF_8));
            assertThat(j.replay()).containsExactly("whole");
            assertThat(j.skipped()).isEqualTo(1);
            // replay counts afresh each time
            assertThat(j.replay()).containsExactly("whole");
            assertThat(j.skipped()).isEqualTo(1);
        }
    }

    @Test
    void a_record_appended_after_a_torn_line_survives_a_restart() throws IOException {
        try (LineJournal j = new LineJournal(dir, SMALL, 2)) {
            j.append("before the crash", true);
        }
        appendRaw("journal.log", "torn mid-wri".getBytes(StandardCharsets.UTF_8)); // the crash
        try (LineJournal j = new LineJournal(dir, SMALL, 2)) {
            j.append("after the restart", true);
        }
        try (LineJournal j = new LineJournal(dir, SMALL, 2)) {
            // the fragment was ended on reopening: it comes back as its own (garbled) line for the reader to refuse
            assertThat(j.replay()).containsExactly("before the crash", "torn mid-wri", "after the restart");
            assertThat(j.skipped()).isZero();
        }
        assertThat(Files.readString(dir.resolve("journal.log")))
                .isEqualTo("before the crash\ntorn mid-wri\nafter the restart\n");
    }

    @Test
    void a_line_that_is_not_utf8_is_skipped_and_counted() throws IOException {
        try (LineJournal j = new LineJournal(dir, SMALL, 2)) {
            j.append("first", false);
            appendRaw("journal.log", new byte[] {'b', 'a', 'd', (byte) 0xC3, (byte) 0x28, '\n'});
            appendRaw("journal.log", new byte[] {(byte) 0xFF, (byte) 0xFE, '\n'});
            j.append("last", false);
            assertThat(j.replay()).containsExactly("first", "last");
            assertThat(j.skipped()).isEqualTo(2);
        }
    }

    @Test
    void a_line_over_64_kib_on_disk_is_skipped_and_counted() throws IOException {
        try (LineJournal j = new LineJournal(dir, 4 * SMALL, 2)) {
            j.append("first", false);
            appendRaw("journal.log", ("y".repeat(LineJournal.MAX_LINE + 1) + "\n").getBytes(StandardCharsets.UTF_8));
            j.append("last", false);
            assertThat(j.replay()).containsExactly("first", "last");
            assertThat(j.skipped()).isEqualTo(1);
        }
    }

    @Test
    void blank_lines_are_ignored_not_counted() throws IOException {
        try (LineJournal j = new LineJournal(dir, SMALL, 2)) {
            j.append("a", false);
            appendRaw("journal.log", "\n\n".getBytes(StandardCharsets.UTF_8));
            j.append("b", false);
            assertThat(j.replay()).containsExactly("a", "b");
            assertThat(j.skipped()).isZero();
        }
    }

    @Test
    void a_record_with_a_line_break_is_refused() throws IOException {
        try (LineJournal j = new LineJournal(dir, SMALL, 2)) {
            assertThatThrownBy(() -> j.append("two\nlines", false)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("one line");
            assertThatThrownBy(() -> j.append("carriage\rreturn", false))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(j.replay()).isEmpty();
        }
        assertThat(Files.size(dir.resolve("journal.log"))).isZero();
    }

    @Test
    void a_record_over_64_kib_is_refused_and_one_just_under_is_kept() throws IOException {
        try (LineJournal j = new LineJournal(dir, SMALL, 2)) {
            String largest = "z".repeat(LineJournal.MAX_LINE - 1); // with its newline: exactly 64 KiB
            j.append(largest, false);
            assertThatThrownBy(() -> j.append("z".repeat(LineJournal.MAX_LINE), false))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("64 KiB");
            // multi-byte characters count as their bytes
            assertThatThrownBy(() -> j.append("二".repeat(LineJournal.MAX_LINE / 3 + 1), false))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(j.replay()).containsExactly(largest);
        }
    }

    @Test
    void reopening_appends_after_the_old_content() throws IOException {
        try (LineJournal j = new LineJournal(dir, SMALL, 2)) {
            j.append("old 1", true);
            j.append("old 2", true);
        }
        try (LineJournal j = new LineJournal(dir, SMALL, 2)) {
            assertThat(j.replay()).containsExactly("old 1", "old 2");
            j.append("new", true);
            assertThat(j.replay()).containsExactly("old 1", "old 2", "new");
        }
    }

    @Test
    void reopening_counts_the_old_size_toward_rotation() throws IOException {
        try (LineJournal j = new LineJournal(dir, SMALL, 2)) {
            for (int n = 0; n < 3; n++) {
                j.append(record(n, 16 * 1024), true);
            }
        }
        try (LineJournal j = new LineJournal(dir, SMALL, 2)) {
            j.append(record(3, 16 * 1024), true);
            assertThat(files()).containsExactly("journal.log");
            j.append(record(4, 16 * 1024), true);
            assertThat(files()).containsExactly("journal.1.log", "journal.log");
            assertThat(j.replay()).extracting(s -> s.substring(0, 6))
                    .containsExactlyElementsOf(IntStream.range(0, 5).mapToObj(n -> String.format("%06d", n)).toList());
        }
    }

    @Test
    void too_small_a_file_or_no_file_is_refused() {
        assertThatThrownBy(() -> new LineJournal(dir, SMALL - 1, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LineJournal(dir, SMALL, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
