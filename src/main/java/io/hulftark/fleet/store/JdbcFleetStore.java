package io.hulftark.fleet.store;

import io.hulftark.wire.Report;
import io.hulftark.fleet.state.ClusterEvaluator;
import io.hulftark.fleet.state.Maintenance;
import io.hulftark.fleet.view.AckView;
import io.hulftark.fleet.view.ClusterDetail;
import io.hulftark.fleet.view.ClusterPage;
import io.hulftark.fleet.view.ClusterQuery;
import io.hulftark.fleet.view.ClusterRow;
import io.hulftark.fleet.view.ClusterSnapshotRow;
import io.hulftark.fleet.view.EventQuery;
import io.hulftark.fleet.view.FleetEvent;
import io.hulftark.fleet.view.MaintenanceView;
import io.hulftark.fleet.view.Summary;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import javax.sql.DataSource;


/**
 * The fleet store on a relational database: H2 (embedded, a file under the state directory) or PostgreSQL
 * (several fleet-view instances on one database). The schema is Flyway's {@code db/fleet}.
 *
 * <p>Every write to a cluster runs in one transaction that first locks the cluster's row (SELECT ... FOR
 * UPDATE, or for a report derived from what this instance wrote last, the UPDATE of the row on the condition
 * that its version is still the one known), so writes to one cluster are serialized across threads and across
 * fleet-view instances, and each state change is recorded exactly once. Writes to different clusters never
 * wait for each other.
 *
 * <p>The work is split by what it is for: {@link StoreIngest} (reports), {@link StoreQueries} (reads),
 * {@link StoreOperatorWrites} (acknowledgements, windows, forgetting a node), {@link StoreRetention} (pruning);
 * each write ends in {@link StoreEvaluation}, and {@link StoreRows} holds the rows they share.
 *
 * <p>The pool belongs to whoever built it: {@link #close()} leaves it open.
 */
public final class JdbcFleetStore implements FleetStore {

    /** Where the SQL of the two databases differs. */
    public enum Dialect {
        H2("name", "db/fleet"),
        // PostgreSQL sorts text by the database's locale; "C" sorts like H2 and Java, the same on every site.
        // Its own scripts tune the tables for its way of updating rows (application.properties says the same).
        POSTGRESQL("name COLLATE \"C\"", "db/fleet", "db/fleet-postgresql");

        private final String nameOrder;
        private final List<String> migrations;

        Dialect(String nameOrder, String... migrations) {
            this.nameOrder = nameOrder;
            this.migrations = List.of(migrations);
        }

        /** How the cluster table orders by name. */
        String nameOrder() {
            return nameOrder;
        }

        /** Flyway's locations for this database: the shared scripts and its own (versions never collide). */
        public List<String> migrations() {
            return migrations;
        }
    }

    /**
     * What drift and readiness findings do (hulftark.fleet.readiness.*, issue 13).
     *
     * @param degrade     they make an otherwise OK cluster DEGRADED; false: warnings only
     * @param perNodeKeys settings that may differ between a cluster's nodes: never drift
     */
    public record Readiness(boolean degrade, Set<String> perNodeKeys) {
        /** Findings degrade; every setting must be equal on every node. */
        public static final Readiness DEFAULT = new Readiness(true, Set.of());

        public Readiness {
            perNodeKeys = perNodeKeys == null ? Set.of() : Set.copyOf(perNodeKeys);
        }
    }

    private final Dialect dialect;
    private final StoreEvaluation evaluation;
    private final StoreIngest ingest;
    private final StoreQueries queries;
    private final StoreOperatorWrites operatorWrites;
    private final StoreRetention retention;
    private final StoreInventory inventory;

    public JdbcFleetStore(DataSource dataSource, Dialect dialect, Duration freshFor, Duration flapWindow,
                          int flapChanges) {
        this(dataSource, dialect, freshFor, flapWindow, flapChanges, Readiness.DEFAULT);
    }

