package io.hulftark.fleet.store;

import io.hulftark.fleet.view.InventoryNode;
import io.hulftark.wire.Report;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
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

    private final Loader loader;
    private final LongSupplier nanos;
    private final Executor background;
    private final long refreshAfterNanos;
    private final long maxAgeNanos;
    private final AtomicLong generation = new AtomicLong();
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private final Object lock = new Object();
    private volatile Snapshot snapshot;

    InventoryReadModel(Loader loader) {
        this(loader, System::nanoTime, InventoryReadModel::daemon, REFRESH_AFTER, MAX_AGE);
    }

    InventoryReadModel(Loader loader, LongSupplier nanos, Executor background, Duration refreshAfter,
                       Duration maxAge) {
        this.loader = Objects.requireNonNull(loader, "loader");
        this.nanos = Objects.requireNonNull(nanos, "nanos");
        this.background = Objects.requireNonNull(background, "background");
        this.refreshAfterNanos = refreshAfter.toNanos();
        this.maxAgeNanos = maxAge.toNanos();
    }

    static String key(String cluster, String node) {
        return cluster + '\u0000' + node;
    }

    /** A snapshot within the rules: the current one, or one read now (the store's refusal when it cannot be). */
    Snapshot read() {
        Snapshot s = snapshot;
        if (valid(s)) {
            long age = nanos.getAsLong() - s.readAtNanos();
            if (age <= refreshAfterNanos) {
                return s;
            }
            if (age <= maxAgeNanos) {
                refreshInBackground();
                return s;
            }
        }
        synchronized (lock) {
            s = snapshot;
            // Another reader (or the background) may have read it while this one waited.
            if (valid(s) && nanos.getAsLong() - s.readAtNanos() <= maxAgeNanos) {
                return s;
            }
            return load();
        }
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
        Map<String, Row> byKey = new java.util.HashMap<>(rows.size() * 2);
        rows.forEach(r -> byKey.put(key(r.node().cluster(), r.node().node()), r));
        Snapshot s = new Snapshot(List.copyOf(rows), byKey, at, gen);
        snapshot = s;
        return s;
    }

    private void refreshInBackground() {
        if (!refreshing.compareAndSet(false, true)) {
            return;
        }
        try {
            background.execute(() -> {
                try {
                    synchronized (lock) {
                        Snapshot s = snapshot;
                        if (!valid(s) || nanos.getAsLong() - s.readAtNanos() > refreshAfterNanos) {
                            load();
                        }
                    }
                } catch (RuntimeException e) {
                    // Readers keep the snapshot up to its bound, then read (and are refused) themselves.
                    LOG.warnf("the inventory could not be refreshed: %s", Sql.oneLine(e));
                } finally {
                    refreshing.set(false);
                }
            });
        } catch (RejectedExecutionException e) {
            refreshing.set(false);
        }
    }

    /** A thread of its own per refresh (at most one at a time, at most one every 2 s): nothing to shut down. */
    private static void daemon(Runnable work) {
        Thread t = new Thread(work, "hulftark-inventory-refresh");
        t.setDaemon(true);
        t.start();
    }
}
