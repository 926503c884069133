package io.hulftark.agent.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The agent's history on local disk: one record a line in {@code journal.log}, rotated to
 * {@code journal.1.log} ... {@code journal.N.log} when the current file passes its size, the oldest
 * dropped. A durable append is forced to the disk before it returns, so an action's record is
 * there before the action's answer is given. A torn last line (a crash mid-write), a line that is
 * not UTF-8 or one longer than {@link #MAX_LINE} is skipped on replay, never fatal; reopening the
 * journal ends a torn line first, so the fragment is then replayed as a line of its own.
 * <p>An append that fails (a full disk) is cut back to the last whole record, so no fragment is
 * left for the next record to be glued to; where even that fails, the next record starts on a new
 * line. Either way every complete record appended later is replayed.
 */
public final class LineJournal implements AutoCloseable {

    public static final int MAX_LINE = 64 * 1024;

    private final Path dir;
    private final long maxFileBytes;
    private final int keptFiles;
    private FileChannel current;
    private long size;
    private int skipped;
    // The file may end in a fragment of a failed append: the next record starts on a new line.
    private boolean dirtyTail;

    public LineJournal(Path dir, long maxFileBytes, int keptFiles) throws IOException {
        if (maxFileBytes < MAX_LINE || keptFiles < 1) {
            throw new IllegalArgumentException("a journal file must hold at least 64 KiB, and one file be kept");
        }
        this.dir = Files.createDirectories(dir);
        this.maxFileBytes = maxFileBytes;
        this.keptFiles = keptFiles;
        open();
    }

    private void open() throws IOException {
        current = FileChannel.open(file(0), StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        size = current.size();
        // A crash tore the last line: the next record starts on a new line, or it would be glued to it and lost.
        dirtyTail = size > 0 && !endsWithNewline();
    }

    private boolean endsWithNewline() throws IOException {
        try (FileChannel in = FileChannel.open(file(0), StandardOpenOption.READ)) {
            ByteBuffer last = ByteBuffer.allocate(1);
            return in.read(last, size - 1) == 1 && last.get(0) == '\n';
        }
    }

    /** The journal's folder (named where the disk is full). */
    public Path dir() {
        return dir;
    }

    Path file(int generation) {
        return dir.resolve(generation == 0 ? "journal.log" : "journal." + generation + ".log");
    }

    /** Appends one record (no line breaks in it); {@code durable} forces it to the disk first. */
    public synchronized void append(String record, boolean durable) throws IOException {
        if (record.indexOf('\n') >= 0 || record.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("a journal record is one line");
        }
        byte[] bytes = (record + "\n").getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_LINE) {
            throw new IllegalArgumentException("a journal record is at most 64 KiB");
        }
        if (current == null) {
            open(); // a rotation that failed half-way closed the current file
        }
        if (size + bytes.length > maxFileBytes) {
            rotate();
        }
        long good = size;
        try {
            if (dirtyTail) {
                writeFully(new byte[] {'\n'});
                good = ++size;
                dirtyTail = false;
            }
            writeFully(bytes);
            size += bytes.length;
            if (durable) {
                current.force(false);
            }
        } catch (IOException e) {
            cutBack(good);
            throw e;
        }
    }

    private void writeFully(byte[] bytes) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
            current.write(buf);
        }
    }

    /** After a failed append: drop what it wrote (truncating needs no space), else mark the tail. */
    private void cutBack(long good) {
        try {
            current.truncate(good);
            size = good;
            // Cut back to a whole record, or to a torn tail not yet ended (dirtyTail then still says so).
            dirtyTail |= current.size() != good;
        } catch (IOException e) {
            dirtyTail = true;
        }
        if (dirtyTail) {
            try {
                size = current.size();
            } catch (IOException ignored) {
                // size stays an estimate; the new line before the next record keeps records apart
            }
        }
    }

    private void rotate() throws IOException {
        current.force(false);
        current.close();
        current = null;
        Files.deleteIfExists(file(keptFiles - 1)); // with one file kept, that is the current one
        for (int g = keptFiles - 2; g >= 0; g--) {
            if (Files.exists(file(g))) {
                Files.move(file(g), file(g + 1), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        open();
    }

    /** Every record still kept, oldest first. */
    public synchronized List<String> replay() throws IOException {
        List<String> out = new ArrayList<>();
        skipped = 0;
        for (int g = keptFiles - 1; g >= 0; g--) {
            Path f = file(g);
            if (Files.exists(f)) {
                readLines(Files.readAllBytes(f), out);
            }
        }
        return out;
    }

    /** How many lines the last replay skipped as torn, too long or not UTF-8. */
    public synchronized int skipped() {
        return skipped;
    }

    private void readLines(byte[] bytes, List<String> out) {
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                line(bytes, start, i, out);
                start = i + 1;
            }
        }
        if (start < bytes.length) {
            skipped++; // a last line without its newline was torn by a crash
        }
    }

    private void line(byte[] bytes, int from, int to, List<String> out) {
        // A crash can leave zeros where the page cache had not reached the disk: they are no record.
        while (from < to && bytes[from] == 0) {
            from++;
        }
        if (to == from) {
            return;
        }
        if (to - from > MAX_LINE) {
            skipped++;
            return;
        }
        try {
            out.add(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, from, to - from)).toString());
        } catch (CharacterCodingException e) {
            skipped++;
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (current != null) {
            current.close();
        }
    }
}
