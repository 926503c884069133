package io.hulftark.fleet.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.hulftark.wire.Status;
import io.hulftark.wire.NodeFacts;
import io.hulftark.wire.Report;
import io.hulftark.fleet.state.Acknowledgement;
import io.hulftark.fleet.state.ClusterEvaluator;
import io.hulftark.fleet.state.ClusterState;
import io.hulftark.fleet.state.DriftItem;
import io.hulftark.fleet.state.Maintenance;
import io.hulftark.fleet.state.NodeReport;
import io.hulftark.fleet.state.ReadinessFailure;
import io.hulftark.fleet.state.ResourceReport;
import io.hulftark.fleet.view.ClusterRow;
import io.hulftark.fleet.view.MaintenanceView;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

import static io.hulftark.fleet.store.Sql.getInstant;
import static io.hulftark.fleet.store.Sql.setInstant;

/**
 * The rows of the fleet store as its parts share them: the cluster's locked row, its nodes, acknowledgements,
 * windows and events, read and written the same way by the ingest, the operator writes and the queries, and the
 * JSON columns.
 */
final class StoreRows {

    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    static final TypeReference<List<String>> STRINGS = new TypeReference<>() { };
    static final TypeReference<List<Instant>> INSTANTS = new TypeReference<>() { };
    static final TypeReference<List<Report.Resource>> RESOURCES = new TypeReference<>() { };
    static final TypeReference<Map<String, String>> LABELS = new TypeReference<>() { };
    static final TypeReference<List<DriftItem>> DRIFT = new TypeReference<>() { };
    static final TypeReference<List<ReadinessFailure>> READINESS = new TypeReference<>() { };

    static final String CLUSTER_COLUMNS =
            "id, name, state, since, serving, serving_changes, ack_until, ack_by, ack_sticky, maintenance_until, "
            + "in_maintenance, version, drift, config_findings";
    static final String ROW_COLUMNS = "name, state, since, reason, problem_count, flapping, ack_until, ack_by, "
            + "ack_sticky, window_from, window_until, nodes, serving, last_report_at, labels";
    /** An open-ended recurring window's end, for the latest end of a cluster's windows (maintenance_until). */
    static final Instant NEVER = Instant.parse("9999-12-31T00:00:00Z");
    static final String NODE_COLUMNS = "name, forgotten, received_at, sent_at, agent_version, "
            + "agent_started_at, seq, dropped, resources, instance, labels, fleet_actions, actions_via, readiness";
    static final String EVENT_COLUMNS = "id, at, cluster, node, kind, tag, text, state";
    static final String INSERT_EVENT = "INSERT INTO fleet_event (at, cluster, node, kind, tag, text, state, "
            + "agent_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";

    private StoreRows() {
    }

    /**
     * The locked cluster row: what the evaluator needs besides nodes and windows, and its version.
     *
     * @param ackBy          who gave the acknowledgement in force (null: none); ackUntil its expiry (null: none)
     * @param drift          what differs between its nodes, as found when facts last arrived (V14)
     * @param configFindings the drift and readiness lines it derived last: a change is a CONFIG event (V14)
     */
    record Locked(long id, String name, ClusterEvaluator.Record record, Instant ackUntil, String ackBy,
                  boolean ackSticky, Instant maintenanceUntil, boolean inMaintenance, long version,
                  List<DriftItem> drift, List<String> configFindings) {

        Locked {
            drift = drift == null ? List.of() : List.copyOf(drift);
            configFindings = configFindings == null ? List.of() : List.copyOf(configFindings);
        }

        Locked with(Ack ack, Instant maintenanceUntil) {
            return new Locked(id, name, record, ack == null ? null : ack.until(), ack == null ? null : ack.by(),
                    ack != null && ack.sticky(), maintenanceUntil, inMaintenance, version, drift, configFindings);
        }

        /** The same row with the drift just found: the evaluation writes it with the row. */
        Locked withDrift(List<DriftItem> drift) {
            return new Locked(id, name, record, ackUntil, ackBy, ackSticky, maintenanceUntil, inMaintenance, version,
                    drift, configFindings);
        }

        boolean acked() {
            return ackBy != null;
        }

        boolean ackActive(Instant now) {
            return ackBy != null && (ackUntil == null || now.isBefore(ackUntil));
        }
    }

