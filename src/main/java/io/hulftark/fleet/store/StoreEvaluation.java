package io.hulftark.fleet.store;

import io.hulftark.fleet.notify.JdbcOutbox;
import io.hulftark.fleet.state.ClusterEvaluator;
import io.hulftark.fleet.state.ClusterState;
import io.hulftark.fleet.state.ClusterStateDeriver;
import io.hulftark.fleet.state.Drift;
import io.hulftark.fleet.state.DriftItem;
import io.hulftark.fleet.state.Maintenance;
import io.hulftark.fleet.state.NodeReport;
import io.hulftark.fleet.view.FleetEvent;
import io.hulftark.fleet.store.StoreRows.Ack;
import io.hulftark.fleet.store.StoreRows.Locked;
import io.hulftark.fleet.store.StoreRows.NewEvent;
import io.hulftark.fleet.store.StoreRows.NodeRow;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.sql.DataSource;

import static io.hulftark.fleet.store.Sql.micros;
import static io.hulftark.fleet.store.Sql.setInstant;
import static io.hulftark.fleet.store.StoreRows.acknowledgements;
import static io.hulftark.fleet.store.StoreRows.delete;
import static io.hulftark.fleet.store.StoreRows.inForce;
import static io.hulftark.fleet.store.StoreRows.insertEvents;
import static io.hulftark.fleet.store.StoreRows.labelLines;
import static io.hulftark.fleet.store.StoreRows.lock;
import static io.hulftark.fleet.store.StoreRows.nodes;
import static io.hulftark.fleet.store.StoreRows.toJson;
import static io.hulftark.fleet.store.StoreRows.windows;

/**
 * Derives a locked cluster again and writes its row with the next version (every write to a cluster ends here),
 * and re-derives the clusters that time alone may have changed.
 */
final class StoreEvaluation {

    private static final int DUE_BATCH = 500;

    /** The cluster's row as derived, with the next version, if it is still at {@code cluster}'s version. */
    static final String UPDATE_CLUSTER = "UPDATE fleet_cluster SET state = ?, since = ?, reason = ?, "
            + "problems = ?, problem_count = ?, flapping = ?, serving = ?, serving_changes = ?, nodes = ?, "
            + "search = ?, last_report_at = ?, recheck_at = ?, problem_rank = ?, ack_by = ?, ack_until = ?, "
            + "ack_sticky = ?, window_from = ?, window_until = ?, in_maintenance = ?, labels = ?, drift = ?, "
            + "drift_count = ?, readiness_failures = ?, warnings = ?, config_findings = ?, version = ? "
            + "WHERE id = ? AND version = ?";

    private final DataSource dataSource;
    private final ClusterEvaluator evaluator;
    /**
     * The same rules with drift and readiness as warnings only: what it warns of is this derivation's drift and
     * readiness findings, whichever the site's effect. Null when {@link #evaluator} warns already.
     */
    private final ClusterEvaluator findingsEvaluator;
    private final Set<String> perNodeKeys;
    /** Whether each state change is also written to the notifications' outbox (fleet/notify): only with receivers. */
    private volatile boolean recordStateChanges;

    StoreEvaluation(DataSource dataSource, ClusterEvaluator evaluator, ClusterEvaluator findingsEvaluator,
                    Set<String> perNodeKeys) {
        this.dataSource = dataSource;
        this.evaluator = evaluator;
        this.findingsEvaluator = findingsEvaluator;
        this.perNodeKeys = Set.copyOf(perNodeKeys);
    }

    /**
     * What differs between the cluster's known nodes now, from their facts as kept (read in the caller's
     * transaction): when facts arrived or a node was forgotten, never on a heartbeat.
     */
    List<DriftItem> findDrift(Connection c, long clusterId) throws SQLException {
        return Drift.find(StoreRows.facts(c, clusterId), perNodeKeys);
    }

    void recordStateChanges(boolean on) {
        this.recordStateChanges = on;
    }

    boolean recordsStateChanges() {
        return recordStateChanges;
    }

    // ---------------------------------------------------------------- evaluate