    public JdbcFleetStore(DataSource dataSource, Dialect dialect, Duration freshFor, Duration flapWindow,
                          int flapChanges, Readiness readiness) {
        Objects.requireNonNull(dataSource, "dataSource");
        this.dialect = Objects.requireNonNull(dialect, "dialect");
        this.evaluation = new StoreEvaluation(dataSource,
                new ClusterEvaluator(freshFor, flapWindow, flapChanges, readiness.degrade()),
                readiness.degrade() ? new ClusterEvaluator(freshFor, flapWindow, flapChanges, false) : null,
                readiness.perNodeKeys());
        this.ingest = new StoreIngest(dataSource, dialect, evaluation);
        this.queries = new StoreQueries(dataSource, dialect, freshFor);
        this.operatorWrites = new StoreOperatorWrites(dataSource, evaluation, ingest);
        this.retention = new StoreRetention(dataSource);
        this.inventory = new StoreInventory(dataSource, dialect, freshFor);
    }

    /**
     * Writes every state change to the notifications' outbox too, in the transaction of its STATE event, so a
     * change is told exactly once whichever instance made it. Off (nothing written) when no receiver is configured.
     */
    public void recordStateChanges(boolean on) {
        evaluation.recordStateChanges(on);
    }

    // ---------------------------------------------------------------- ingest (StoreIngest)

    @Override
    public IngestResult ingest(Report report, Instant receivedAt) {
        try {
            return ingest.ingest(report, receivedAt);
        } finally {
            inventory.model().ingested(report); // after the commit: the next read sees it (when it shows)
        }
    }

    @Override
    public int reevaluateDue(Instant now) {
        return evaluation.reevaluateDue(now);
    }

    // ---------------------------------------------------------------- queries (StoreQueries)

    @Override
    public Summary summary(Instant now) {
        return queries.summary(now);
    }

    @Override
    public ClusterPage clusters(ClusterQuery query, Instant now) {
        return queries.clusters(query, now);
    }

    /** The statement of a page of the cluster table (tests check that it reads an index). */
    String pageSql(String where, ClusterQuery.Sort sort) {
        return queries.pageSql(where, sort);
    }

    @Override
    public Map<String, ClusterRow> rows(Collection<String> names, Instant now) {
        return queries.rows(names, now);
    }

    @Override
    public Optional<ClusterDetail> cluster(String name, int historyLimit, Instant now) {
        return queries.cluster(name, historyLimit, now);
    }

    @Override
    public List<FleetEvent> events(EventQuery query) {
        return queries.events(query);
    }

    @Override
    public long lastEventId() {
        return queries.lastEventId();
    }

    @Override
    public List<ClusterSnapshotRow> snapshot(Instant now) {
        return queries.snapshot(now);
    }

    // ---------------------------------------------------------------- operator writes (StoreOperatorWrites)

    @Override
    public AckView acknowledge(String cluster, String by, String comment, Instant until, boolean sticky, Instant now) {
        return operatorWrites.acknowledge(cluster, by, comment, until, sticky, now);
    }

    @Override
    public boolean removeAcknowledgement(String cluster, long id, String by, Instant now) {
        return operatorWrites.removeAcknowledgement(cluster, id, by, now);
    }

    @Override
    public MaintenanceView addMaintenance(String cluster, Maintenance window, String by, Instant now) {
        return operatorWrites.addMaintenance(cluster, window, by, now);
    }

    @Override
    public boolean removeMaintenance(String cluster, long id, String by, Instant now) {
        return operatorWrites.removeMaintenance(cluster, id, by, now);
    }

    @Override
    public boolean forgetNode(String cluster, String node, String by, Instant now) {
        try {
            return operatorWrites.forgetNode(cluster, node, by, now);
        } finally {
            inventory.model().invalidate();
        }
    }

    // ---------------------------------------------------------------- retention (StoreRetention)

    @Override
    public long prune(Instant before) {
        return retention.prune(before);
    }

    @Override
    public void close() {
        // The pool is the caller's (Quarkus's, or a test's): only the inventory's refresher to stop.
        inventory.model().close();
    }

    @Override
    public String toString() {
        return "JdbcFleetStore[" + dialect + "]";
    }

    // ---------------------------------------------------------------- inventory (StoreInventory)

    @Override
    public io.hulftark.fleet.view.InventoryPage inventory(io.hulftark.fleet.view.InventoryQuery query, Instant now) {
        return inventory.inventory(query, now);
    }

    @Override
    public void exportInventory(io.hulftark.fleet.view.InventoryQuery query, Instant now,
                                java.util.function.Consumer<io.hulftark.fleet.view.InventoryNode> sink) {
        inventory.export(query, now, sink);
    }

    @Override
    public io.hulftark.fleet.view.InventoryCounts inventoryCounts() {
        return inventory.counts();
    }
}
