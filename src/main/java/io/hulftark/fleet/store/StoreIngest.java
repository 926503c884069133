package io.hulftark.fleet.store;

import io.hulftark.wire.NodeFacts;
import io.hulftark.wire.Report;
import io.hulftark.wire.ReportValidator;
import io.hulftark.fleet.state.ClusterEvaluator;
import io.hulftark.fleet.state.ClusterState;
import io.hulftark.fleet.state.DriftItem;
import io.hulftark.fleet.state.Maintenance;
import io.hulftark.fleet.view.FleetEvent;
import io.hulftark.fleet.store.StoreEvaluation.Derivation;
import io.hulftark.fleet.store.StoreRows.Known;
import io.hulftark.fleet.store.StoreRows.Locked;
import io.hulftark.fleet.store.StoreRows.NewEvent;
import io.hulftark.fleet.store.StoreRows.NodeRow;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

import javax.sql.DataSource;

import static io.hulftark.fleet.store.Sql.micros;
import static io.hulftark.fleet.store.Sql.setInstant;
import static io.hulftark.fleet.store.StoreEvaluation.UPDATE_CLUSTER;
import static io.hulftark.fleet.store.StoreRows.insertEvents;
import static io.hulftark.fleet.store.StoreRows.lock;
import static io.hulftark.fleet.store.StoreRows.nodes;
import static io.hulftark.fleet.store.StoreRows.toJson;

/**
 * The ingest of reports: the common report (a heartbeat) from what this instance wrote last, in as few statements
 * as the database allows, any other under the cluster's row lock.
 */
final class StoreIngest {

    private static final int INGEST_STRIPES = 1024; // a power of two

    /**
     * A node's row as reported; its WHERE follows. Labels and fleet-action flags ride the update every report makes
     * anyway: no statement of their own, and the row is one write whether they changed or not.
     */
    private static final String UPDATE_NODE_SET = "UPDATE fleet_node SET forgotten = FALSE, received_at = ?, "
            + "sent_at = ?, agent_version = ?, agent_started_at = ?, seq = ?, dropped = ?, resources = ?, instance = ?, "
            + "labels = ?, fleet_actions = ?, actions_via = ? ";
    /** How many parameters {@link #setNodeReport} binds. */
    private static final int NODE_REPORT_PARAMETERS = 11;

    /**
     * {@link #writeReport}'s statement: {@link StoreEvaluation#UPDATE_CLUSTER}, then the node's row (its name
     * last), then the events' eight columns as text arrays, inserted in their order only if both rows were written.
     */
    private static final String WRITE_REPORT = "WITH c AS (" + UPDATE_CLUSTER + " RETURNING id), "
            + "n AS (" + UPDATE_NODE_SET + "WHERE cluster_id = (SELECT id FROM c) AND name = ? RETURNING cluster_id), "
            + "e AS (INSERT INTO fleet_event (at, cluster, node, kind, tag, text, state, agent_seq) "
            + "SELECT v.e_at::timestamptz, v.e_cluster, v.e_node, v.e_kind, v.e_tag, v.e_text, v.e_state, "
            + "v.e_seq::bigint FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], "
            + "?::text[], ?::text[]) WITH ORDINALITY AS v(e_at, e_cluster, e_node, e_kind, e_tag, e_text, e_state, "
            + "e_seq, e_i) WHERE EXISTS (SELECT 1 FROM n) ORDER BY v.e_i ON CONFLICT DO NOTHING RETURNING agent_seq) "
            + "SELECT (SELECT count(*) FROM n) AS written, (SELECT count(*) FROM e WHERE agent_seq IS NOT NULL) AS taken";

    private final DataSource dataSource;
    private final JdbcFleetStore.Dialect dialect;
    private final StoreEvaluation evaluation;
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