    /**
     * Derives the locked cluster again and writes its row with the next version; records a STATE event when the
     * state changed.
     * {@code nodes} are all of the cluster's node rows, forgotten ones included (they are left out here).
     */
    Evaluated evaluate(Connection c, Locked cluster, Map<String, NodeRow> nodes, Instant now)
            throws SQLException {
        return evaluate(c, cluster, nodes, cluster.drift(), now);
    }

    /** As {@link #evaluate(Connection, Locked, Map, Instant)} with the drift just found (facts arrived). */
    Evaluated evaluate(Connection c, Locked cluster, Map<String, NodeRow> nodes, List<DriftItem> drift, Instant now)
            throws SQLException {
        List<Maintenance> windows = cluster.maintenanceUntil() != null && cluster.maintenanceUntil().isAfter(now)
                ? windows(c, cluster.id(), now) : List.of();
        Derivation d = derive(cluster, nodes, windows, drift, now);
        Optional<NewEvent> change = stateChange(cluster, d, now);
        // The findings that began or ended come before the change of state they caused.
        List<NewEvent> events = new ArrayList<>(configChanges(cluster, d, now));
        change.ifPresent(events::add);
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
        return new Evaluated(written, d, windows);
    }

    /** A derivation and the cluster row it wrote (its acknowledgement may have ended). */
    record Evaluated(Locked cluster, Derivation derivation, List<Maintenance> windows) {
        ClusterEvaluator.Evaluation ev() {
            return derivation.ev();
        }
    }

    /**
     * A CONFIG event for each drift or readiness line that is new since the cluster's last derivation ("began:
     * LINE") and each that is gone ("ended: LINE"), in the order of the lines.
     */
    static List<NewEvent> configChanges(Locked cluster, Derivation d, Instant now) {
        if (d.findings().equals(cluster.configFindings())) {
            return List.of();
        }
        Set<String> before = new LinkedHashSet<>(cluster.configFindings());
        Set<String> after = new LinkedHashSet<>(d.findings());
        List<NewEvent> events = new ArrayList<>();
        before.stream().filter(line -> !after.contains(line)).forEach(line -> events.add(
                NewEvent.fleet(now, cluster.name(), null, FleetEvent.CONFIG, "ended: " + line)));
        after.stream().filter(line -> !before.contains(line)).forEach(line -> events.add(
                NewEvent.fleet(now, cluster.name(), null, FleetEvent.CONFIG, "began: " + line)));
        return events;
    }

