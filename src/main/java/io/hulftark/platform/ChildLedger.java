package io.hulftark.platform;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The commands this process runs that are still running, kept in {@code LOCKS/children/PID-START}
 * next to the resources' locks, so that none outlives a killed process unseen: whoever takes a
 * resource's lock next (the restarted agent, the CLI LifeKeeper runs) first ends the commands of
 * processes that died ({@link #reap}), each with its whole process tree, so that a half-done
 * {@code utlsvcctl} cannot start or stop HULFT later outside the lock.
 * <p>A process and a command are matched by pid <em>and</em> start time, so a pid the OS gave to
 * someone else is never killed. The file has fixed slots written in place: it is made once (with
 * room) and then needs no disk space, so a full disk does not stop it; a kill needs no force to the
 * disk either, the page cache survives the process. Where the file cannot be made (the disk is
 * already full), commands run untracked, as before this ledger existed.
 */
public final class ChildLedger {

    static final int SLOTS = 128;
    static final int SLOT_BYTES = 160;
    /** /proc's boot time can move by a second between two JVMs' readings; a reused pid is never that close. */
    static final long START_SLACK_MILLIS = 1_500;

    private static final Object LOCK = new Object();
    private static ChildLedger mine;

    private final Path file;
    private final FileChannel channel;
    private final Map<Long, Integer> slotOfPid = new HashMap<>();
    private final boolean[] used = new boolean[SLOTS];

    private ChildLedger(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    /** Opens this process's ledger in {@code locksDir} (the first folder given wins); false where it cannot be made. */
    public static boolean open(Path locksDir) {
        synchronized (LOCK) {
            if (mine != null) {
                return true;
            }
            ChildLedger made = create(locksDir, ProcessHandle.current());
            if (made == null) {
                return false;
            }
            mine = made;
            try {
                Runtime.getRuntime().addShutdownHook(new Thread(made::closeAtExit, "child-ledger"));
            } catch (IllegalStateException exiting) {
                // the JVM is already exiting: nothing is left to run
            }
            return true;
        }
    }

    /** The ledger file of {@code owner} in {@code locksDir}, made with all its room; null where it cannot be. */
    static ChildLedger create(Path locksDir, ProcessHandle owner) {
        Path dir = locksDir.resolve("children");
        Path file = dir.resolve(owner.pid() + "-" + startMillis(owner));
        try {
            Files.createDirectories(dir);
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
            try {
                byte[] blank = new byte[SLOTS * SLOT_BYTES];
                Arrays.fill(blank, (byte) ' ');
                for (int i = 0; i < SLOTS; i++) {
                    blank[i * SLOT_BYTES + SLOT_BYTES - 1] = '\n';
                }
                ByteBuffer b = ByteBuffer.wrap(blank);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
            } catch (IOException e) {
                ch.close();
                Files.deleteIfExists(file);
                return null;
            }
            return new ChildLedger(file, ch);
        } catch (IOException | SecurityException e) {
            return null;
        }
    }

    Path file() {
        return file;
    }

    /** Notes a command started by this process (a no-op before {@link #open}). */
    static void spawned(ProcessHandle child, List<String> argv) {
        ChildLedger l;
        synchronized (LOCK) {
            l = mine;
        }
        if (l != null) {
            l.add(child, argv);
        }
    }

    /** The command ended, or was killed with its tree. */
    static void ended(ProcessHandle child) {
        ChildLedger l;
        synchronized (LOCK) {
            l = mine;
        }
        if (l != null) {
            l.remove(child.pid());
        }
    }

    synchronized void add(ProcessHandle child, List<String> argv) {
        for (int i = 0; i < SLOTS; i++) {
            if (!used[i]) {
                String line = child.pid() + " " + startMillis(child) + " " + describe(argv);
                if (write(i, line)) {
                    used[i] = true;
                    slotOfPid.put(child.pid(), i);
                }
                return;
            }
        }
        // All slots busy: this command is not tracked (128 commands at once is far past what an agent runs).
    }

    synchronized void remove(long pid) {
        Integer i = slotOfPid.remove(pid);
        if (i != null) {
            write(i, "");
            used[i] = false;
        }
    }

    private boolean write(int slot, String text) {
        byte[] line = new byte[SLOT_BYTES];
        Arrays.fill(line, (byte) ' ');
        byte[] t = text.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(t, 0, line, 0, Math.min(t.length, SLOT_BYTES - 1));
        line[SLOT_BYTES - 1] = '\n';
        try {
            ByteBuffer b = ByteBuffer.wrap(line);
            long at = (long) slot * SLOT_BYTES;
            while (b.hasRemaining()) {
                at += channel.write(b, at);
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** At a normal exit: the file goes when no command is left; one still running is left for the next lock to end. */
    synchronized void closeAtExit() {
        slotOfPid.keySet().removeIf(pid -> ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true));
        try {
            channel.close();
            if (slotOfPid.isEmpty()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException ignored) {
            // a file left behind is read, found empty or dead, and removed by the next reap
        }
    }

    /**
     * Ends the commands that processes now dead left running, each with its process tree, and removes their
     * ledgers; returns one line per command ended ("utlsvcctl -c start (pid 4711, left by pid 4700)").
     */
    public static List<String> reap(Path locksDir) {
        Path dir = locksDir.resolve("children");
        List<String> ended = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return ended;
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            ds.forEach(files::add);
        } catch (IOException e) {
            return ended;
        }
        for (Path f : files) {
            long[] owner = parseOwner(f.getFileName().toString());
            if (owner == null || !gone(owner[0], owner[1])) {
                continue;
            }
            try {
                for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                    Entry e = Entry.parse(line);
                    if (e != null && alive(e.pid(), e.startMillis())) {
                        ProcessHandle.of(e.pid()).ifPresent(ProcessCommandRunner::killTree);
                        ended.add(e.command() + " (pid " + e.pid() + ", left by pid " + owner[0] + ")");
                    }
                }
                Files.deleteIfExists(f);
            } catch (IOException | RuntimeException e) {
                // another reaper removed it first, or it is unreadable: nothing of it can be matched
            }
        }
        return ended;
    }

    /** One slot: pid, start (epoch ms, -1 unknown) and what it runs. */
    record Entry(long pid, long startMillis, String command) {
        static Entry parse(String line) {
            String[] p = line.strip().split(" ", 3);
            if (p.length < 2) {
                return null;
            }
            try {
                return new Entry(Long.parseLong(p[0]), Long.parseLong(p[1]), p.length > 2 ? p[2] : "");
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }

    static long[] parseOwner(String name) {
        int dash = name.indexOf('-', 1);
        if (dash < 0) {
            return null;
        }
        try {
            return new long[] {Long.parseLong(name.substring(0, dash)), Long.parseLong(name.substring(dash + 1))};
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** No process {@code pid} runs, or another one than the one that started at {@code startMillis}. */
    static boolean gone(long pid, long startMillis) {
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isEmpty() || !h.get().isAlive()) {
            return true;
        }
        long start = startMillis(h.get());
        return startMillis >= 0 && start >= 0 && Math.abs(start - startMillis) > START_SLACK_MILLIS;
    }

    /** The process {@code pid} runs and is the one that started at {@code startMillis}; an unknown start never matches. */
    static boolean alive(long pid, long startMillis) {
        if (startMillis < 0) {
            return false;
        }
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isEmpty() || !h.get().isAlive()) {
            return false;
        }
        long start = startMillis(h.get());
        return start >= 0 && Math.abs(start - startMillis) <= START_SLACK_MILLIS;
    }

    static long startMillis(ProcessHandle h) {
        return h.info().startInstant().map(Instant::toEpochMilli).orElse(-1L);
    }

    /** The command's file name and its first arguments, one line. */
    static String describe(List<String> argv) {
        if (argv.isEmpty()) {
            return "";
        }
        String first = argv.get(0);
        StringBuilder s = new StringBuilder(first.substring(Math.max(first.lastIndexOf('/'), first.lastIndexOf('\\')) + 1));
        for (int i = 1; i < argv.size() && s.length() < 100; i++) {
            s.append(' ').append(argv.get(i));
        }
        return s.toString().replaceAll("[\\p{Cntrl}]", "?");
    }
}
