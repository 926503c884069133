package io.hulftark.fleet.store;

import io.hulftark.wire.Report;
import io.hulftark.fleet.view.AckView;
import io.hulftark.fleet.view.ClusterDetail;
import io.hulftark.fleet.view.ClusterPage;
import io.hulftark.fleet.view.ClusterQuery;
import io.hulftark.fleet.view.ClusterSnapshotRow;
import io.hulftark.fleet.view.ClusterRow;
import io.hulftark.fleet.view.EventQuery;
import io.hulftark.fleet.view.FleetEvent;
import io.hulftark.fleet.view.MaintenanceView;
import io.hulftark.fleet.view.Summary;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The store as the service uses it, through a full disk or a lost database server: a failure of that kind
 * ({@link StoreFault}) marks the store unavailable, drops the pool's dead connections, and from then on every
 * write is refused at once with the same 503 until {@link #probe()} finds the store writable again (reads are
 * still tried: what was kept can be shown). Nothing is answered as kept that was not committed: a write is
 * only ever refused, never taken on trust.
 */
public final class GuardedFleetStore implements FleetStore {

    /** Proves the store can write again: throws when it cannot. */
    @FunctionalInterface
    public interface Probe {
        void run() throws Exception;
    }

    private final FleetStore delegate;
    private final StoreAvailability availability;
    private final Probe probe;
    private final Runnable dropConnections;

    /**
     * @param probe           a real write where the store keeps its data (H2: a file next to the database; the
     *                        server: a round trip), then a read through fresh connections
     * @param dropConnections closes the pool's connections, which a closed H2 database or a lost server left dead
     */
    public GuardedFleetStore(FleetStore delegate, StoreAvailability availability, Probe probe,
                             Runnable dropConnections) {
        this.delegate = delegate;
        this.availability = availability;
        this.probe = probe;
        this.dropConnections = dropConnections;
    }

    public StoreAvailability availability() {
        return availability;
    }

    /**
     * While unavailable: tries the probe and, when it passes, takes writes again. Called every second by the
     * service, so the store recovers by itself when space returns or the server is back.
     *
     * @return true when the store takes writes
     */
    public boolean probe() {
        Optional<StoreAvailability.Down> down = availability.down();
        if (down.isEmpty()) {
            return true;
        }
        try {
            dropConnections.run();
            probe.run();
            availability.writable();
            return true;
        } catch (Exception e) {
            StoreFault.of(e).ifPresent(availability::failed);
            return false;
        }
    }

    private <T> T write(String what, Supplier<T> work) {
        availability.refusal(what).ifPresent(e -> {
            throw e;
        });
        T result = guard(work);
        availability.writable();
        return result;
    }

    private <T> T guard(Supplier<T> work) {
        try {
            return work.get();
        } catch (FleetStoreException e) {
            if (e.fault().isPresent()) {
                availability.failed(e.fault().get());
                dropConnections.run();
            }
            throw e;
        } catch (RuntimeException e) {
            // A fault that escaped the store's own wrapping (thrown outside a statement, e.g. by the storage engine)
            // is still a fault of the store: 503 and recovery by the probe, never a bare 500.
            Optional<StoreFault> fault = StoreFault.of(e);
            if (fault.isEmpty()) {
                throw e;
            }
            availability.failed(fault.get());
            dropConnections.run();
            throw new FleetStoreException("fleet store: " + fault.get().describe(), e, fault.get());
        }
    }

    @Override
    public IngestResult ingest(Report report, Instant receivedAt) {
        return write("ingest of " + report.cluster() + "/" + report.node(), () -> delegate.ingest(report, receivedAt));
    }

    @Override
    public int reevaluateDue(Instant now) {
        return write("reevaluation", () -> delegate.reevaluateDue(now));
    }

    @Override
    public Summary summary(Instant now) {
        return guard(() -> delegate.summary(now));
    }

    @Override
    public ClusterPage clusters(ClusterQuery query, Instant now) {
        return guard(() -> delegate.clusters(query, now));
    }

    @Override
    public Optional<ClusterDetail> cluster(String name, int historyLimit, Instant now) {
        return guard(() -> delegate.cluster(name, historyLimit, now));
    }

    @Override
    public Map<String, ClusterRow> rows(Collection<String> names, Instant now) {
        return guard(() -> delegate.rows(names, now));
    }

    @Override
    public List<FleetEvent> events(EventQuery query) {
        return guard(() -> delegate.events(query));
    }

    @Override
    public long lastEventId() {
        return guard(delegate::lastEventId);
    }

    @Override
    public AckView acknowledge(String cluster, String by, String comment, Instant until, boolean sticky, Instant now) {
        return write("acknowledgement of " + cluster,
                () -> delegate.acknowledge(cluster, by, comment, until, sticky, now));
    }

    @Override
    public boolean removeAcknowledgement(String cluster, long id, String by, Instant now) {
        return write("removal of an acknowledgement", () -> delegate.removeAcknowledgement(cluster, id, by, now));
    }

    @Override
    public MaintenanceView addMaintenance(String cluster, io.hulftark.fleet.state.Maintenance window, String by,
                                          Instant now) {
        return write("maintenance of " + cluster, () -> delegate.addMaintenance(cluster, window, by, now));
    }

    @Override
    public boolean removeMaintenance(String cluster, long id, String by, Instant now) {
        return write("removal of a maintenance window", () -> delegate.removeMaintenance(cluster, id, by, now));
    }

    @Override
    public boolean forgetNode(String cluster, String node, String by, Instant now) {
        return write("forgetting " + cluster + "/" + node, () -> delegate.forgetNode(cluster, node, by, now));
    }

    @Override
    public long prune(Instant before) {
        return write("prune", () -> delegate.prune(before));
    }

    @Override
    public void close() {
        delegate.close();
    }

    /** The store it guards, as logs and tests name it. */
    @Override
    public String toString() {
        return delegate.toString();
    }

    @Override
    public List<ClusterSnapshotRow> snapshot(Instant now) {
        return guard(() -> delegate.snapshot(now));
    }

    @Override
    public io.hulftark.fleet.view.InventoryPage inventory(io.hulftark.fleet.view.InventoryQuery query, Instant now) {
        return guard(() -> delegate.inventory(query, now));
    }

    @Override
    public void exportInventory(io.hulftark.fleet.view.InventoryQuery query, Instant now,
                                java.util.function.Consumer<io.hulftark.fleet.view.InventoryNode> sink) {
        guard(() -> {
            delegate.exportInventory(query, now, sink);
            return null;
        });
    }

    @Override
    public io.hulftark.fleet.view.InventoryCounts inventoryCounts() {
        return guard(delegate::inventoryCounts);
    }
}