    /**
     * Ends each of the cluster's acknowledgements that its rules end now (recovery, a change of state unless
     * sticky, expiry), with an ACK event saying why, in the transaction that derived the state: every instance
     * and both databases agree on when it ended. Returns the row with the acknowledgement still in force.
     */
    Locked endAcknowledgements(Connection c, Locked cluster, ClusterState after, Instant now,
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

    /**
     * A cluster derived again: the evaluation and what its row keeps besides.
     *
     * @param labels            its known nodes' labels as the labels column keeps them ({@link StoreRows#labelLines})
     * @param drift             what differs between its nodes (kept with the row)
     * @param findings          this derivation's drift and readiness lines, problems or warnings (config_findings)
     * @param readinessFailures the failing preflight rows of its known nodes
     */
    record Derivation(ClusterEvaluator.Evaluation ev, List<String> names, Instant lastReport, String labels,
                      List<String> labelValues, List<DriftItem> drift, List<String> findings,
                      int readinessFailures) {
    }

    /** {@code nodes} are all of the cluster's node rows, forgotten ones included (they are left out here). */
    Derivation derive(Locked cluster, Map<String, NodeRow> nodes, List<Maintenance> windows, Instant now) {
        return derive(cluster, nodes, windows, cluster.drift(), now);
    }

    /** With {@code drift} as the cluster's drift (just found, or as kept). */
    Derivation derive(Locked cluster, Map<String, NodeRow> nodes, List<Maintenance> windows, List<DriftItem> drift,
                      Instant now) {
        List<NodeRow> known = nodes.values().stream().filter(n -> !n.forgotten()).toList();
        List<NodeReport> reports = known.stream().map(NodeRow::toNodeReport).toList();
        List<Instant> ackUntils = cluster.ackUntil() == null ? List.of() : List.of(cluster.ackUntil());
        List<String> driftLines = drift.isEmpty() ? List.of() : Drift.lines(drift, Drift.tags(reports));
        ClusterEvaluator.Evaluation ev = evaluator.evaluate(cluster.name(), cluster.record(), reports, windows,
                ackUntils, driftLines, now);
        int readinessFailures = known.stream().mapToInt(n -> n.readiness().size()).sum();
        List<String> findings;
        if (driftLines.isEmpty() && readinessFailures == 0) {
            findings = List.of(); // the common case: nothing to find, no second derivation
        } else if (findingsEvaluator == null) {
            findings = ev.derived().warnings();
        } else {
            // The deriver words the findings (which node would fail over, which serves); derived once more as
            // warnings, they are exactly this derivation's findings, whatever else the cluster's problems are.
            findings = findingsEvaluator.evaluate(cluster.name(), cluster.record(), reports, windows, ackUntils,
                    driftLines, now).derived().warnings();
        }
        return new Derivation(ev, known.stream().map(NodeRow::name).toList(),
                known.stream().map(NodeRow::receivedAt).max(Instant::compareTo).orElse(null), labelLines(known),
                known.stream().flatMap(n -> n.labels().values().stream()).distinct().sorted().toList(),
                drift, findings, readinessFailures);
    }

    /** Binds {@link #UPDATE_CLUSTER}'s 28 parameters from {@code i}; returns the index after them. */
    static int bindCluster(PreparedStatement ps, int i, Locked cluster, Derivation derivation, Instant now)
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
        ps.setString(i + 9, search(cluster.name(), derivation.names(), derivation.labelValues()));
        setInstant(ps, i + 10, derivation.lastReport());
        setInstant(ps, i + 11, ev.recheckAt());
        ps.setInt(i + 12, problemRank(d.state(), cluster.ackActive(now), d.inMaintenance()));
        ps.setString(i + 13, cluster.ackBy());
        setInstant(ps, i + 14, cluster.ackUntil());
        ps.setBoolean(i + 15, cluster.ackSticky());
        setInstant(ps, i + 16, ev.window() == null ? null : ev.window().from());
        setInstant(ps, i + 17, ev.window() == null ? null : ev.window().until());
        ps.setBoolean(i + 18, d.inMaintenance());
        ps.setString(i + 19, derivation.labels());
        ps.setString(i + 20, toJson(derivation.drift()));
        ps.setInt(i + 21, derivation.drift().size());
        ps.setInt(i + 22, derivation.readinessFailures());
        ps.setString(i + 23, toJson(d.warnings()));
        ps.setString(i + 24, toJson(derivation.findings()));
        ps.setLong(i + 25, cluster.version() + 1);
        ps.setLong(i + 26, cluster.id());
        ps.setLong(i + 27, cluster.version());
        return i + 28;
    }

    /**
     * Writes the derived row, if the cluster is still at {@code cluster}'s version (which also locks it). False,
     * having written nothing, when the version moved on.
     */
    static boolean updateCluster(Connection c, Locked cluster, Derivation derivation, Instant now)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(UPDATE_CLUSTER)) {
            bindCluster(ps, 1, cluster, derivation, now);
            return ps.executeUpdate() > 0;
        }
    }

    /** The STATE event of a derivation that changed the state. */
    static Optional<NewEvent> stateChange(Locked cluster, Derivation derivation, Instant now) {
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

    /**
     * "\nname\nnode1\nnode2\nlabel value..", lower-cased: q matches within one name or label value, never across
     * two.
     */
    static String search(String cluster, List<String> nodes, List<String> labelValues) {
        StringBuilder s = new StringBuilder("\n").append(cluster.toLowerCase(Locale.ROOT));
        nodes.forEach(n -> s.append('\n').append(n.toLowerCase(Locale.ROOT)));
        labelValues.forEach(v -> s.append('\n').append(v.toLowerCase(Locale.ROOT)));
        return s.toString();
    }

    int reevaluateDue(Instant now) {
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
}
