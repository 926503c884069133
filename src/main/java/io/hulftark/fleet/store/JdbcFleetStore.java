package io.hulftark.fleet.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.hulftark.wire.Status;
import io.hulftark.fleet.notify.JdbcOutbox;
import io.hulftark.wire.Report;
import io.hulftark.fleet.state.Acknowledgement;
import io.hulftark.fleet.state.ClusterEvaluator;
import io.hulftark.fleet.state.ClusterState;
import io.hulftark.fleet.state.ClusterStateDeriver;
import io.hulftark.fleet.state.Maintenance;
import io.hulftark.fleet.state.NodeReport;
import io.hulftark.fleet.state.ResourceReport;
import io.hulftark.fleet.view.AckView;
import io.hulftark.fleet.view.ClusterDetail;
import io.hulftark.fleet.view.ClusterPage;
import io.hulftark.fleet.view.ClusterQuery;
import io.hulftark.fleet.view.ClusterRow;
import io.hulftark.fleet.view.ClusterSnapshotRow;
import io.hulftark.fleet.view.EventQuery;
import io.hulftark.fleet.view.FleetEvent;
import io.hulftark.fleet.view.FleetNode;
import io.hulftark.fleet.view.MaintenanceView;
import io.hulftark.fleet.view.Summary;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

import javax.sql.DataSource;

