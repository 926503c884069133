package io.hulftark.fleet.store;

import io.hulftark.wire.Report;
import io.hulftark.fleet.view.InventoryCounts;
import io.hulftark.fleet.view.InventoryNode;
import io.hulftark.fleet.view.InventoryPage;
import io.hulftark.fleet.view.InventoryQuery;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the fleet view knows, kept so that it survives a restart and so that several fleet-view instances
 * on one database serve the same view. Every write derives the cluster's state in the same transaction
 * (ClusterStateDeriver), so the stored state, its since and the STATE events are always consistent, whichever
 * instance wrote them. Reports are validated before they get here.
 *
 * <p>Unknown clusters: {@code acknowledge}, {@code addMaintenance} and {@code forgetNode} throw
 * {@link UnknownClusterException}.
 */
public interface FleetStore extends AutoCloseable {

    /** Takes a validated report received now: the node's latest state (if newer), its new events, the cluster's state. */
    IngestResult ingest(Report report, Instant receivedAt);

    /**
     * Derives again every cluster whose state may have changed by the passage of time alone (a report went
     * stale, a maintenance window began or ended, flapping aged out) and records the changes.
     *
     * @return how many clusters were derived again
     */
    int reevaluateDue(Instant now);

    Summary summary(Instant now);

    ClusterPage clusters(ClusterQuery query, Instant now);

    /** @param historyLimit newest events of the cluster to include */
    Optional<ClusterDetail> cluster(String name, int historyLimit, Instant now);

    List<FleetEvent> events(EventQuery query);

    /**
     * The table rows of those of {@code names} that exist, in one read where the store can: notifications check
     * acknowledgement and maintenance of a failover burst's clusters at once.
     */
    default Map<String, ClusterRow> rows(Collection<String> names, Instant now) {
        Map<String, ClusterRow> out = new HashMap<>();
        for (String name : names) {
            cluster(name, 0, now).ifPresent(d -> out.put(name, d.cluster()));
        }
        return out;
    }

    long lastEventId();

    /**
     * Acknowledges the cluster's current problem (its state and reason now), replacing an acknowledgement in force;
     * see {@link io.hulftark.fleet.state.Acknowledgement} for when it ends. The store ends it in the transaction that
     * derives the state, with an ACK event ("acknowledgement by alice ended: cluster recovered").
     *
     * @param until null: it lasts as long as its problem
     * @throws AcknowledgementRefusedException the cluster is OK: there is no problem to acknowledge
     */
    AckView acknowledge(String cluster, String by, String comment, Instant until, boolean sticky, Instant now);

    /** @return false when there is no such acknowledgement of that cluster */
    boolean removeAcknowledgement(String cluster, long id, String by, Instant now);

    /**
     * Records the window (one-off or weekly) and derives the cluster again. A window never changes the state: the
     * rows say {@code inMaintenance} while an occurrence covers now, and each edge is a recheck instant.
     */
    MaintenanceView addMaintenance(String cluster, io.hulftark.fleet.state.Maintenance window, String by, Instant now);

    /** @return false when there is no such window of that cluster */
    boolean removeMaintenance(String cluster, long id, String by, Instant now);

    /** Forgets a decommissioned node, so its silence no longer degrades the cluster. @return false when unknown */
    boolean forgetNode(String cluster, String node, String by, Instant now);

    /** Deletes events older than {@code before}, and acknowledgements and windows that ended before it. @return rows deleted */
    long prune(Instant before);

    @Override
    void close();

    /**
     * Every cluster's row with its count of silent nodes, read in one statement (one consistent view of the fleet),
     * for the metrics: one read per scrape instead of one per gauge.
     */
    List<ClusterSnapshotRow> snapshot(Instant now);

    // The inventory's defaults only serve the tests' fakes of the store, which have no nodes to list: both real
    // stores (JdbcFleetStore, GuardedFleetStore) implement them.

    /**
     * One page of the inventory (issue 13): known nodes (not forgotten) with their latest facts, filtered, searched,
     * sorted and paged as {@code query} says; ties broken by cluster then node, so pages never overlap.
     */
    default InventoryPage inventory(InventoryQuery query, Instant now) {
        throw new UnsupportedOperationException(this + " keeps no inventory");
    }

    /**
     * Every known node that matches {@code query} (its offset and limit ignored), in its order, each handed to
     * {@code sink} as it is read: a CSV export of 10,000 nodes never holds them all.
     */
    default void exportInventory(InventoryQuery query, Instant now, java.util.function.Consumer<InventoryNode> sink) {
        throw new UnsupportedOperationException(this + " keeps no inventory");
    }

    /** How many known nodes run what, by agent version, OS, JVM and LifeKeeper version. */
    default InventoryCounts inventoryCounts() {
        throw new UnsupportedOperationException(this + " keeps no inventory");
    }
}
