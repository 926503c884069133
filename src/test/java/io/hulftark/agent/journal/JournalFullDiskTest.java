package io.hulftark.agent.journal;

import io.hulftark.agent.ActionRecord;
import io.hulftark.agent.History;
import io.hulftark.agent.ResourceState;
import io.hulftark.wire.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The journal on a real, small, full filesystem (a tmpfs this test mounts; root only). */
@EnabledOnOs(OS.LINUX)
class JournalFullDiskTest {

    static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    @TempDir
    Path tmp;
    Path disk;
    Path filler;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void mount() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "mounting a tmpfs needs root");
        disk = Files.createDirectories(tmp.resolve("disk"));
        Process m = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", disk.toString())
                .inheritIO().start();
        assumeTrue(m.waitFor(20, TimeUnit.SECONDS) && m.exitValue() == 0, "cannot mount a tmpfs here");
        filler = disk.resolve("filler");
    }

    @AfterEach
    void unmount() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        if (disk != null) {
            new ProcessBuilder("umount", "-l", disk.toString()).inheritIO().start().waitFor(20, TimeUnit.SECONDS);
        }
    }

    void fill() throws IOException {
        byte[] block = new byte[4096];
        try (OutputStream out = Files.newOutputStream(filler, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException full) {
            assertThat(full.getMessage()).contains("No space left");
        }
        try (OutputStream out = Files.newOutputStream(filler, StandardOpenOption.APPEND)) {
            for (int i = 0; i < 4096; i++) {
                out.write(0);
                out.flush();
            }
        } catch (IOException full) {
            // full to the byte
        }
    }

    LineJournal journal() throws IOException {
        LineJournal j = new LineJournal(disk.resolve("journal"), LineJournal.MAX_LINE, 1);
        toClose.add(j);
        return j;
    }

    static String record(int i) {
        return "{\"seq\":" + i + ",\"pad\":\"" + "x".repeat(300) + "\"}";
    }

    @Test
    void aFailedAppendLeavesNoFragmentAndEveryGoodRecordIsReplayed() throws Exception {
        LineJournal j = journal();
        j.append(record(1), true);
        fill();
        int failed = 0;
        for (int i = 2; i < 40; i++) {
            final int n = i;
            try {
                j.append(record(n), true);
            } catch (IOException e) {
                failed++;
            }
        }
        assertThat(failed).as("appends failed on the full disk").isPositive();
        String text = Files.readString(disk.resolve("journal").resolve("journal.log"), StandardCharsets.UTF_8);
        assertThat(text).as("the file ends with a whole record").endsWith("}\n");
        Files.delete(filler);
        j.append(record(100), true);
        j.close();

        List<String> back = new LineJournal(disk.resolve("journal"), LineJournal.MAX_LINE, 1).replay();
        assertThat(back).last().isEqualTo(record(100));
        assertThat(back).allSatisfy(l -> assertThat(l).startsWith("{\"seq\":").endsWith("\"}"));
    }

    @Test
    void aHistoryKeepsWhatItCannotWriteInOrderAndWritesItWhenSpaceReturns() throws Exception {
        History h = new History(journal(), 1000);
        h.transition(new ResourceState.Transition("A", Status.UNKNOWN, Status.STOPPED, T0, "stopped"));
        fill();
        // The file's last page may take a few more: write until the journal cannot be written.
        for (int i = 0; i < 200 && h.journalState().writable(); i++) {
            h.transition(new ResourceState.Transition("B", Status.UNKNOWN, Status.STOPPED, T0, "filler " + i));
        }
        History.JournalState full = h.journalState();
        assertThat(full.writable()).isFalse();
        ActionRecord queued = new ActionRecord("x", "A", "restore", "", "ops", "direct", "QUEUED", T0, null, null,
                null, null, List.of());
        ActionRecord q = h.action(queued, T0, true).action();
        assertThat(q.journal()).isEqualTo("PENDING");
        h.action(queued.started(T0), T0, false);
        h.transition(new ResourceState.Transition("A", Status.STOPPED, Status.RUNNING, T0.plusSeconds(2), "up"));
        h.action(queued.started(T0).ended(T0.plusSeconds(3), 0, List.of("done")), T0.plusSeconds(3), true);
        History.JournalState down = h.journalState();
        assertThat(down.writable()).isFalse();
        assertThat(down.pending()).isEqualTo(full.pending() + 4);
        assertThat(down.reason()).contains(disk.resolve("journal").toString()).contains("No space left");
        assertThat(h.retryPending()).as("still full").isFalse();
        assertThat(h.actionById("x").orElseThrow().state()).as("the API sees it meanwhile").isEqualTo("SUCCEEDED");

        Files.delete(filler);
        assertThat(h.retryPending()).isTrue();
        assertThat(h.journalState().writable()).isTrue();
        assertThat(h.journalState().pending()).isZero();
        assertThat(h.actionById("x").orElseThrow().journal()).isEqualTo("WRITTEN");

        History after = new History(journal(), 1000);
        var last = after.replay();
        assertThat(after.unreadable()).isZero();
        assertThat(last.get("A").to()).as("the status change made while full").isEqualTo(Status.RUNNING);
        assertThat(after.actionById("x").orElseThrow().state()).isEqualTo("SUCCEEDED");
        List<Long> seqs = after.since(e -> true, 1000).stream().map(e -> e.seq()).toList();
        assertThat(seqs).as("every event, in order, none lost").hasSize((int) h.lastSeq())
                .isSorted().doesNotHaveDuplicates().startsWith(1L).endsWith(h.lastSeq());
    }

    @Test
    void aJournalOpenedOnAFullDiskWithATornLineStillOpens() throws Exception {
        Path jd = Files.createDirectories(disk.resolve("journal"));
        Files.writeString(jd.resolve("journal.log"), record(1) + "\n{\"seq\":2,\"to");
        fill();
        LineJournal j = journal();
        // The fragment comes back as a line of its own (History counts it unreadable), never glued to a record.
        List<String> kept = new ArrayList<>(List.of(record(1), "{\"seq\":2,\"to"));
        boolean failed = false;
        for (int i = 3; i < 60 && !failed; i++) {
            try {
                j.append(record(i), true); // fits while the file's last page has room
                kept.add(record(i));
            } catch (IOException full) {
                failed = true;
            }
        }
        assertThat(failed).as("an append failed on the full disk").isTrue();
        Files.delete(filler);
        j.append(record(100), true);
        kept.add(record(100));
        assertThat(j.replay()).isEqualTo(kept);
    }
}
