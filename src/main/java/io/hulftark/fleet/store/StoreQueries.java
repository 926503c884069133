package io.hulftark.fleet.store;

import io.hulftark.fleet.state.ClusterState;
import io.hulftark.fleet.state.DriftItem;
import io.hulftark.wire.NodeFacts;
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
import io.hulftark.fleet.store.StoreRows.WindowRow;

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

import javax.sql.DataSource;

import static io.hulftark.fleet.store.Sql.getInstant;
import static io.hulftark.fleet.store.Sql.micros;
import static io.hulftark.fleet.store.Sql.setInstant;
import static io.hulftark.fleet.store.StoreRows.EVENT_COLUMNS;
import static io.hulftark.fleet.store.StoreRows.ROW_COLUMNS;
import static io.hulftark.fleet.store.StoreRows.STRINGS;
import static io.hulftark.fleet.store.StoreRows.json;
import static io.hulftark.fleet.store.StoreRows.labelPattern;
import static io.hulftark.fleet.store.StoreRows.likeEscaped;
import static io.hulftark.fleet.store.StoreRows.nodes;
import static io.hulftark.fleet.store.StoreRows.row;
import static io.hulftark.fleet.store.StoreRows.view;
import static io.hulftark.fleet.store.StoreRows.windowRows;

/** The reads of the fleet store: summary, cluster table and detail, history, and the metrics' snapshot. */
final class StoreQueries {

    private final DataSource dataSource;
    private final JdbcFleetStore.Dialect dialect;
    private final Duration freshFor;

    StoreQueries(DataSource dataSource, JdbcFleetStore.Dialect dialect, Duration freshFor) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.freshFor = freshFor;
    }

    /**
     * Counting every cluster costs a pass over the table (10 ms at 5,000 clusters on H2), and a dashboard asks
     * for it on every change it sees. So a summary is reused for up to this long, as long as no event was
     * recorded since: a state change always records one, so only what time alone changes (an acknowledgement
     * ending, a flapping window closing, an event committed out of id order) can show up to this much later.
     */
    static final Duration SUMMARY_REUSE = Duration.ofSeconds(1);
    private volatile Summary lastSummary;

    Summary summary(Instant now) {
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

    ClusterPage clusters(ClusterQuery query, Instant now) {
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
            args.add("%" + likeEscaped(q.strip().toLowerCase(Locale.ROOT)) + "%");
        });
        // Each label by some known node (AND): one LIKE each on the cluster's lines of its nodes' labels (V11).
        query.labels().forEach((key, value) -> {
            conditions.add("labels LIKE ? ESCAPE '\\'");
            args.add(labelPattern(key, value));
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
            case PROBLEM -> "problem_rank, since, " + dialect.nameOrder();
            case NAME -> dialect.nameOrder();
            case SINCE -> "since DESC, " + dialect.nameOrder();
        };
        return "SELECT " + ROW_COLUMNS + " FROM fleet_cluster" + where + " ORDER BY " + order + " LIMIT ? OFFSET ?";
    }


    /** Clusters by name, 500 a statement. */
    Map<String, ClusterRow> rows(Collection<String> names, Instant now) {
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

    Optional<ClusterDetail> cluster(String name, int historyLimit, Instant now) {
        Instant at = micros(now);
        return Sql.read(dataSource, "cluster " + name, c -> {
            long id;
            ClusterRow row;
            List<String> problems;
            List<DriftItem> drift;
            List<String> warnings;
            try (PreparedStatement ps = c.prepareStatement("SELECT id, problems, drift, warnings, " + ROW_COLUMNS
                    + " FROM fleet_cluster WHERE name = ? AND state IS NOT NULL")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    id = rs.getLong("id");
                    row = row(rs, at);
                    problems = json(rs.getString("problems"), STRINGS);
                    drift = json(rs.getString("drift"), StoreRows.DRIFT);
                    warnings = json(rs.getString("warnings"), STRINGS);
                }
            }
            Map<String, NodeFacts> facts = StoreRows.facts(c, id);
            List<FleetNode> nodes = nodes(c, id).values().stream().filter(n -> !n.forgotten())
                    .map(n -> new FleetNode(n.name(), n.receivedAt(), n.sentAt(),
                            n.sentAt() == null ? 0 : Duration.between(n.receivedAt(), n.sentAt()).toMillis(),
                            !n.receivedAt().isBefore(at.minus(freshFor)), n.agentVersion(), n.agentStartedAt(),
                            n.dropped(), n.resources(), n.labels(), n.fleetActions(), n.actionsVia(),
                            facts.get(n.name())))
                    .toList();
            return Optional.of(new ClusterDetail(row, problems, nodes, acks(c, id, name, at),
                    maintenance(c, id, name, at), history(c, name, historyLimit), drift, warnings));
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

    List<FleetEvent> events(EventQuery query) {
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

    long lastEventId() {
        return Sql.read(dataSource, "last event id", StoreQueries::lastEventId);
    }

    private static long lastEventId(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT MAX(id) FROM fleet_event")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    List<ClusterSnapshotRow> snapshot(Instant now) {
        Instant at = micros(now);
        // One statement: every row and its silent nodes as of one moment, also on PostgreSQL's READ COMMITTED.
        // The drift and readiness counts are kept on the row with each derivation, so they cost no join.
        String sql = "SELECT " + ROW_COLUMNS + ", (SELECT COUNT(*) FROM fleet_node n WHERE n.cluster_id = c.id "
                + "AND NOT n.forgotten AND n.received_at < ?) AS silent_nodes, c.drift_count, c.readiness_failures "
                + "FROM fleet_cluster c WHERE c.state IS NOT NULL";
        return Sql.read(dataSource, "metrics snapshot", c -> {
            List<ClusterSnapshotRow> rows = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                setInstant(ps, 1, at.minus(freshFor));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new ClusterSnapshotRow(row(rs, at), rs.getInt("silent_nodes"),
                                rs.getInt("drift_count"), rs.getInt("readiness_failures")));
                    }
                }
            }
            return rows;
        });
    }
}