import static io.hulftark.fleet.store.Sql.getInstant;
import static io.hulftark.fleet.store.Sql.micros;
import static io.hulftark.fleet.store.Sql.setInstant;

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

        /** Flyway's locations for this database: the shared scripts and its own (versions never collide). */
        public List<String> migrations() {
            return migrations;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() { };
    private static final TypeReference<List<Instant>> INSTANTS = new TypeReference<>() { };
    private static final TypeReference<List<Report.Resource>> RESOURCES = new TypeReference<>() { };
    private static final int DUE_BATCH = 500;
    private static final int PRUNE_BATCH = 10_000;
    private static final int INGEST_STRIPES = 1024; // a power of two

    private static final String CLUSTER_COLUMNS =
            "id, name, state, since, serving, serving_changes, ack_until, ack_by, ack_sticky, maintenance_until, "
            + "in_maintenance, version";
    private static final String ROW_COLUMNS = "name, state, since, reason, problem_count, flapping, ack_until, ack_by, "
            + "ack_sticky, window_from, window_until, nodes, serving, last_report_at";
    /** An open-ended recurring window's end, for the latest end of a cluster's windows (maintenance_until). */
    private static final Instant NEVER = Instant.parse("9999-12-31T00:00:00Z");
    private static final String NODE_COLUMNS = "name, forgotten, received_at, sent_at, agent_version, "
            + "agent_started_at, seq, dropped, resources, instance";
    private static final String EVENT_COLUMNS = "id, at, cluster, node, kind, tag, text, state";
    private static final String INSERT_EVENT = "INSERT INTO fleet_event (at, cluster, node, kind, tag, text, state, "
            + "agent_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";

    private final DataSource dataSource;
    private final Dialect dialect;
    private final ClusterEvaluator evaluator;
    private final Duration freshFor;
    /**
     * Each cluster as this instance's last ingest committed it: its row (with the version it wrote) and its
     * nodes' rows. The next report of the cluster is derived from it and written with "UPDATE ... WHERE version
     * = the one known", which both locks the row and proves that nobody wrote the cluster since; only when that
     * fails (another instance, an operator, a re-derivation wrote it) are the rows read again under the lock.
     * About 1 KB a node; one entry per cluster, as the table.
     */
    private final Map<String, Known> known = new ConcurrentHashMap<>();
    /**
     * Reports of one cluster ingested here one after the other (by stripe of the cluster's name): the two nodes
     * of a cluster failing over report at the same moment, and the second then starts from the first's
     * committed rows instead of finding the version moved on and reading them again under the row lock. A
     * report waits here without holding a connection. Other instances and operator writes are still excluded
     * by the row's version and lock only.
     */
    private final ReentrantLock[] ingestStripes = new ReentrantLock[INGEST_STRIPES];
    /** Whether each state change is also written to the notifications' outbox (fleet/notify): only with receivers. */
    private volatile boolean recordStateChanges;

    public JdbcFleetStore(DataSource dataSource, Dialect dialect, Duration freshFor, Duration flapWindow,
                          int flapChanges) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.dialect = Objects.requireNonNull(dialect, "dialect");
        this.evaluator = new ClusterEvaluator(freshFor, flapWindow, flapChanges);
        this.freshFor = freshFor;
        for (int i = 0; i < ingestStripes.length; i++) {
            ingestStripes[i] = new ReentrantLock();
        }
    }

    /**
     * Writes every state change to the notifications' outbox too, in the transaction of its STATE event, so a
     * change is told exactly once whichever instance made it. Off (nothing written) when no receiver is configured.
     */
    public void recordStateChanges(boolean on) {
        this.recordStateChanges = on;
    }

    // ---------------------------------------------------------------- what is kept of a cluster and its nodes

    /**
     * The locked cluster row: what the evaluator needs besides nodes and windows, and its version.
     *
     * @param ackBy who gave the acknowledgement in force (null: none); ackUntil its expiry (null: none)
     */
    private record Locked(long id, String name, ClusterEvaluator.Record record, Instant ackUntil, String ackBy,
                          boolean ackSticky, Instant maintenanceUntil, boolean inMaintenance, long version) {

        Locked with(Ack ack, Instant maintenanceUntil) {
            return new Locked(id, name, record, ack == null ? null : ack.until(), ack == null ? null : ack.by(),
                    ack != null && ack.sticky(), maintenanceUntil, inMaintenance, version);
        }

        boolean acked() {
            return ackBy != null;
        }

        boolean ackActive(Instant now) {
            return ackBy != null && (ackUntil == null || now.isBefore(ackUntil));
        }
    }

    /** A kept acknowledgement (fleet_ack), as the rules of {@link Acknowledgement} read it. */
    private record Ack(long id, Acknowledgement ack) {
        String by() {
            return ack.by();
        }

        Instant until() {
            return ack.until();
        }

        boolean sticky() {
            return ack.sticky();
        }
    }

    /**
     * A cluster's row and its node rows (unmodifiable) as a committed write left them, and its windows not over
     * then (read when one could matter: a weekly series is never over, and its cluster's reports take the short
     * path too). Every change to the windows writes the row, so a known version holds the windows' too.
     */
    private record Known(Locked cluster, Map<String, NodeRow> nodes, List<Maintenance> windows) {
    }

    /** What an ingest's transaction leaves for after its commit. */
    private record Ingested(IngestResult result, Known known) {
    }

    /** @param instance the agent process of the latest report (V6); null in a row from before it */
    private record NodeRow(String name, boolean forgotten, Instant receivedAt, Instant sentAt, String agentVersion,
                           Instant agentStartedAt, long seq, long dropped, List<Report.Resource> resources,
                           String instance) {

        /** The agent process of the row's report: an agent without an instance id is one process per start. */
        String process() {
            return instance != null ? instance : "started@" + agentStartedAt;
        }

        NodeReport toNodeReport() {
            return new NodeReport(name, receivedAt, resources.stream().map(r -> new ResourceReport(r.tag(),
                    r.status() == null ? Status.UNKNOWN : r.status(), r.role() == null ? "unknown" : r.role(),
                    r.reason())).toList());
        }
    }

    /** An event to append; agentSeq is set for the agent's own events, which are taken once. */
    private record NewEvent(Instant at, String cluster, String node, String kind, String tag, String text,
                            ClusterState state, Long agentSeq) {

        static NewEvent fleet(Instant at, String cluster, String node, String kind, String text) {
            return new NewEvent(at, cluster, node, kind, null, text, null, null);
        }
    }

    // ---------------------------------------------------------------- ingest

    @Override
    public IngestResult ingest(Report report, Instant receivedAt) {
        Instant now = micros(receivedAt);
        String what = "ingest of " + report.cluster() + "/" + report.node();
        ReentrantLock stripe = ingestStripes[report.cluster().hashCode() & (INGEST_STRIPES - 1)];
        stripe.lock();
        try {
            Known last = known.get(report.cluster());
            Optional<Ingested> done = last == null ? Optional.empty() : heartbeat(what, last, report, now);
            Ingested ingested = done.orElseGet(() -> Sql.transaction(dataSource, what, c -> ingest(c, report, now)));
            // Committed: the next report of the cluster starts from here (unless a later write came first).
            known.merge(report.cluster(), ingested.known(),
                    (old, mine) -> mine.cluster().version() > old.cluster().version() ? mine : old);
            return ingested.result();
        } finally {
            stripe.unlock();
        }
    }

    /**
     * The common report, from what this instance wrote last: a node already known, newer, with nothing dropped,
     * no acknowledgement to end. The cluster's row is written on the condition that its version
     * is still the one known (so nobody wrote the cluster since: this also locks it), then the node's row and
     * the events. A heartbeat (no event, no change of state) on PostgreSQL is one statement: one round trip,
     * its own transaction. Empty, having written nothing, when the report is not such a one or the version
     * moved on.
     */
    private Optional<Ingested> heartbeat(String what, Known last, Report report, Instant now) {
        Locked cluster = last.cluster();
        NodeRow kept = last.nodes().get(report.node());
        if (kept == null || kept.forgotten() || !newer(report, kept)) {
            return Optional.empty();
        }
        NodeRow row = row(report, now);
        if (newlyDropped(kept, row) > 0) {
            return Optional.empty();
        }
        Map<String, NodeRow> nodes = new TreeMap<>(last.nodes());
        nodes.put(row.name(), row);
        Derivation d = derive(cluster, nodes, last.windows(), now);
        if (recordStateChanges && d.ev().changed()) {
            return Optional.empty(); // a change of state takes the locked path, where evaluate() records it
        }
        if (cluster.acked() && (d.ev().changed() || d.ev().derived().state() == ClusterState.OK
                || !cluster.ackActive(now)) || cluster.inMaintenance() != d.ev().derived().inMaintenance()) {
            return Optional.empty(); // an acknowledgement ends or a window begins or ends: the full path records it
        }
        List<NewEvent> events = agentEvents(cluster.name(), report);
        List<NewEvent> all = new ArrayList<>(events);
        stateChange(cluster, d, now).ifPresent(all::add); // after the transitions that caused it
        int newEvents; // -1: the version moved on
        if (dialect == Dialect.POSTGRESQL) {
            newEvents = Sql.autoCommitted(dataSource, what, c -> writeReport(c, cluster, d, row, all, now));
        } else {
            newEvents = Sql.transaction(dataSource, what, c -> updateClusterAndNode(c, cluster, d, row, now)
                    ? taken(insertEvents(c, all), 0, events.size()) : -1);
        }
        return newEvents < 0 ? Optional.empty() : Optional.of(new Ingested(new IngestResult(
                IngestResult.Outcome.ACCEPTED, newEvents, d.ev().derived().state(), d.ev().changed()),
                known(cluster, d.ev(), nodes, last.windows())));
    }

    /** The report's transitions and actions, to be taken once each. */
    private static List<NewEvent> agentEvents(String cluster, Report report) {
        return report.events().stream().map(e -> new NewEvent(micros(e.at()), cluster, report.node(),
                "action".equalsIgnoreCase(e.type()) ? FleetEvent.ACTION : FleetEvent.TRANSITION, e.tag(), e.text(),
                null, e.seq())).toList();
    }

    /**
     * The cluster's row as derived, if still at the version known (which also locks it), then the node's row;
     * on PostgreSQL in one statement. False, having written nothing, when the version moved on.
     */
    private boolean updateClusterAndNode(Connection c, Locked cluster, Derivation d, NodeRow row, Instant now)
            throws SQLException {
        if (dialect == Dialect.POSTGRESQL) {
            try (PreparedStatement ps = c.prepareStatement("WITH c AS (" + UPDATE_CLUSTER + " RETURNING id) "
                    + UPDATE_NODE_SET + "WHERE cluster_id = (SELECT id FROM c) AND name = ?")) {
                int i = bindCluster(ps, 1, cluster, d, now);
                setNodeReport(ps, i, row);
                ps.setString(i + 8, row.name());
                return ps.executeUpdate() > 0;
            }
        }
        if (!updateCluster(c, cluster, d, now)) {
            return false;
        }
        updateNode(c, cluster.id(), row);
        return true;
    }

    /**
     * PostgreSQL: a short-path report as one statement, its own transaction: the cluster's row if still at the
     * version known, the node's row, and the events in their order (none when the version moved on). Returns
     * how many agent events were taken, or -1 when the version moved on and nothing was written.
     */
    private int writeReport(Connection c, Locked cluster, Derivation d, NodeRow row, List<NewEvent> events,
                            Instant now) throws SQLException {
        if (events.isEmpty()) {
            return updateClusterAndNode(c, cluster, d, row, now) ? 0 : -1;
        }
        try (PreparedStatement ps = c.prepareStatement(WRITE_REPORT)) {
            int i = bindCluster(ps, 1, cluster, d, now);
            setNodeReport(ps, i, row);
            ps.setString(i + 8, row.name());
            i += 9;
            String[][] columns = new String[8][events.size()];
            for (int k = 0; k < events.size(); k++) {
                NewEvent e = events.get(k);
                columns[0][k] = e.at().toString();
                columns[1][k] = e.cluster();
                columns[2][k] = e.node();
                columns[3][k] = e.kind();
                columns[4][k] = e.tag();
                columns[5][k] = e.text();
                columns[6][k] = e.state() == null ? null : e.state().name();
                columns[7][k] = e.agentSeq() == null ? null : e.agentSeq().toString();
            }
            for (String[] column : columns) {
                ps.setArray(i++, c.createArrayOf("text", column));
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong("written") > 0 ? rs.getInt("taken") : -1;
            }
        }
    }

    /** How many of a batch's inserts from {@code from} to {@code to} took a row (an event already kept takes none). */
    private static int taken(int[] inserted, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            n += inserted[i] > 0 ? 1 : 0;
        }
        return n;
    }

    /** What the agent dropped since the kept report: dropped counts since the agent process started. */
    private static long newlyDropped(NodeRow kept, NodeRow row) {
        long before = kept != null && !kept.forgotten() && kept.process().equals(row.process()) ? kept.dropped() : 0;
        return Math.max(0, row.dropped() - before);
    }

    private static NodeRow row(Report report, Instant now) {
        return new NodeRow(report.node(), false, now, micros(report.sentAt()), report.agentVersion(),
                micros(report.agentStartedAt()), report.seq(), report.dropped(), report.resources(), process(report));
    }

    /** The agent process that sent the report: an agent without an instance id is one process per start. */
    private static String process(Report report) {
        return report.instance() != null ? report.instance() : "started@" + micros(report.agentStartedAt());
    }

    /** The cluster as a write that derived {@code ev} from {@code nodes} leaves it. */
    private static Known known(Locked cluster, ClusterEvaluator.Evaluation ev, Map<String, NodeRow> nodes,
                               List<Maintenance> windows) {
        return new Known(new Locked(cluster.id(), cluster.name(), ev.record(), cluster.ackUntil(), cluster.ackBy(),
                cluster.ackSticky(), cluster.maintenanceUntil(), ev.derived().inMaintenance(), cluster.version() + 1),
                Collections.unmodifiableMap(nodes), windows);
    }

    /** Any report: the cluster's row locked (created if new), its node rows read unless known at its version. */
    private Ingested ingest(Connection c, Report report, Instant now) throws SQLException {
        Locked cluster = lockOrCreate(c, report.cluster());
        Known last = known.get(report.cluster());
        Map<String, NodeRow> nodes = last != null && last.cluster().version() == cluster.version()
                ? new TreeMap<>(last.nodes()) : nodes(c, cluster.id());
        NodeRow kept = nodes.get(report.node());
        List<NewEvent> events = new ArrayList<>();
        boolean accepted = kept == null || newer(report, kept);
        if (accepted) {
            NodeRow row = row(report, now);
            if (kept == null) {
                insertNode(c, cluster.id(), row, now);
                events.add(NewEvent.fleet(now, cluster.name(), row.name(), FleetEvent.NODE,
                        "node " + row.name() + " first seen"));
            } else {
                updateNode(c, cluster.id(), row);
                if (kept.forgotten()) {
                    events.add(NewEvent.fleet(now, cluster.name(), row.name(), FleetEvent.NODE,
                            "node " + row.name() + " reports again after it was forgotten"));
                }
            }
            long dropped = newlyDropped(kept, row);
            if (dropped > 0) {
                events.add(NewEvent.fleet(now, cluster.name(), row.name(), FleetEvent.NODE,
                        "agent dropped " + dropped + " events"));
            }
            nodes.put(row.name(), row);
        }
        int agentEventsFrom = events.size();
        events.addAll(agentEvents(cluster.name(), report));
        int newEvents = taken(insertEvents(c, events), agentEventsFrom, events.size());
        Evaluated e = evaluate(c, cluster, nodes, now);
        ClusterEvaluator.Evaluation ev = e.ev();
        return new Ingested(new IngestResult(accepted ? IngestResult.Outcome.ACCEPTED
                : IngestResult.Outcome.OUTDATED, newEvents, ev.derived().state(), ev.changed()),
                known(e.cluster(), ev, nodes, e.windows()));
    }

    /**
     * Whether a report replaces the node's kept one. Never by the agent's clock, which may run ahead or be forged:
     * within one agent process by its seq; a report of another process is newer, because the fleet view received
     * it later (an agent restarted). Remembering replaced processes as old would let one forged report silence the
     * real agent until it restarts; a late report of a process before a restart is shown until the next one, a
     * heartbeat at most. A forgotten node has no order left: any report is its first.
     */
    private static boolean newer(Report report, NodeRow kept) {
        if (kept.forgotten()) {
            return true;
        }
        String process = process(report);
        return !process.equals(kept.process()) || report.seq() > kept.seq();
    }

    /** Locks the cluster's row, creating it first if it is new (a concurrent creator wins or waits, never both). */
    private Locked lockOrCreate(Connection c, String name) throws SQLException {
        Optional<Locked> locked = lock(c, "name = ?", ps -> ps.setString(1, name), false);
        if (locked.isPresent()) {
            return locked.get();
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO fleet_cluster (name) VALUES (?) ON CONFLICT DO NOTHING")) {
            ps.setString(1, name);
            ps.executeUpdate();
        }
        return lock(c, "name = ?", ps -> ps.setString(1, name), false)
                .orElseThrow(() -> new SQLException("cluster row of " + name + " vanished after insert", "40001"));
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    /** @param skipLocked a row another transaction holds is left out rather than waited for */
    private Optional<Locked> lock(Connection c, String where, Binder args, boolean skipLocked) throws SQLException {
        String sql = "SELECT " + CLUSTER_COLUMNS + " FROM fleet_cluster WHERE " + where + " FOR UPDATE"
                + (skipLocked ? " SKIP LOCKED" : "");
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            args.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                String state = rs.getString("state");
                ClusterEvaluator.Record record = new ClusterEvaluator.Record(
                        state == null ? null : ClusterState.valueOf(state), getInstant(rs, "since"),
                        json(rs.getString("serving"), STRINGS), json(rs.getString("serving_changes"), INSTANTS));
                return Optional.of(new Locked(rs.getLong("id"), rs.getString("name"), record,
                        getInstant(rs, "ack_until"), rs.getString("ack_by"), rs.getBoolean("ack_sticky"),
                        getInstant(rs, "maintenance_until"), rs.getBoolean("in_maintenance"), rs.getLong("version")));
            }
        }
    }

    private Locked lockExisting(Connection c, String cluster) throws SQLException {
        return lock(c, "name = ?", ps -> ps.setString(1, cluster), false).orElseThrow(() -> new UnknownClusterException(cluster));
    }

    private Map<String, NodeRow> nodes(Connection c, long clusterId) throws SQLException {
        Map<String, NodeRow> nodes = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + NODE_COLUMNS
                + " FROM fleet_node WHERE cluster_id = ?")) {
            ps.setLong(1, clusterId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    NodeRow n = new NodeRow(rs.getString("name"), rs.getBoolean("forgotten"),
                            getInstant(rs, "received_at"), getInstant(rs, "sent_at"), rs.getString("agent_version"),
                            getInstant(rs, "agent_started_at"), rs.getLong("seq"), rs.getLong("dropped"),
                            json(rs.getString("resources"), RESOURCES), rs.getString("instance"));
                    nodes.put(n.name(), n);
                }
            }
        }
        return nodes;
    }

    private void insertNode(Connection c, long clusterId, NodeRow n, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO fleet_node (cluster_id, name, first_seen_at, "
                + "received_at, sent_at, agent_version, agent_started_at, seq, dropped, resources, instance) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, clusterId);
            ps.setString(2, n.name());
            setInstant(ps, 3, now);
            setNodeReport(ps, 4, n);
            ps.executeUpdate();
        }
    }

    private void updateNode(Connection c, long clusterId, NodeRow n) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(UPDATE_NODE_SET + "WHERE cluster_id = ? AND name = ?")) {
            setNodeReport(ps, 1, n);
            ps.setLong(9, clusterId);
            ps.setString(10, n.name());
            ps.executeUpdate();
        }
    }

    private static void setNodeReport(PreparedStatement ps, int i, NodeRow n) throws SQLException {
        setInstant(ps, i, n.receivedAt());
        setInstant(ps, i + 1, n.sentAt());
        ps.setString(i + 2, n.agentVersion());
        setInstant(ps, i + 3, n.agentStartedAt());
        ps.setLong(i + 4, n.seq());
        ps.setLong(i + 5, n.dropped());
        ps.setString(i + 6, toJson(n.resources()));
        ps.setString(i + 7, n.instance());
    }

    /** One batch for all of a write's events; an agent event already kept counts 0. */
    private static int[] insertEvents(Connection c, List<NewEvent> events) throws SQLException {
        if (events.isEmpty()) {
            return new int[0];
        }
        try (PreparedStatement ps = c.prepareStatement(INSERT_EVENT)) {
            for (NewEvent e : events) {
                setInstant(ps, 1, e.at());
                ps.setString(2, e.cluster());
                ps.setString(3, e.node());
                ps.setString(4, e.kind());
                ps.setString(5, e.tag());
                ps.setString(6, e.text());
                ps.setString(7, e.state() == null ? null : e.state().name());
                if (e.agentSeq() == null) {
                    ps.setNull(8, java.sql.Types.BIGINT);
                } else {
                    ps.setLong(8, e.agentSeq());
                }
                ps.addBatch();
            }
            return ps.executeBatch();
        }
    }

    // ---------------------------------------------------------------- evaluate

    /**
     * Derives the locked cluster again and writes its row with the next version; records a STATE event when the
     * state changed.
     * {@code nodes} are all of the cluster's node rows, forgotten ones included (they are left out here).
     */
    private Evaluated evaluate(Connection c, Locked cluster, Map<String, NodeRow> nodes, Instant now)
            throws SQLException {
        List<Maintenance> windows = cluster.maintenanceUntil() != null && cluster.maintenanceUntil().isAfter(now)
                ? windows(c, cluster.id(), now) : List.of();
        Derivation d = derive(cluster, nodes, windows, now);
        Optional<NewEvent> change = stateChange(cluster, d, now);
        List<NewEvent> events = new ArrayList<>(change.stream().toList());
        Maintenance.Occurrence window = d.ev().derived().maintenance();
        if (cluster.inMaintenance() != (window != null)) {
            // History says when a window's occurrence began and ended; the event also refreshes live dashboards.
            events.add(NewEvent.fleet(now, cluster.name(), null, FleetEvent.MAINTENANCE, window != null
                    ? "in maintenance until " + window.until() + " (" + d.ev().derived().state() + ")"
                    : "maintenance over (" + d.ev().derived().state() + ")"));
        }
        Locked written = cluster;
        if (cluster.acked() || cluster.ackUntil() != null) {
            written = endAcknowledgements(c, cluster, d.ev().derived().state(), now, events);
        }
        if (!updateCluster(c, written, d, now)) { // the row is locked at this version: never
            throw new SQLException("cluster row of " + cluster.name() + " changed under its lock", "40001");
        }
        insertEvents(c, events);
        if (recordStateChanges && change.isPresent()) {
            JdbcOutbox.recordChange(c, now, cluster.name(), cluster.record().state(), d.ev().derived().state(),
                    d.ev().derived().reason());
        }
        return new Evaluated(written, d.ev(), windows);
    }

    /** An evaluation and the cluster row it wrote (its acknowledgement may have ended). */
    private record Evaluated(Locked cluster, ClusterEvaluator.Evaluation ev, List<Maintenance> windows) {
    }

    /**
     * Ends each of the cluster's acknowledgements that its rules end now (recovery, a change of state unless
     * sticky, expiry), with an ACK event saying why, in the transaction that derived the state: every instance
     * and both databases agree on when it ended. Returns the row with the acknowledgement still in force.
     */
    private Locked endAcknowledgements(Connection c, Locked cluster, ClusterState after, Instant now,
                                       List<NewEvent> events) throws SQLException {
        for (Ack a : acknowledgements(c, cluster.id())) {
            Optional<String> why = a.ack().endsWhy(cluster.record().state(), after, now);
            if (why.isPresent()) {
                delete(c, "DELETE FROM fleet_ack WHERE id = ? AND cluster_id = ?", a.id(), cluster.id());
                events.add(NewEvent.fleet(now, cluster.name(), null, FleetEvent.ACK,
                        "acknowledgement by " + a.by() + " ended: " + why.get()));
                if (recordStateChanges && after != ClusterState.OK) {
                    // The problem lasts: its receivers are told again now (before this round's STATE change).
                    JdbcOutbox.recordAckEnded(c, now, cluster.name(), after, a.by(), why.get());
                }
            }
        }
        return cluster.with(inForce(c, cluster.id()), cluster.maintenanceUntil());
    }

    /** The cluster's acknowledgements, oldest first. */
    private static List<Ack> acknowledgements(Connection c, long clusterId) throws SQLException {
        List<Ack> acks = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, by_user, comment_text, state, problem, sticky, "
                + "until_at FROM fleet_ack WHERE cluster_id = ? ORDER BY id")) {
            ps.setLong(1, clusterId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String state = rs.getString("state");
                    acks.add(new Ack(rs.getLong("id"), new Acknowledgement(rs.getString("by_user"),
                            rs.getString("comment_text"), state == null ? ClusterState.DOWN : ClusterState.valueOf(state),
                            Objects.requireNonNullElse(rs.getString("problem"), ""), rs.getBoolean("sticky"),
                            getInstant(rs, "until_at"))));
                }
            }
        }
        return acks;
    }

    /** The acknowledgement the cluster's row shows: the newest kept (one per cluster; older data may hold more). */
    private static Ack inForce(Connection c, long clusterId) throws SQLException {
        List<Ack> acks = acknowledgements(c, clusterId);
        return acks.isEmpty() ? null : acks.get(acks.size() - 1);
    }

    /** A cluster derived again: the evaluation and what its row keeps besides. */
    private record Derivation(ClusterEvaluator.Evaluation ev, List<String> names, Instant lastReport) {
    }

    /** {@code nodes} are all of the cluster's node rows, forgotten ones included (they are left out here). */
    private Derivation derive(Locked cluster, Map<String, NodeRow> nodes, List<Maintenance> windows, Instant now) {
        List<NodeRow> known = nodes.values().stream().filter(n -> !n.forgotten()).toList();
        List<NodeReport> reports = known.stream().map(NodeRow::toNodeReport).toList();
        List<Instant> ackUntils = cluster.ackUntil() == null ? List.of() : List.of(cluster.ackUntil());
        ClusterEvaluator.Evaluation ev = evaluator.evaluate(cluster.name(), cluster.record(), reports, windows,
                ackUntils, now);
        return new Derivation(ev, known.stream().map(NodeRow::name).toList(),
                known.stream().map(NodeRow::receivedAt).max(Instant::compareTo).orElse(null));
    }

    /** The cluster's row as derived, with the next version, if it is still at {@code cluster}'s version. */
    private static final String UPDATE_CLUSTER = "UPDATE fleet_cluster SET state = ?, since = ?, reason = ?, "
            + "problems = ?, problem_count = ?, flapping = ?, serving = ?, serving_changes = ?, nodes = ?, "
            + "search = ?, last_report_at = ?, recheck_at = ?, problem_rank = ?, ack_by = ?, ack_until = ?, "
            + "ack_sticky = ?, window_from = ?, window_until = ?, in_maintenance = ?, version = ? "
            + "WHERE id = ? AND version = ?";
    /** A node's row as reported; its WHERE follows. */
    private static final String UPDATE_NODE_SET = "UPDATE fleet_node SET forgotten = FALSE, received_at = ?, "
            + "sent_at = ?, agent_version = ?, agent_started_at = ?, seq = ?, dropped = ?, resources = ?, instance = ? ";

    /**
     * {@link #writeReport}'s statement: {@link #UPDATE_CLUSTER}, then the node's row (its name last), then the
     * events' eight columns as text arrays, inserted in their order only if both rows were written.
     */
    private static final String WRITE_REPORT = "WITH c AS (" + UPDATE_CLUSTER + " RETURNING id), "
            + "n AS (" + UPDATE_NODE_SET + "WHERE cluster_id = (SELECT id FROM c) AND name = ? RETURNING cluster_id), "
            + "e AS (INSERT INTO fleet_event (at, cluster, node, kind, tag, text, state, agent_seq) "
            + "SELECT v.e_at::timestamptz, v.e_cluster, v.e_node, v.e_kind, v.e_tag, v.e_text, v.e_state, "
            + "v.e_seq::bigint FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], "
            + "?::text[], ?::text[]) WITH ORDINALITY AS v(e_at, e_cluster, e_node, e_kind, e_tag, e_text, e_state, "
            + "e_seq, e_i) WHERE EXISTS (SELECT 1 FROM n) ORDER BY v.e_i ON CONFLICT DO NOTHING RETURNING agent_seq) "
            + "SELECT (SELECT count(*) FROM n) AS written, (SELECT count(*) FROM e WHERE agent_seq IS NOT NULL) AS taken";

    /** Binds {@link #UPDATE_CLUSTER}'s 22 parameters from {@code i}; returns the index after them. */
    private static int bindCluster(PreparedStatement ps, int i, Locked cluster, Derivation derivation, Instant now)
            throws SQLException {
        ClusterEvaluator.Evaluation ev = derivation.ev();
        ClusterStateDeriver.Derived d = ev.derived();
        ps.setString(i, d.state().name());
        setInstant(ps, i + 1, ev.record().since());
        ps.setString(i + 2, d.reason());
        ps.setString(i + 3, toJson(d.problems()));
        ps.setInt(i + 4, d.problems().size());
        ps.setBoolean(i + 5, d.flapping());
        ps.setString(i + 6, toJson(ev.record().serving()));
        ps.setString(i + 7, toJson(ev.record().servingChanges()));
        ps.setString(i + 8, toJson(derivation.names()));
        ps.setString(i + 9, search(cluster.name(), derivation.names()));
        setInstant(ps, i + 10, derivation.lastReport());
        setInstant(ps, i + 11, ev.recheckAt());
        ps.setInt(i + 12, problemRank(d.state(), cluster.ackActive(now), d.inMaintenance()));
        ps.setString(i + 13, cluster.ackBy());
        setInstant(ps, i + 14, cluster.ackUntil());
        ps.setBoolean(i + 15, cluster.ackSticky());
        setInstant(ps, i + 16, ev.window() == null ? null : ev.window().from());
        setInstant(ps, i + 17, ev.window() == null ? null : ev.window().until());
        ps.setBoolean(i + 18, d.inMaintenance());
        ps.setLong(i + 19, cluster.version() + 1);
        ps.setLong(i + 20, cluster.id());
        ps.setLong(i + 21, cluster.version());
        return i + 22;
    }

    /**
     * Writes the derived row, if the cluster is still at {@code cluster}'s version (which also locks it). False,
     * having written nothing, when the version moved on.
     */
    private static boolean updateCluster(Connection c, Locked cluster, Derivation derivation, Instant now)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(UPDATE_CLUSTER)) {
            bindCluster(ps, 1, cluster, derivation, now);
            return ps.executeUpdate() > 0;
        }
    }

    /** The STATE event of a derivation that changed the state. */
    private static Optional<NewEvent> stateChange(Locked cluster, Derivation derivation, Instant now) {
        ClusterEvaluator.Evaluation ev = derivation.ev();
        if (!ev.changed()) {
            return Optional.empty();
        }
        ClusterState before = cluster.record().state();
        ClusterStateDeriver.Derived d = ev.derived();
        return Optional.of(new NewEvent(now, cluster.name(), null, FleetEvent.STATE, null,
                (before == null ? "NEW" : before.name()) + " → " + d.state() + ": " + d.reason(), d.state(), null));
    }

    /**
     * The cluster's place in the problem-first order (column problem_rank, V3): SPLIT, DOWN, STALE, DEGRADED,
     * OK, and within each the unhandled first: a cluster acknowledged or in a maintenance window comes after the
     * others of its state. Kept by every evaluation; an acknowledgement's expiry and a window's edges are recheck
     * instants, so the rank follows them within a re-derivation round. (MAINTENANCE keeps its place for rows
     * derived before V8, until the next round derives them again.)
     */
    static int problemRank(ClusterState state, boolean acknowledged, boolean inMaintenance) {
        int place = switch (state) {
            case SPLIT -> 0;
            case DOWN -> 1;
            case STALE -> 2;
            case DEGRADED -> 3;
            case MAINTENANCE -> 4;
            case OK -> 5;
        };
        return 2 * place + (acknowledged || inMaintenance ? 1 : 0);
    }

    /** Every window of the cluster not yet over: a future one still sets recheck_at to its start. */
    private static List<Maintenance> windows(Connection c, long clusterId, Instant now) throws SQLException {
        return windowRows(c, clusterId, now).stream().map(WindowRow::window).toList();
    }

    /** A kept window and what the API shows of it besides. */
    private record WindowRow(long id, Maintenance window, String by, Instant at) {
    }

    private static final String WINDOW_COLUMNS = "id, starts_at, ends_at, reason, by_user, at, days, start_time, "
            + "duration_s, zone";

    private static List<WindowRow> windowRows(Connection c, long clusterId, Instant now) throws SQLException {
        List<WindowRow> windows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + WINDOW_COLUMNS + " FROM fleet_maintenance "
                + "WHERE cluster_id = ? AND (ends_at IS NULL OR ends_at > ?) ORDER BY starts_at, id")) {
            ps.setLong(1, clusterId);
            setInstant(ps, 2, now);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String days = rs.getString("days");
                    Maintenance.Weekly weekly = days == null ? null : new Maintenance.Weekly(
                            java.util.Arrays.stream(days.split(",")).map(java.time.DayOfWeek::valueOf)
                                    .collect(java.util.stream.Collectors.toSet()),
                            java.time.LocalTime.parse(rs.getString("start_time")),
                            Duration.ofSeconds(rs.getLong("duration_s")), java.time.ZoneId.of(rs.getString("zone")));
                    windows.add(new WindowRow(rs.getLong("id"), new Maintenance(getInstant(rs, "starts_at"),
                            getInstant(rs, "ends_at"), rs.getString("reason"), weekly), rs.getString("by_user"),
                            getInstant(rs, "at")));
                }
            }
        }
        return windows;
    }

    /** "\nname\nnode1\nnode2", lower-cased: q matches within one name, never across two. */
    private static String search(String cluster, List<String> nodes) {
        StringBuilder s = new StringBuilder("\n").append(cluster.toLowerCase(Locale.ROOT));
        nodes.forEach(n -> s.append('\n').append(n.toLowerCase(Locale.ROOT)));
        return s.toString();
    }

    @Override
    public int reevaluateDue(Instant now) {
        Instant at = micros(now);
        int total = 0;
        while (true) {
            List<Long> due = Sql.read(dataSource, "finding clusters due", c -> {
                List<Long> ids = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT id FROM fleet_cluster WHERE recheck_at <= ? "
                        + "ORDER BY recheck_at LIMIT " + DUE_BATCH)) {
                    setInstant(ps, 1, at);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            ids.add(rs.getLong(1));
                        }
                    }
                }
                return ids;
            });
            int done = 0;
            for (long id : due) {
                // Locked and checked again: another instance (or an ingest) may have just done it; a cluster
                // locked right now is being written, and that write evaluates it anyway.
                done += Sql.transaction(dataSource, "reevaluation", c -> {
                    Optional<Locked> locked = lock(c, "id = ? AND recheck_at <= ?", ps -> {
                        ps.setLong(1, id);
                        setInstant(ps, 2, at);
                    }, true);
                    if (locked.isEmpty()) {
                        return 0;
                    }
                    evaluate(c, locked.get(), nodes(c, id), at);
                    return 1;
                });
            }
            total += done;
            if (due.size() < DUE_BATCH || done == 0) {
                return total;
            }
        }
    }

    // ---------------------------------------------------------------- queries

    /**
     * Counting every cluster costs a pass over the table (10 ms at 5,000 clusters on H2), and a dashboard asks
     * for it on every change it sees. So a summary is reused for up to this long, as long as no event was
     * recorded since: a state change always records one, so only what time alone changes (an acknowledgement
     * ending, a flapping window closing, an event committed out of id order) can show up to this much later.
     */
    static final Duration SUMMARY_REUSE = Duration.ofSeconds(1);
    private volatile Summary lastSummary;

    @Override
    public Summary summary(Instant now) {
        Instant at = micros(now);
        return Sql.read(dataSource, "summary", c -> {
            long lastEventId = lastEventId(c); // before counting: a change made meanwhile only makes it newer
            Summary last = lastSummary;
            if (last != null && last.lastEventId() == lastEventId && !at.isBefore(last.at())
                    && at.isBefore(last.at().plus(SUMMARY_REUSE))) {
                return last;
            }
            Map<ClusterState, Integer> byState = new EnumMap<>(ClusterState.class);
            for (ClusterState s : ClusterState.values()) {
                byState.put(s, 0);
            }
            int clusters = 0;
            int acknowledged = 0;
            int flapping = 0;
            int inMaintenance = 0;
            try (PreparedStatement ps = c.prepareStatement("SELECT state, COUNT(*) AS n, "
                    + "SUM(CASE WHEN flapping THEN 1 ELSE 0 END) AS flapping, "
                    + "SUM(CASE WHEN state <> 'OK' AND ack_by IS NOT NULL AND (ack_until IS NULL OR ack_until > ?) "
                    + "THEN 1 ELSE 0 END) AS acked, "
                    + "SUM(CASE WHEN window_from <= ? AND window_until > ? THEN 1 ELSE 0 END) AS maint "
                    + "FROM fleet_cluster WHERE state IS NOT NULL GROUP BY state")) {
                setInstant(ps, 1, at);
                setInstant(ps, 2, at);
                setInstant(ps, 3, at);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        int n = rs.getInt("n");
                        byState.put(ClusterState.valueOf(rs.getString("state")), n);
                        clusters += n;
                        flapping += rs.getInt("flapping");
                        acknowledged += rs.getInt("acked");
                        inMaintenance += rs.getInt("maint");
                    }
                }
            }
            // The MAINTENANCE key (kept for the dashboards that read it) counts clusters in a window, whatever their
            // real state, which the other keys count: the keys sum to more than clusters when a window is open.
            byState.put(ClusterState.MAINTENANCE, inMaintenance);
            Summary summary = new Summary(at, clusters, byState, acknowledged, flapping, lastEventId, inMaintenance);
            lastSummary = summary;
            return summary;
        });
    }

    @Override
    public ClusterPage clusters(ClusterQuery query, Instant now) {
        if (query.page() < 0 || query.size() < 1 || query.size() > 500) {
            throw new IllegalArgumentException("page must be 0 or more and size 1 to 500, not page " + query.page()
                    + " size " + query.size());
        }
        Instant at = micros(now);
        // A committed row always has its state (the transaction that creates it evaluates it), so the whole
        // table needs no filter, and H2 counts it without reading it.
        List<String> conditions = new ArrayList<>();
        List<Object> args = new ArrayList<>();
        query.state().ifPresent(s -> {
            if (s == ClusterState.MAINTENANCE) {
                // As the summary's key: the clusters in a window now, whatever their state.
                conditions.add("window_from <= ? AND window_until > ?");
                args.add(at);
                args.add(at);
            } else {
                conditions.add("state = ?");
                args.add(s.name());
            }
        });
        query.q().filter(q -> !q.isBlank()).ifPresent(q -> {
            conditions.add("search LIKE ? ESCAPE '\\'");
            args.add("%" + q.strip().toLowerCase(Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%")
                    .replace("_", "\\_") + "%");
        });
        String where = conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
        return Sql.read(dataSource, "cluster list", c -> {
            long total;
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM fleet_cluster" + where)) {
                for (int i = 0; i < args.size(); i++) {
                    bindArg(ps, i + 1, args.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            List<ClusterRow> items = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(pageSql(where, query.sort()))) {
                int i = 1;
                for (Object a : args) {
                    bindArg(ps, i++, a);
                }
                ps.setInt(i++, query.size());
                ps.setLong(i, (long) query.page() * query.size());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        items.add(row(rs, at));
                    }
                }
            }
            return new ClusterPage(items, query.page(), query.size(), total);
        });
    }

    private static void bindArg(PreparedStatement ps, int i, Object arg) throws SQLException {
        if (arg instanceof Instant t) {
            setInstant(ps, i, t);
        } else {
            ps.setString(i, (String) arg);
        }
    }

    /**
     * A page of the cluster table: LIMIT, then OFFSET as parameters. Each order has its index (V3), so a page is
     * read in order rather than sorted from the whole table.
     */
    String pageSql(String where, ClusterQuery.Sort sort) {
        String order = switch (sort) {
            case PROBLEM -> "problem_rank, since, " + dialect.nameOrder;
            case NAME -> dialect.nameOrder;
            case SINCE -> "since DESC, " + dialect.nameOrder;
        };
        return "SELECT " + ROW_COLUMNS + " FROM fleet_cluster" + where + " ORDER BY " + order + " LIMIT ? OFFSET ?";
    }

    private static ClusterRow row(ResultSet rs, Instant now) throws SQLException {
        ClusterState state = ClusterState.valueOf(rs.getString("state"));
        Instant ackUntil = getInstant(rs, "ack_until");
        String ackBy = rs.getString("ack_by");
        // As in the summary: an acknowledgement speaks of a problem, so an OK cluster shows none. Its expiry is
        // read at now: shown as over at once, even before the round that ends it.
        boolean acknowledged = state != ClusterState.OK && ackBy != null && (ackUntil == null || now.isBefore(ackUntil));
        Instant windowFrom = getInstant(rs, "window_from");
        Instant windowUntil = getInstant(rs, "window_until");
        boolean inMaintenance = windowFrom != null && !now.isBefore(windowFrom) && now.isBefore(windowUntil);
        return new ClusterRow(rs.getString("name"), state, getInstant(rs, "since"), rs.getString("reason"),
                rs.getInt("problem_count"), rs.getBoolean("flapping"), acknowledged,
                json(rs.getString("nodes"), STRINGS), json(rs.getString("serving"), STRINGS),
                getInstant(rs, "last_report_at"), acknowledged ? ackBy : null, acknowledged ? ackUntil : null,
                acknowledged && rs.getBoolean("ack_sticky"), inMaintenance, inMaintenance ? windowUntil : null);
    }

    /** Clusters by name, 500 a statement. */
    @Override
    public Map<String, ClusterRow> rows(Collection<String> names, Instant now) {
        Instant at = micros(now);
        List<String> all = List.copyOf(new java.util.LinkedHashSet<>(names));
        return Sql.read(dataSource, "rows of " + all.size() + " clusters", c -> {
            Map<String, ClusterRow> out = new java.util.HashMap<>();
            for (int from = 0; from < all.size(); from += 500) {
                List<String> chunk = all.subList(from, Math.min(all.size(), from + 500));
                String marks = String.join(", ", Collections.nCopies(chunk.size(), "?"));
                try (PreparedStatement ps = c.prepareStatement("SELECT " + ROW_COLUMNS + " FROM fleet_cluster "
                        + "WHERE state IS NOT NULL AND name IN (" + marks + ")")) {
                    for (int i = 0; i < chunk.size(); i++) {
                        ps.setString(i + 1, chunk.get(i));
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            ClusterRow row = row(rs, at);
                            out.put(row.name(), row);
                        }
                    }
                }
            }
            return out;
        });
    }

    @Override
    public Optional<ClusterDetail> cluster(String name, int historyLimit, Instant now) {
        Instant at = micros(now);
        return Sql.read(dataSource, "cluster " + name, c -> {
            long id;
            ClusterRow row;
            List<String> problems;
            try (PreparedStatement ps = c.prepareStatement("SELECT id, problems, " + ROW_COLUMNS
                    + " FROM fleet_cluster WHERE name = ? AND state IS NOT NULL")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    id = rs.getLong("id");
                    row = row(rs, at);
                    problems = json(rs.getString("problems"), STRINGS);
                }
            }
            List<FleetNode> nodes = nodes(c, id).values().stream().filter(n -> !n.forgotten())
                    .map(n -> new FleetNode(n.name(), n.receivedAt(), n.sentAt(),
                            n.sentAt() == null ? 0 : Duration.between(n.receivedAt(), n.sentAt()).toMillis(),
                            !n.receivedAt().isBefore(at.minus(freshFor)), n.agentVersion(), n.agentStartedAt(),
                            n.dropped(), n.resources()))
                    .toList();
            return Optional.of(new ClusterDetail(row, problems, nodes, acks(c, id, name, at),
                    maintenance(c, id, name, at), history(c, name, historyLimit)));
        });
    }

    private static List<AckView> acks(Connection c, long clusterId, String cluster, Instant now) throws SQLException {
        List<AckView> acks = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, by_user, comment_text, at, until_at, state, problem, "
                + "sticky FROM fleet_ack WHERE cluster_id = ? AND (until_at IS NULL OR until_at > ?) ORDER BY id")) {
            ps.setLong(1, clusterId);
            setInstant(ps, 2, now);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String state = rs.getString("state");
                    acks.add(new AckView(rs.getLong("id"), cluster, rs.getString("by_user"),
                            rs.getString("comment_text"), getInstant(rs, "at"), getInstant(rs, "until_at"),
                            state == null ? null : ClusterState.valueOf(state),
                            Objects.requireNonNullElse(rs.getString("problem"), ""), rs.getBoolean("sticky")));
                }
            }
        }
        return acks;
    }

    private static List<MaintenanceView> maintenance(Connection c, long clusterId, String cluster, Instant now)
            throws SQLException {
        List<MaintenanceView> windows = new ArrayList<>();
        for (WindowRow w : windowRows(c, clusterId, now)) {
            windows.add(view(w, cluster, now));
        }
        return windows;
    }

    private static MaintenanceView view(WindowRow row, String cluster, Instant now) {
        Maintenance w = row.window();
        Maintenance.Weekly weekly = w.weekly();
        Optional<Maintenance.Occurrence> next = w.currentOrNext(now);
        return new MaintenanceView(row.id(), cluster, w.from(), w.until(), w.reason(), row.by(), row.at(),
                weekly == null ? List.of() : weekly.days().stream().sorted().map(Enum::name).toList(),
                weekly == null ? null : weekly.start().toString(),
                weekly == null ? null : weekly.duration().toString(),
                weekly == null ? null : weekly.zone().getId(),
                next.map(Maintenance.Occurrence::from).orElse(null),
                next.map(Maintenance.Occurrence::until).orElse(null));
    }

    private static List<FleetEvent> history(Connection c, String cluster, int limit) throws SQLException {
        if (limit <= 0) {
            return List.of();
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT " + EVENT_COLUMNS + " FROM fleet_event "
                + "WHERE cluster = ? ORDER BY id DESC LIMIT ?")) {
            ps.setString(1, cluster);
            ps.setInt(2, limit);
            return events(ps);
        }
    }

    @Override
    public List<FleetEvent> events(EventQuery query) {
        if (query.limit() < 1 || query.limit() > 1000) {
            throw new IllegalArgumentException("limit must be 1 to 1000, not " + query.limit());
        }
        StringBuilder sql = new StringBuilder("SELECT " + EVENT_COLUMNS + " FROM fleet_event WHERE id > ?");
        query.since().ifPresent(s -> sql.append(" AND at >= ?"));
        query.cluster().ifPresent(s -> sql.append(" AND cluster = ?"));
        query.kind().ifPresent(s -> sql.append(" AND kind = ?"));
        query.node().ifPresent(s -> sql.append(" AND node = ?"));
        // The next page of the newest-first order: after the previous page's last event by (at, id), both
        // descending. A cursor event gone to retention took every older one with it: the page is empty.
        if (query.before().isPresent()) {
            sql.append(" AND EXISTS (SELECT 1 FROM fleet_event b WHERE b.id = ?"
                    + " AND (fleet_event.at < b.at OR (fleet_event.at = b.at AND fleet_event.id < b.id)))");
        }
        sql.append(query.order() == EventQuery.Order.NEWEST ? " ORDER BY at DESC, id DESC LIMIT ?" : " ORDER BY id LIMIT ?");
        return Sql.read(dataSource, "events", c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                int i = 1;
                ps.setLong(i++, query.afterId());
                if (query.since().isPresent()) {
                    setInstant(ps, i++, query.since().get());
                }
                for (Optional<String> text : List.of(query.cluster(), query.kind(), query.node())) {
                    if (text.isPresent()) {
                        ps.setString(i++, text.get());
                    }
                }
                if (query.before().isPresent()) {
                    ps.setLong(i++, query.before().getAsLong());
                }
                ps.setInt(i, query.limit());
                return events(ps);
            }
        });
    }

    private static List<FleetEvent> events(PreparedStatement ps) throws SQLException {
        List<FleetEvent> events = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String state = rs.getString("state");
                events.add(new FleetEvent(rs.getLong("id"), getInstant(rs, "at"), rs.getString("cluster"),
                        rs.getString("node"), rs.getString("kind"), rs.getString("tag"), rs.getString("text"),
                        state == null ? null : ClusterState.valueOf(state)));
            }
        }
        return events;
    }

    @Override
    public long lastEventId() {
        return Sql.read(dataSource, "last event id", JdbcFleetStore::lastEventId);
    }

    private static long lastEventId(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT MAX(id) FROM fleet_event")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    // ---------------------------------------------------------------- operator writes

    @Override
    public AckView acknowledge(String cluster, String by, String comment, Instant until, boolean sticky, Instant now) {
        Instant at = micros(now);
        Instant end = until == null ? null : micros(until);
        if (end != null && !end.isAfter(at)) {
            throw new IllegalArgumentException("an acknowledgement must expire after now: until " + until);
        }
        return Sql.transaction(dataSource, "acknowledgement of " + cluster, c -> {
            // The problem as of now, not as of the last derivation: time alone may have changed it (a node went
            // silent), and an acknowledgement given for the old state would end at the next round.
            Locked before = lockExisting(c, cluster);
            evaluate(c, before, nodes(c, before.id()), at);
            Locked locked = lockExisting(c, cluster); // at the version that evaluation wrote
            ClusterState state = locked.record().state();
            Optional<String> refused = Acknowledgement.refusal(cluster, state);
            if (refused.isPresent()) {
                throw new AcknowledgementRefusedException(refused.get());
            }
            String problem;
            try (PreparedStatement ps = c.prepareStatement("SELECT reason FROM fleet_cluster WHERE id = ?")) {
                ps.setLong(1, locked.id());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    problem = Objects.requireNonNullElse(rs.getString(1), "");
                }
            }
            List<NewEvent> events = new ArrayList<>();
            // One acknowledgement per problem, as Icinga has it: a new one replaces the one in force.
            for (Ack old : acknowledgements(c, locked.id())) {
                delete(c, "DELETE FROM fleet_ack WHERE id = ? AND cluster_id = ?", old.id(), locked.id());
                events.add(NewEvent.fleet(at, cluster, null, FleetEvent.ACK,
                        "acknowledgement by " + old.by() + " replaced by " + by));
            }
            long id;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO fleet_ack (cluster_id, by_user, comment_text, "
                    + "at, until_at, state, problem, sticky) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", new String[] {"id"})) {
                ps.setLong(1, locked.id());
                ps.setString(2, by);
                ps.setString(3, comment);
                setInstant(ps, 4, at);
                setInstant(ps, 5, end);
                ps.setString(6, state.name());
                ps.setString(7, problem);
                ps.setBoolean(8, sticky);
                ps.executeUpdate();
                id = generatedId(ps);
            }
            events.add(NewEvent.fleet(at, cluster, null, FleetEvent.ACK, "acknowledged " + state + " by " + by
                    + (end == null ? " until it ends" : " until " + end) + (sticky ? " (sticky)" : "") + ": " + comment));
            insertEvents(c, events);
            if (recordStateChanges) {
                JdbcOutbox.recordAcknowledged(c, at, cluster, state,
                        new io.hulftark.fleet.notify.Acked(by, comment, end, sticky));
            }
            reevaluateAfterWrite(c, locked, at);
            return new AckView(id, cluster, by, comment, at, end, state, problem, sticky);
        });
    }

    @Override
    public boolean removeAcknowledgement(String cluster, long id, String by, Instant now) {
        Instant at = micros(now);
        return Sql.transaction(dataSource, "removal of acknowledgement " + id + " of " + cluster, c -> {
            Locked locked = lockExisting(c, cluster);
            Optional<Ack> ack = acknowledgements(c, locked.id()).stream().filter(a -> a.id() == id).findFirst();
            if (ack.isEmpty() || !delete(c, "DELETE FROM fleet_ack WHERE id = ? AND cluster_id = ?", id, locked.id())) {
                return false;
            }
            insertEvents(c, List.of(NewEvent.fleet(at, cluster, null, FleetEvent.ACK,
                    "acknowledgement by " + ack.get().by() + " ended: removed by " + by)));
            if (recordStateChanges && locked.record().state() != ClusterState.OK) {
                JdbcOutbox.recordAckEnded(c, at, cluster, locked.record().state(), ack.get().by(),
                        "removed by " + by);
            }
            reevaluateAfterWrite(c, locked, at);
            return true;
        });
    }

    @Override
    public MaintenanceView addMaintenance(String cluster, Maintenance window, String by, Instant now) {
        Instant at = micros(now);
        Maintenance.Weekly weekly = window.weekly();
        Maintenance w = new Maintenance(micros(window.from()), window.until() == null ? null : micros(window.until()),
                window.reason(), weekly); // validates from < until
        return Sql.transaction(dataSource, "maintenance of " + cluster, c -> {
            Locked locked = lockExisting(c, cluster);
            long id;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO fleet_maintenance (cluster_id, starts_at, "
                    + "ends_at, reason, by_user, at, days, start_time, duration_s, zone) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", new String[] {"id"})) {
                ps.setLong(1, locked.id());
                setInstant(ps, 2, w.from());
                setInstant(ps, 3, w.until());
                ps.setString(4, w.reason());
                ps.setString(5, by);
                setInstant(ps, 6, at);
                ps.setString(7, weekly == null ? null : weekly.daysText());
                ps.setString(8, weekly == null ? null : weekly.start().toString());
                if (weekly == null) {
                    ps.setNull(9, java.sql.Types.BIGINT);
                } else {
                    ps.setLong(9, weekly.duration().getSeconds());
                }
                ps.setString(10, weekly == null ? null : weekly.zone().getId());
                ps.executeUpdate();
                id = generatedId(ps);
            }
            String when = weekly == null ? w.from() + " .. " + w.until()
                    : "every " + weekly.daysText() + " " + weekly.start() + " " + weekly.zone().getId() + " for "
                    + weekly.duration() + " from " + w.from() + (w.until() == null ? "" : " until " + w.until());
            insertEvents(c, List.of(NewEvent.fleet(at, cluster, null, FleetEvent.MAINTENANCE,
                    "maintenance " + when + " set by " + by + ": " + w.reason())));
            reevaluateAfterWrite(c, locked, at);
            return view(new WindowRow(id, w, by, at), cluster, at);
        });
    }

    @Override
    public boolean removeMaintenance(String cluster, long id, String by, Instant now) {
        Instant at = micros(now);
        return Sql.transaction(dataSource, "removal of maintenance " + id + " of " + cluster, c -> {
            Locked locked = lockExisting(c, cluster);
            if (!delete(c, "DELETE FROM fleet_maintenance WHERE id = ? AND cluster_id = ?", id, locked.id())) {
                return false;
            }
            insertEvents(c, List.of(NewEvent.fleet(at, cluster, null, FleetEvent.MAINTENANCE,
                    "maintenance " + id + " removed by " + by)));
            reevaluateAfterWrite(c, locked, at);
            return true;
        });
    }

    /**
     * Forgets everything known of the node but that it was there: its state, its agent process and seq (so the
     * next report of any agent is taken as its first, whatever report came before), its drop count. The row stays,
     * marked, so that a node reporting again is said to be back; its history stays history.
     */
    @Override
    public boolean forgetNode(String cluster, String node, String by, Instant now) {
        Instant at = micros(now);
        boolean forgotten = Sql.transaction(dataSource, "forgetting " + cluster + "/" + node, c -> {
            Locked locked = lockExisting(c, cluster);
            try (PreparedStatement ps = c.prepareStatement("UPDATE fleet_node SET forgotten = TRUE, instance = NULL, "
                    + "seq = 0, dropped = 0, resources = '[]', sent_at = NULL, agent_version = NULL "
                    + "WHERE cluster_id = ? AND name = ? AND NOT forgotten")) {
                ps.setLong(1, locked.id());
                ps.setString(2, node);
                if (ps.executeUpdate() == 0) {
                    return false;
                }
            }
            insertEvents(c, List.of(NewEvent.fleet(at, cluster, node, FleetEvent.NODE,
                    "node " + node + " forgotten by " + by)));
            reevaluateAfterWrite(c, locked, at);
            return true;
        });
        if (forgotten) {
            // Committed: this instance's rows of the cluster are stale (its version moved on anyway).
            known.remove(cluster);
        }
        return forgotten;
    }

    /**
     * After an operator's write: the acknowledgement in force and the latest end of the windows again (an
     * open-ended series ends {@link #NEVER}), then the state; the evaluation writes them with the row.
     */
    private void reevaluateAfterWrite(Connection c, Locked locked, Instant now) throws SQLException {
        Instant maintenanceUntil;
        try (PreparedStatement ps = c.prepareStatement("SELECT MAX(CASE WHEN ends_at IS NULL THEN 1 ELSE 0 END) "
                + "AS open_ended, MAX(ends_at) AS latest FROM fleet_maintenance WHERE cluster_id = ?")) {
            ps.setLong(1, locked.id());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                maintenanceUntil = rs.getInt("open_ended") == 1 ? NEVER : getInstant(rs, "latest");
            }
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE fleet_cluster SET maintenance_until = ? WHERE id = ?")) {
            setInstant(ps, 1, maintenanceUntil);
            ps.setLong(2, locked.id());
            ps.executeUpdate();
        }
        evaluate(c, locked.with(inForce(c, locked.id()), maintenanceUntil), nodes(c, locked.id()), now);
    }

    private static boolean delete(Connection c, String sql, long id, long clusterId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, id);
            ps.setLong(2, clusterId);
            return ps.executeUpdate() > 0;
        }
    }

    private static long generatedId(PreparedStatement ps) throws SQLException {
        try (ResultSet keys = ps.getGeneratedKeys()) {
            if (!keys.next()) {
                throw new SQLException("the database returned no generated id");
            }
            return keys.getLong(1);
        }
    }

    // ---------------------------------------------------------------- retention

    @Override
    public long prune(Instant before) {
        Instant at = micros(before);
        long deleted = 0;
        // In slices, so that no transaction holds many row locks or a long WAL record.
        for (String sql : List.of(
                "DELETE FROM fleet_event WHERE id IN (SELECT id FROM fleet_event WHERE at < ? LIMIT " + PRUNE_BATCH + ")",
                "DELETE FROM fleet_ack WHERE id IN (SELECT id FROM fleet_ack WHERE until_at < ? LIMIT "
                        + PRUNE_BATCH + ")",
                "DELETE FROM fleet_maintenance WHERE id IN (SELECT id FROM fleet_maintenance WHERE ends_at < ? LIMIT "
                        + PRUNE_BATCH + ")")) {
            int n;
            do {
                n = Sql.transaction(dataSource, "prune", c -> {
                    try (PreparedStatement ps = c.prepareStatement(sql)) {
                        setInstant(ps, 1, at);
                        return ps.executeUpdate();
                    }
                });
                deleted += n;
            } while (n == PRUNE_BATCH);
        }
        return deleted;
    }

    @Override
    public void close() {
        // The pool is the caller's (Quarkus's, or a test's): nothing of the store's own to release.
    }

    // ---------------------------------------------------------------- JSON columns

    private static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + Sql.oneLine(e), e);
        }
    }

    private static <T> T json(String text, TypeReference<T> type) throws SQLException {
        try {
            return JSON.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new SQLException("a JSON column of the fleet store does not parse: " + Sql.oneLine(e), e);
        }
    }

    @Override
    public String toString() {
        return "JdbcFleetStore[" + dialect + "]";
    }

    // ---------------------------------------------------------------- metrics

    @Override
    public List<ClusterSnapshotRow> snapshot(Instant now) {
        Instant at = micros(now);
        // One statement: every row and its silent nodes as of one moment, also on PostgreSQL's READ COMMITTED.
        String sql = "SELECT " + ROW_COLUMNS + ", (SELECT COUNT(*) FROM fleet_node n WHERE n.cluster_id = c.id "
                + "AND NOT n.forgotten AND n.received_at < ?) AS silent_nodes FROM fleet_cluster c "
                + "WHERE c.state IS NOT NULL";
        return Sql.read(dataSource, "metrics snapshot", c -> {
            List<ClusterSnapshotRow> rows = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                setInstant(ps, 1, at.minus(freshFor));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new ClusterSnapshotRow(row(rs, at), rs.getInt("silent_nodes")));
                    }
                }
            }
            return rows;
        });
    }
}
