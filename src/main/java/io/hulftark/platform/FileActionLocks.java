package io.hulftark.platform;

import io.hulftark.kit.ActionLocks;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The per-resource lock: an OS file lock on {@code STATE_DIR/locks/TAG.lock}, so the CLI that
 * LifeKeeper runs and the agent's REST actions never interleave. The OS drops the lock when a
 * holder dies, so a killed process never leaves a resource locked. Within one JVM a plain lock
 * comes first, because file locks belong to the whole process. What a killed holder left running
 * is ended by the next holder before it acts ({@link ChildLedger}).
 */
public final class FileActionLocks implements ActionLocks {

    private static final ConcurrentHashMap<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    private final Path dir;

    public FileActionLocks(Path stateDir) {
        this.dir = stateDir.resolve("locks");
        ChildLedger.open(dir); // from now on this process's commands are noted next to the locks
    }

    /** Ends what dead holders of these locks left running (see {@link ChildLedger}); one line per command ended. */
    public List<String> reapOrphans() {
        return ChildLedger.reap(dir);
    }

    public Path lockFile(String tag) {
        return dir.resolve(fileName(tag) + ".lock");
    }

    @Override
    public Held acquire(String tag, Duration bound) throws Busy, InterruptedException {
        long end = System.nanoTime() + bound.toNanos();
        Path file = lockFile(tag);
        ReentrantLock local = IN_PROCESS.computeIfAbsent(file, f -> new ReentrantLock());
        if (!local.tryLock(bound.toNanos(), TimeUnit.NANOSECONDS)) {
            throw new Busy("another action of this process holds " + file);
        }
        try {
            Files.createDirectories(dir);
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            long pause = 5;
            while (true) {
                FileLock lock;
                try {
                    lock = channel.tryLock();
                } catch (OverlappingFileLockException e) {
                    lock = null;
                }
                if (lock != null) {
                    FileLock held = lock;
                    // A killed holder's command may still run: it ends before this holder acts.
                    ChildLedger.reap(dir);
                    return () -> release(held, channel, local);
                }
                if (System.nanoTime() - end >= 0) {
                    channel.close();
                    throw new Busy("another process holds " + file);
                }
                Thread.sleep(Math.min(pause, Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()))));
                pause = Math.min(pause * 2, 100);
            }
        } catch (IOException e) {
            local.unlock();
            throw new Busy("cannot open the lock file " + file + ": " + e.getMessage());
        } catch (Busy | InterruptedException | RuntimeException e) {
            local.unlock();
            throw e;
        }
    }

    private static void release(FileLock lock, FileChannel channel, ReentrantLock local) {
        try {
            lock.release();
            channel.close();
        } catch (IOException ignored) {
            // closing the channel releases the lock in any case
        } finally {
            local.unlock();
        }
    }

    /** A tag as a file name: letters, digits, '.', '-' and '_' kept, every other byte as %XX. */
    static String fileName(String tag) {
        StringBuilder b = new StringBuilder();
        for (byte c : tag.getBytes(StandardCharsets.UTF_8)) {
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                    || (c == '.' && b.length() > 0)) {
                b.append((char) c);
            } else {
                b.append('%').append(String.format("%02X", c & 0xff));
            }
        }
        return b.toString();
    }
}