    /** A kept acknowledgement (fleet_ack), as the rules of {@link Acknowledgement} read it. */
    record Ack(long id, Acknowledgement ack) {
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
    record Known(Locked cluster, Map<String, NodeRow> nodes, List<Maintenance> windows) {
    }

    /**
     * @param instance     the agent process of the latest report (V6); null in a row from before it
     * @param labels       the agent's labels (V11)
     * @param fleetActions whether the agent runs the fleet view's actions (V11)
     * @param actionsVia   lifekeeper or direct; null when the agent does not say (V11)
     * @param readiness    the failing rows of its last preflight (V14): small, so a heartbeat derives with them
     *                     without reading the facts
     */
    record NodeRow(String name, boolean forgotten, Instant receivedAt, Instant sentAt, String agentVersion,
                   Instant agentStartedAt, long seq, long dropped, List<Report.Resource> resources,
                   String instance, Map<String, String> labels, boolean fleetActions, String actionsVia,
                   List<ReadinessFailure> readiness) {

        NodeRow {
            readiness = readiness == null ? List.of() : List.copyOf(readiness);
        }

        /** The agent process of the row's report: an agent without an instance id is one process per start. */
        String process() {
            return instance != null ? instance : "started@" + agentStartedAt;
        }

        NodeReport toNodeReport() {
            return new NodeReport(name, receivedAt, resources.stream().map(r -> new ResourceReport(r.tag(),
                    r.status() == null ? Status.UNKNOWN : r.status(), r.role() == null ? "unknown" : r.role(),
                    r.reason())).toList(), readiness);
        }
    }

    /** An event to append; agentSeq is set for the agent's own events, which are taken once. */
    record NewEvent(Instant at, String cluster, String node, String kind, String tag, String text,
                    ClusterState state, Long agentSeq) {

        static NewEvent fleet(Instant at, String cluster, String node, String kind, String text) {
            return new NewEvent(at, cluster, node, kind, null, text, null, null);
        }
    }

