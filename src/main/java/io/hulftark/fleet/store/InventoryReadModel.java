package io.hulftark.fleet.store;

import io.hulftark.fleet.view.InventoryNode;
import io.hulftark.wire.Report;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The inventory in the fleet view's memory (issue 13): every known node as the last read of the store found it, so
 * a page filters, sorts and pages in Java and never sorts in the database under the reports' write load.
 *
 * <p>Its rules: a snapshot older than {@code refreshAfter} (2 s) is read again in the background on the next read
 * while readers keep the one they have (one refresher at a time); none older than {@code maxAge} (10 s) is ever
 * served, readers wait for the read then (and get the store's refusal when it cannot be read). A write by this
 * instance that changes what the inventory shows {@link #invalidate()}s it: the next read waits for a snapshot read
 * after the write. Other instances' writes, and the receipt time of heartbeats, show within {@code refreshAfter}.
 */
final class InventoryReadModel {

    static final Duration REFRESH_AFTER = Duration.ofSeconds(2);
    static final Duration MAX_AGE = Duration.ofSeconds(10);
    /** Read recently: the refresher goes on reading the store every 2 s for this long after the last read. */
    static final Duration KEEP_WARM = Duration.ofMinutes(1);

    private static final Logger LOG = Logger.getLogger(InventoryReadModel.class);

    /** One node as read, its {@code fresh} left false (it depends on the reader's now). */
    record Row(InventoryNode node, String osColumn, String lifekeeperColumn, String readiness,
               StoreInventory.Facts facts) {
    }

    /** Every known node in cluster then node order, and by cluster and node. */
    record Snapshot(List<Row> rows, Map<String, Row> byKey, long readAtNanos, long generation) {
    }

    /** Reads every known node; the previous snapshot (null at first) lets it skip facts it already parsed. */
    interface Loader {
        List<Row> load(Snapshot previous);
    }

    /** Runs the refresher's work after a delay (0: now) on a thread of its own. */
    interface Background {
        void run(Runnable work, long delayNanos);
    }

    private final Loader loader;
    private final LongSupplier nanos;
    private final Background background;
    private final long refreshAfterNanos;
    private final long maxAgeNanos;
    private final long keepWarmNanos;
    private volatile long lastReadNanos;
    private volatile boolean closed;
    private final AtomicLong generation = new AtomicLong();
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private final Object lock = new Object();
    private volatile Snapshot snapshot;

    InventoryReadModel(Loader loader) {
        this(loader, System::nanoTime, InventoryReadModel::daemon, REFRESH_AFTER, MAX_AGE, KEEP_WARM);
    }

    /**
     * @param keepWarm after a read, the refresher keeps reading the store every {@code refreshAfter} for this long
     *                 (so the next reader rarely waits); zero: only when a reader finds the snapshot old
     */
    InventoryReadModel(Loader loader, LongSupplier nanos, Background background, Duration refreshAfter,
                       Duration maxAge, Duration keepWarm) {
        this.loader = Objects.requireNonNull(loader, "loader");
        this.nanos = Objects.requireNonNull(nanos, "nanos");
        this.background = Objects.requireNonNull(background, "background");
        this.refreshAfterNanos = refreshAfter.toNanos();
        this.maxAgeNanos = maxAge.toNanos();
        this.keepWarmNanos = keepWarm.toNanos();
    }

    static String key(String cluster, String node) {
        return cluster + '\u0000' + node;
    }

    /** A snapshot within the rules: the current one, or one read now (the store's refusal when it cannot be). */
    Snapshot read() {
        lastReadNanos = nanos.getAsLong();
        Snapshot s = snapshot;
        if (valid(s)) {
            long age = nanos.getAsLong() - s.readAtNanos();
            if (age <= refreshAfterNanos) {
                return s;
            }
            if (age <= maxAgeNanos) {
                refreshInBackground(0);
                return s;
            }
        }
        synchronized (lock) {
            s = snapshot;
            // Another reader (or the background) may have read it while this one waited.
            if (valid(s) && nanos.getAsLong() - s.readAtNanos() <= maxAgeNanos) {
                return s;
            }
            s = load();
        }
        if (keepWarmNanos > 0 && !closed) {
            refreshInBackground(refreshAfterNanos); // keeps it warm while it is read
        }
        return s;
    }

    /** The store is closed: the refresher stops keeping it warm (a read still reads). */
    void close() {
        closed = true;
    }

    /** A write by this instance changed what the inventory shows: the next read is exact. */
    void invalidate() {
        generation.incrementAndGet();
    }

    /**
     * After this instance ingested {@code report}: facts, a node the snapshot does not know (new or forgotten
     * before), other labels or another agent version change what the inventory shows; a heartbeat's receipt time
     * alone does not (it shows at the next refresh).
     */
    void ingested(Report report) {
        if (report.facts() != null) {
            invalidate();
            return;
        }
        Snapshot s = snapshot;
        if (s == null) {
            return; // the first read reads the store anyway
        }
        Row row = s.byKey().get(key(report.cluster(), report.node()));
        if (row == null || !row.node().labels().equals(report.labels())
                || !Objects.equals(row.node().agentVersion(), report.agentVersion())) {
            invalidate();
        }
    }

    private boolean valid(Snapshot s) {
        return s != null && s.generation() == generation.get();
    }

    /** Under the lock: reads the store (the time and generation taken before, so a write meanwhile outdates it). */
    private Snapshot load() {
        long gen = generation.get();
        long at = nanos.getAsLong();
        List<Row> rows = loader.load(snapshot);
        Map<String, Row> byKey = new HashMap<>(rows.size() * 2);
        rows.forEach(r -> byKey.put(key(r.node().cluster(), r.node().node()), r));
        Snapshot s = new Snapshot(List.copyOf(rows), byKey, at, gen);
        snapshot = s;
        return s;
    }

    /** One refresher at a time: none is started while one is pending. */
    private void refreshInBackground(long delayNanos) {
        if (!refreshing.compareAndSet(false, true)) {
            return;
        }
        try {
            background.run(this::refresh, delayNanos);
        } catch (RejectedExecutionException e) {
            refreshing.set(false);
        }
    }

    private void refresh() {
        boolean again = false;
        try {
            synchronized (lock) {
                Snapshot s = snapshot;
                if (!valid(s) || nanos.getAsLong() - s.readAtNanos() >= refreshAfterNanos) {
                    load();
                }
            }
            again = !closed && keepWarmNanos > 0 && nanos.getAsLong() - lastReadNanos < keepWarmNanos;
        } catch (RuntimeException e) {
            // Readers keep the snapshot up to its bound, then read (and are refused) themselves.
            LOG.warnf("the inventory could not be refreshed: %s", Sql.oneLine(e));
        } finally {
            refreshing.set(false);
        }
        if (again) {
            refreshInBackground(refreshAfterNanos);
        }
    }

    private static final ScheduledExecutorService REFRESHER =
            Executors.newScheduledThreadPool(1, work -> {
                Thread t = new Thread(work, "hulftark-inventory-refresh");
                t.setDaemon(true);
                return t;
            });

    /** One daemon thread for every store's refresher (a fleet view has one store): nothing to shut down. */
    private static void daemon(Runnable work, long delayNanos) {
        REFRESHER.schedule(work, delayNanos, TimeUnit.NANOSECONDS);
    }
}