    StoreIngest(DataSource dataSource, JdbcFleetStore.Dialect dialect, StoreEvaluation evaluation) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.evaluation = evaluation;
        for (int i = 0; i < ingestStripes.length; i++) {
            ingestStripes[i] = new ReentrantLock();
        }
    }

    /** Drops what this instance knows of the cluster: a write made it stale (its version moved on anyway). */
    void forget(String cluster) {
        known.remove(cluster);
    }

    /** What an ingest's transaction leaves for after its commit. */
    private record Ingested(IngestResult result, Known known) {
    }

    IngestResult ingest(Report received, Instant receivedAt) {
        // Defence in depth, as the service did already: no secret-looking setting is kept, whoever calls.
        Report report = received.facts() == null ? received
                : received.withFacts(ReportValidator.neutralised(received.facts()));
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
        if (kept == null || kept.forgotten() || !newer(report, kept) || report.facts() != null) {
            return Optional.empty(); // new facts are kept, and the drift found again, under the lock
        }
        NodeRow row = row(report, now, kept);
        if (newlyDropped(kept, row) > 0) {
            return Optional.empty();
        }
        Map<String, NodeRow> nodes = new TreeMap<>(last.nodes());
        nodes.put(row.name(), row);
        Derivation d = evaluation.derive(cluster, nodes, last.windows(), now);
        if (evaluation.recordsStateChanges() && d.ev().changed()) {
            return Optional.empty(); // a change of state takes the locked path, where evaluation.evaluate() records it
        }
        if (cluster.acked() && (d.ev().changed() || d.ev().derived().state() == ClusterState.OK
                || !cluster.ackActive(now)) || cluster.inMaintenance() != d.ev().derived().inMaintenance()
                || !d.findings().equals(cluster.configFindings())) {
            // An acknowledgement ends, a window begins or ends, a drift or readiness finding begins or ends (a
            // standby fell silent, another node serves): the full path records it.
            return Optional.empty();
        }
        List<NewEvent> events = agentEvents(cluster.name(), report);
        List<NewEvent> all = new ArrayList<>(events);
        evaluation.stateChange(cluster, d, now).ifPresent(all::add); // after the transitions that caused it
        int newEvents; // -1: the version moved on
        if (dialect == JdbcFleetStore.Dialect.POSTGRESQL) {
            newEvents = Sql.autoCommitted(dataSource, what, c -> writeReport(c, cluster, d, row, all, now));
        } else {
            newEvents = Sql.transaction(dataSource, what, c -> updateClusterAndNode(c, cluster, d, row, now)
                    ? taken(insertEvents(c, all), 0, events.size()) : -1);
        }
        return newEvents < 0 ? Optional.empty() : Optional.of(new Ingested(new IngestResult(
                IngestResult.Outcome.ACCEPTED, newEvents, d.ev().derived().state(), d.ev().changed()),
                known(cluster, d, nodes, last.windows())));
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
        if (dialect == JdbcFleetStore.Dialect.POSTGRESQL) {
            try (PreparedStatement ps = c.prepareStatement("WITH c AS (" + UPDATE_CLUSTER + " RETURNING id) "
                    + UPDATE_NODE_SET + "WHERE cluster_id = (SELECT id FROM c) AND name = ?")) {
                int i = evaluation.bindCluster(ps, 1, cluster, d, now);
                setNodeReport(ps, i, row);
                ps.setString(i + NODE_REPORT_PARAMETERS, row.name());
                return ps.executeUpdate() > 0;
            }
        }
        if (!evaluation.updateCluster(c, cluster, d, now)) {
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
            int i = evaluation.bindCluster(ps, 1, cluster, d, now);
            setNodeReport(ps, i, row);
            ps.setString(i + NODE_REPORT_PARAMETERS, row.name());
            i += NODE_REPORT_PARAMETERS + 1;
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

    /** The node's row as the report leaves it; a report without facts keeps the readiness of the kept row. */
    private static NodeRow row(Report report, Instant now, NodeRow kept) {
        return new NodeRow(report.node(), false, now, micros(report.sentAt()), report.agentVersion(),
                micros(report.agentStartedAt()), report.seq(), report.dropped(), report.resources(), process(report),
                report.labels(), Boolean.TRUE.equals(report.fleetActions()), report.actionsVia(),
                report.facts() != null ? StoreRows.readiness(report.facts())
                        : kept == null ? List.of() : kept.readiness());
    }

    /** The agent process that sent the report: an agent without an instance id is one process per start. */
    private static String process(Report report) {
        return report.instance() != null ? report.instance() : "started@" + micros(report.agentStartedAt());
    }

    /** The cluster as a write that derived {@code d} from {@code nodes} leaves it. */
    private static Known known(Locked cluster, Derivation d, Map<String, NodeRow> nodes, List<Maintenance> windows) {
        ClusterEvaluator.Evaluation ev = d.ev();
        return new Known(new Locked(cluster.id(), cluster.name(), ev.record(), cluster.ackUntil(), cluster.ackBy(),
                cluster.ackSticky(), cluster.maintenanceUntil(), ev.derived().inMaintenance(), cluster.version() + 1,
                d.drift(), d.findings()), Collections.unmodifiableMap(nodes), windows);
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
        boolean newFacts = accepted && report.facts() != null;
        if (accepted) {
            NodeRow row = row(report, now, kept);
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
            if (newFacts) {
                writeFacts(c, cluster.id(), row, report.facts(), now);
            }
            nodes.put(row.name(), row);
        }
        int agentEventsFrom = events.size();
        events.addAll(agentEvents(cluster.name(), report));
        int newEvents = taken(insertEvents(c, events), agentEventsFrom, events.size());
        // Facts arrived: what differs between the nodes is found again (a report without them keeps the drift).
        List<DriftItem> drift = newFacts ? evaluation.findDrift(c, cluster.id()) : cluster.drift();
        StoreEvaluation.Evaluated e = evaluation.evaluate(c, cluster, nodes, drift, now);
        ClusterEvaluator.Evaluation ev = e.ev();
        return new Ingested(new IngestResult(accepted ? IngestResult.Outcome.ACCEPTED
                : IngestResult.Outcome.OUTDATED, newEvents, ev.derived().state(), ev.changed()),
                known(e.cluster(), e.derivation(), nodes, e.windows()));
    }

    /**
     * The node's facts as received (secrets already dropped by {@code ReportValidator.neutralised}), the columns
     * the inventory filters, sorts and counts by, and the failing rows of its last preflight.
     */
    private static void writeFacts(Connection c, long clusterId, NodeRow row, NodeFacts f, Instant now)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE fleet_node SET facts = ?, facts_digest = ?, "
                + "facts_at = ?, os = ?, jvm = ?, lifekeeper_version = ?, host = ?, platform = ?, readiness = ?, "
                + "validated_at = ? WHERE cluster_id = ? AND name = ?")) {
            ps.setString(1, toJson(f));
            ps.setString(2, f.digest());
            setInstant(ps, 3, now);
            ps.setString(4, os(f));
            ps.setString(5, f.jvm());
            ps.setString(6, lifekeeperVersion(f));
            ps.setString(7, f.host());
            ps.setString(8, f.platform());
            ps.setString(9, toJson(row.readiness()));
            setInstant(ps, 10, f.validatedAt() == null ? null : micros(f.validatedAt()));
            ps.setLong(11, clusterId);
            ps.setString(12, row.name());
            ps.executeUpdate();
        }
    }

    /** "os osVersion" as the inventory counts it; null when the agent says neither. */
    static String os(NodeFacts f) {
        String os = ((f.os() == null ? "" : f.os()) + " " + (f.osVersion() == null ? "" : f.osVersion())).trim();
        return os.isEmpty() ? null : os;
    }

    /** "(none)" on a node without LifeKeeper; null when the agent does not know or LifeKeeper does not say. */
    static String lifekeeperVersion(NodeFacts f) {
        return Boolean.FALSE.equals(f.lifekeeper()) ? "(none)" : f.lifekeeperVersion();
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

    private void insertNode(Connection c, long clusterId, NodeRow n, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO fleet_node (cluster_id, name, first_seen_at, "
                + "received_at, sent_at, agent_version, agent_started_at, seq, dropped, resources, instance, labels, "
                + "fleet_actions, actions_via) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
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
            ps.setLong(1 + NODE_REPORT_PARAMETERS, clusterId);
            ps.setString(2 + NODE_REPORT_PARAMETERS, n.name());
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
        ps.setString(i + 8, toJson(n.labels()));
        ps.setBoolean(i + 9, n.fleetActions());
        ps.setString(i + 10, n.actionsVia());
    }
}