    @FunctionalInterface
    interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    /** @param skipLocked a row another transaction holds is left out rather than waited for */
    static Optional<Locked> lock(Connection c, String where, Binder args, boolean skipLocked) throws SQLException {
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
                        getInstant(rs, "maintenance_until"), rs.getBoolean("in_maintenance"), rs.getLong("version"),
                        json(rs.getString("drift"), DRIFT), json(rs.getString("config_findings"), STRINGS)));
            }
        }
    }

    static Locked lockExisting(Connection c, String cluster) throws SQLException {
        return lock(c, "name = ?", ps -> ps.setString(1, cluster), false).orElseThrow(() -> new UnknownClusterException(cluster));
    }

    static Map<String, NodeRow> nodes(Connection c, long clusterId) throws SQLException {
        Map<String, NodeRow> nodes = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + NODE_COLUMNS
                + " FROM fleet_node WHERE cluster_id = ?")) {
            ps.setLong(1, clusterId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    NodeRow n = new NodeRow(rs.getString("name"), rs.getBoolean("forgotten"),
                            getInstant(rs, "received_at"), getInstant(rs, "sent_at"), rs.getString("agent_version"),
                            getInstant(rs, "agent_started_at"), rs.getLong("seq"), rs.getLong("dropped"),
                            json(rs.getString("resources"), RESOURCES), rs.getString("instance"),
                            json(rs.getString("labels"), LABELS), rs.getBoolean("fleet_actions"),
                            rs.getString("actions_via"), json(rs.getString("readiness"), READINESS));
                    nodes.put(n.name(), n);
                }
            }
        }
        return nodes;
    }

    /**
     * The latest facts of each of the cluster's known nodes that sent any, by node name: read only when facts
     * arrive, a node is forgotten, or the cluster is shown in full, never by a heartbeat.
     */
    static Map<String, NodeFacts> facts(Connection c, long clusterId) throws SQLException {
        Map<String, NodeFacts> facts = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT name, facts FROM fleet_node "
                + "WHERE cluster_id = ? AND NOT forgotten AND facts IS NOT NULL")) {
            ps.setLong(1, clusterId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    facts.put(rs.getString("name"), json(rs.getString("facts"), NODE_FACTS));
                }
            }
        }
        return facts;
    }

    static final TypeReference<NodeFacts> NODE_FACTS = new TypeReference<>() { };

    /** The failing rows of the facts' preflights, resource by resource, in their order. */
    static List<ReadinessFailure> readiness(NodeFacts facts) {
        List<ReadinessFailure> failures = new ArrayList<>();
        for (NodeFacts.ResourceFacts r : facts.resources()) {
            r.preflight().stream().filter(row -> NodeFacts.PreflightRow.FAIL.equals(row.result()))
                    .forEach(row -> failures.add(new ReadinessFailure(r.tag(), row.check(), row.detail())));
        }
        return failures;
    }

    /** One batch for all of a write's events; an agent event already kept counts 0. */
    static int[] insertEvents(Connection c, List<NewEvent> events) throws SQLException {
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

    /** The cluster's acknowledgements, oldest first. */
    static List<Ack> acknowledgements(Connection c, long clusterId) throws SQLException {
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
    static Ack inForce(Connection c, long clusterId) throws SQLException {
        List<Ack> acks = acknowledgements(c, clusterId);
        return acks.isEmpty() ? null : acks.get(acks.size() - 1);
    }

    /** Every window of the cluster not yet over: a future one still sets recheck_at to its start. */
    static List<Maintenance> windows(Connection c, long clusterId, Instant now) throws SQLException {
        return windowRows(c, clusterId, now).stream().map(WindowRow::window).toList();
    }

    /** A kept window and what the API shows of it besides. */
    record WindowRow(long id, Maintenance window, String by, Instant at) {
    }

    static final String WINDOW_COLUMNS = "id, starts_at, ends_at, reason, by_user, at, days, start_time, "
            + "duration_s, zone";

    static List<WindowRow> windowRows(Connection c, long clusterId, Instant now) throws SQLException {
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

    static ClusterRow row(ResultSet rs, Instant now) throws SQLException {
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
                acknowledged && rs.getBoolean("ack_sticky"), inMaintenance, inMaintenance ? windowUntil : null,
                labels(rs.getString("labels")));
    }

    /**
     * The cluster's labels column (V11): its known nodes' distinct labels as lines "\nkey=value\n...\n", sorted, so
     * that one LIKE finds a label ({@link #labelPattern}); "" when none. A key never holds "=" and no label a line
     * break (ReportValidator), so a line reads back as it was.
     */
    static String labelLines(Collection<NodeRow> nodes) {
        java.util.SortedSet<String> pairs = new java.util.TreeSet<>();
        for (NodeRow n : nodes) {
            n.labels().forEach((k, v) -> pairs.add(k + "=" + v));
        }
        return pairs.isEmpty() ? "" : "\n" + String.join("\n", pairs) + "\n";
    }

    /** The LIKE pattern (escape \\) of the cluster rows whose labels column holds {@code key=value}. */
    static String labelPattern(String key, String value) {
        return "%\n" + likeEscaped(key + "=" + value) + "\n%";
    }

    /** Text as itself in a LIKE pattern with ESCAPE '\\'. */
    static String likeEscaped(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    /** A cluster's labels from its labels column: a key whose value differs between nodes has each, joined by ",". */
    static Map<String, String> labels(String lines) {
        if (lines == null || lines.isEmpty()) {
            return Map.of();
        }
        Map<String, String> labels = new TreeMap<>();
        for (String line : lines.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                labels.merge(line.substring(0, eq), line.substring(eq + 1), (a, b) -> a + "," + b);
            }
        }
        return labels;
    }

    static MaintenanceView view(WindowRow row, String cluster, Instant now) {
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

    static boolean delete(Connection c, String sql, long id, long clusterId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, id);
            ps.setLong(2, clusterId);
            return ps.executeUpdate() > 0;
        }
    }

    static long generatedId(PreparedStatement ps) throws SQLException {
        try (ResultSet keys = ps.getGeneratedKeys()) {
            if (!keys.next()) {
                throw new SQLException("the database returned no generated id");
            }
            return keys.getLong(1);
        }
    }

    static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + Sql.oneLine(e), e);
        }
    }

    static <T> T json(String text, TypeReference<T> type) throws SQLException {
        try {
            return JSON.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new SQLException("a JSON column of the fleet store does not parse: " + Sql.oneLine(e), e);
        }
    }
}
