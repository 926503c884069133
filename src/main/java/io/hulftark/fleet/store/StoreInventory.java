package io.hulftark.fleet.store;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.hulftark.fleet.view.InventoryCounts;
import io.hulftark.fleet.view.InventoryNode;
import io.hulftark.fleet.view.InventoryPage;
import io.hulftark.fleet.view.InventoryQuery;

import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

import javax.sql.DataSource;

import static io.hulftark.fleet.store.Sql.getInstant;
import static io.hulftark.fleet.store.Sql.micros;
import static io.hulftark.fleet.store.StoreRows.JSON;
import static io.hulftark.fleet.store.StoreRows.LABELS;
import static io.hulftark.fleet.store.StoreRows.json;
import static io.hulftark.fleet.store.StoreRows.likeEscaped;

/**
 * The inventory (issue 13): every known node with what its latest facts say, filtered, searched, sorted and paged,
 * exported row by row, and counted per agent version, OS, JVM and LifeKeeper version. It reads the columns the
 * ingest copies out of the facts (V14): os ("os osVersion"), jvm, lifekeeper_version ("(none)" without LifeKeeper,
 * null when not known), host, readiness; what the row shows besides (the OS's name and version apart, whether
 * LifeKeeper is installed) comes from the facts' JSON.
 *
 * <p>Pages and counts come from the {@link InventoryReadModel} (every known node in memory, its facts' JSON parsed
 * once per new facts), so a page never sorts in the database under the reports' write load; the CSV export streams
 * from the database in fetches (10,000 nodes never sit in its memory at once).
 */
final class StoreInventory {

    /** Rows a CSV export takes from the database at a time: 10,000 nodes never sit in memory at once. */
    static final int FETCH_SIZE = 500;

    private static final String FROM = " FROM fleet_node n JOIN fleet_cluster c ON c.id = n.cluster_id";
    private static final String COLUMNS = "c.name AS cluster, n.name AS node, n.received_at, n.agent_version, "
            + "n.os, n.jvm, n.host, n.platform, n.lifekeeper_version, n.labels, n.facts_at, n.validated_at, "
            + "n.readiness, c.drift_count, n.facts";
    /** What the read model keeps of a node: the columns without the facts' JSON. */
    private static final String ROW_COLUMNS = "c.name AS cluster, n.name AS node, n.received_at, n.agent_version, "
            + "n.os, n.jvm, n.host, n.platform, n.lifekeeper_version, n.labels, n.facts_at, n.validated_at, "
            + "n.readiness, c.drift_count";

    private final DataSource dataSource;
    private final JdbcFleetStore.Dialect dialect;
    private final Duration freshFor;
    private final InventoryReadModel model;

    StoreInventory(DataSource dataSource, JdbcFleetStore.Dialect dialect, Duration freshFor) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.freshFor = freshFor;
        this.model = new InventoryReadModel(this::load);
    }

    /** A WHERE clause (never empty: forgotten nodes are not known) and its arguments in order. */
    private record Filter(String where, List<String> args) {
        void bind(PreparedStatement ps) throws SQLException {
            for (int i = 0; i < args.size(); i++) {
                ps.setString(i + 1, args.get(i));
            }
        }
    }

    InventoryPage inventory(InventoryQuery query, Instant now) {
        if (query.offset() < 0 || query.limit() < 1 || query.limit() > 1000) {
            throw new IllegalArgumentException("offset must be 0 or more and limit 1 to 1000, not offset "
                    + query.offset() + " limit " + query.limit());
        }
        Instant stale = micros(now).minus(freshFor);
        List<InventoryReadModel.Row> matches = new ArrayList<>();
        String q = query.q().map(String::strip).filter(s -> !s.isEmpty()).map(s -> s.toLowerCase(Locale.ROOT))
                .orElse(null);
        for (InventoryReadModel.Row row : model.read().rows()) {
            if (matches(row, query, q)) {
                matches.add(row);
            }
        }
        matches.sort(comparator(query));
        List<InventoryNode> nodes = new ArrayList<>();
        int end = (int) Math.min(matches.size(), (long) query.offset() + query.limit());
        for (int i = query.offset(); i < end; i++) {
            nodes.add(fresh(matches.get(i).node(), stale));
        }
        return new InventoryPage(matches.size(), query.offset(), query.limit(), nodes);
    }

    /** The read model's rows: the store's writes by this instance invalidate it (see JdbcFleetStore). */
    InventoryReadModel model() {
        return model;
    }

    private static InventoryNode fresh(InventoryNode n, Instant stale) {
        return new InventoryNode(n.cluster(), n.node(), n.receivedAt(), !n.receivedAt().isBefore(stale),
                n.agentVersion(), n.os(), n.osVersion(), n.jvm(), n.host(), n.platform(), n.lifekeeper(),
                n.lifekeeperVersion(), n.labels(), n.factsAt(), n.validatedAt(), n.readinessFailures(), n.drifting());
    }

    /** The filter of {@link #filter} on a row of the read model (the same semantics as the SQL). */
    private static boolean matches(InventoryReadModel.Row row, InventoryQuery query, String q) {
        InventoryNode n = row.node();
        if (query.cluster().isPresent() && !query.cluster().get().equals(n.cluster())) {
            return false;
        }
        if (q != null && !n.node().toLowerCase(Locale.ROOT).contains(q)
                && !n.cluster().toLowerCase(Locale.ROOT).contains(q)
                && (n.host() == null || !n.host().toLowerCase(Locale.ROOT).contains(q))) {
            return false;
        }
        if (!exact(n.agentVersion(), query.agentVersion().orElse(null))
                || !exact(row.osColumn(), query.os().orElse(null))
                || !exact(n.jvm(), query.jvm().orElse(null))
                || !exact(row.lifekeeperColumn(), query.lifekeeper().orElse(null))) {
            return false;
        }
        for (Map.Entry<String, String> label : query.labels().entrySet()) {
            if (!label.getValue().equals(n.labels().get(label.getKey()))) {
                return false;
            }
        }
        if (query.readiness().isPresent()) {
            // As the SQL compares the column: a node without it is neither failing nor passing.
            if (row.readiness() == null || query.readiness().get() == row.readiness().equals("[]")) {
                return false;
            }
        }
        return true;
    }

    private static boolean exact(String value, String wanted) {
        if (wanted == null) {
            return true;
        }
        return wanted.equals(InventoryQuery.UNKNOWN) ? value == null : wanted.equals(value);
    }

    /** The order of {@link #order(InventoryQuery)} in Java: unknown last either way, ties by cluster then node. */
    private static Comparator<InventoryReadModel.Row> comparator(InventoryQuery query) {
        Comparator<String> text = query.descending() ? Comparator.<String>reverseOrder() : Comparator.naturalOrder();
        Comparator<String> unknownLast = Comparator.nullsLast(text);
        Comparator<InventoryReadModel.Row> cluster = Comparator.comparing(r -> r.node().cluster());
        Comparator<InventoryReadModel.Row> node = Comparator.comparing(r -> r.node().node());
        Comparator<InventoryReadModel.Row> first = switch (query.sort()) {
            case CLUSTER -> Comparator.comparing((InventoryReadModel.Row r) -> r.node().cluster(), text).thenComparing(node);
            case NODE -> Comparator.comparing((InventoryReadModel.Row r) -> r.node().node(), text).thenComparing(cluster);
            case AGENT_VERSION -> Comparator.comparing((InventoryReadModel.Row r) -> r.node().agentVersion(), unknownLast);
            case OS -> Comparator.comparing(InventoryReadModel.Row::osColumn, unknownLast);
            case JVM -> Comparator.comparing((InventoryReadModel.Row r) -> r.node().jvm(), unknownLast);
            case LIFEKEEPER -> Comparator.comparing(InventoryReadModel.Row::lifekeeperColumn, unknownLast);
            case RECEIVED_AT -> Comparator.comparing((InventoryReadModel.Row r) -> r.node().receivedAt(),
                    query.descending() ? Comparator.<Instant>reverseOrder() : Comparator.naturalOrder());
        };
        return first.thenComparing(cluster).thenComparing(node);
    }

    /**
     * Every known node, by ONE statement without the facts' JSON; the facts of a node whose facts_at is not the one
     * the previous snapshot parsed are read by a second statement (every node's at the first read, then only new
     * facts: heartbeats never cost it).
     */
    private List<InventoryReadModel.Row> load(InventoryReadModel.Snapshot previous) {
        String sql = "SELECT " + ROW_COLUMNS + FROM + " WHERE NOT n.forgotten ORDER BY " + text("c.name") + ", "
                + text("n.name");
        return Sql.read(dataSource, "inventory", c -> {
            List<Object[]> read = new ArrayList<>();
            Map<String, Instant> changed = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String cluster = rs.getString("cluster");
                    String node = rs.getString("node");
                    Instant factsAt = getInstant(rs, "facts_at");
                    InventoryReadModel.Row before = previous == null ? null
                            : previous.byKey().get(InventoryReadModel.key(cluster, node));
                    Facts facts = null;
                    if (factsAt == null) {
                        facts = new Facts();
                    } else if (before != null && factsAt.equals(before.node().factsAt())) {
                        facts = before.facts();
                    } else {
                        changed.put(InventoryReadModel.key(cluster, node), factsAt);
                    }
                    read.add(new Object[] {cluster, node, getInstant(rs, "received_at"), rs.getString("agent_version"),
                            rs.getString("os"), rs.getString("jvm"), rs.getString("host"), rs.getString("platform"),
                            rs.getString("lifekeeper_version"), rs.getString("labels"), factsAt,
                            getInstant(rs, "validated_at"), rs.getString("readiness"), rs.getInt("drift_count"), facts});
                }
            }
            Map<String, Facts> parsed = new HashMap<>();
            if (!changed.isEmpty()) {
                Instant oldest = changed.values().stream().min(Instant::compareTo).orElseThrow();
                try (PreparedStatement ps = c.prepareStatement("SELECT c.name AS cluster, n.name AS node, n.facts"
                        + FROM + " WHERE NOT n.forgotten AND n.facts_at >= ?")) {
                    Sql.setInstant(ps, 1, oldest);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            String key = InventoryReadModel.key(rs.getString("cluster"), rs.getString("node"));
                            if (changed.containsKey(key)) {
                                parsed.put(key, facts(rs.getString("facts")));
                            }
                        }
                    }
                }
            }
            List<InventoryReadModel.Row> rows = new ArrayList<>(read.size());
            for (Object[] v : read) {
                Facts facts = v[14] != null ? (Facts) v[14]
                        : parsed.getOrDefault(InventoryReadModel.key((String) v[0], (String) v[1]), new Facts());
                String readiness = (String) v[12];
                InventoryNode node = node((String) v[0], (String) v[1], (Instant) v[2], false, (String) v[3],
                        (String) v[4], (String) v[5], (String) v[6], (String) v[7], (String) v[8],
                        json((String) v[9], LABELS), (Instant) v[10], (Instant) v[11], rows(readiness),
                        (Integer) v[13] > 0, facts);
                rows.add(new InventoryReadModel.Row(node, (String) v[4], (String) v[8], readiness, facts));
            }
            return rows;
        });
    }

    void export(InventoryQuery query, Instant now, Consumer<InventoryNode> sink) {
        Instant at = micros(now);
        Filter filter = filter(query);
        String sql = "SELECT " + COLUMNS + FROM + filter.where() + " ORDER BY " + order(query);
        Sql.read(dataSource, "inventory export", c -> {
            // PostgreSQL fetches by the fetch size only inside a transaction; without one it reads every row first.
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setFetchSize(FETCH_SIZE);
                filter.bind(ps);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        sink.accept(node(rs, at));
                    }
                }
            } finally {
                c.rollback(); // read only: nothing to keep
                c.setAutoCommit(autoCommit);
            }
            return null;
        });
    }

    InventoryCounts counts() {
        // One snapshot: every dimension counts the same nodes.
        Map<String, Long> agentVersion = new HashMap<>();
        Map<String, Long> os = new HashMap<>();
        Map<String, Long> jvm = new HashMap<>();
        Map<String, Long> lifekeeper = new HashMap<>();
        List<InventoryReadModel.Row> rows = model.read().rows();
        for (InventoryReadModel.Row row : rows) {
            agentVersion.merge(orUnknown(row.node().agentVersion()), 1L, Long::sum);
            os.merge(orUnknown(row.osColumn()), 1L, Long::sum);
            jvm.merge(orUnknown(row.node().jvm()), 1L, Long::sum);
            lifekeeper.merge(orUnknown(row.lifekeeperColumn()), 1L, Long::sum);
        }
        return new InventoryCounts(rows.size(), mostFirst(agentVersion), mostFirst(os), mostFirst(jvm),
                mostFirst(lifekeeper));
    }

    private static String orUnknown(String value) {
        return value == null ? InventoryQuery.UNKNOWN : value;
    }

    private static Map<String, Long> mostFirst(Map<String, Long> counts) {
        Map<String, Long> sorted = new LinkedHashMap<>();
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    private Filter filter(InventoryQuery query) {
        List<String> conditions = new ArrayList<>();
        List<String> args = new ArrayList<>();
        conditions.add("NOT n.forgotten");
        query.cluster().ifPresent(cluster -> {
            conditions.add("c.name = ?");
            args.add(cluster);
        });
        query.q().map(String::strip).filter(q -> !q.isEmpty()).ifPresent(q -> {
            String pattern = "%" + likeEscaped(q.toLowerCase(Locale.ROOT)) + "%";
            conditions.add("(LOWER(n.name) LIKE ? ESCAPE '\\' OR LOWER(c.name) LIKE ? ESCAPE '\\' "
                    + "OR LOWER(n.host) LIKE ? ESCAPE '\\')");
            args.add(pattern);
            args.add(pattern);
            args.add(pattern);
        });
        exact("n.agent_version", query.agentVersion().orElse(null), conditions, args);
        exact("n.os", query.os().orElse(null), conditions, args);
        exact("n.jvm", query.jvm().orElse(null), conditions, args);
        // "(none)" is what the column holds for a node without LifeKeeper: an exact match like any version.
        exact("n.lifekeeper_version", query.lifekeeper().orElse(null), conditions, args);
        // The node's labels are its JSON object (V11); a key never needs escaping (ReportValidator.LABEL_KEY) and a
        // quote in a value is always escaped, so "key":"value" is found only as that pair.
        query.labels().forEach((key, value) -> {
            conditions.add("n.labels LIKE ? ESCAPE '\\'");
            args.add("%" + likeEscaped(jsonString(key) + ":" + jsonString(value)) + "%");
        });
        query.readiness().ifPresent(failing -> conditions.add(failing ? "n.readiness <> '[]'" : "n.readiness = '[]'"));
        return new Filter(" WHERE " + String.join(" AND ", conditions), args);
    }

    private static void exact(String column, String value, List<String> conditions, List<String> args) {
        if (value == null) {
            return;
        }
        if (value.equals(InventoryQuery.UNKNOWN)) {
            conditions.add(column + " IS NULL");
        } else {
            conditions.add(column + " = ?");
            args.add(value);
        }
    }

    /** The query's order, unknown values last either way, ties by cluster then node (both ascending). */
    private String order(InventoryQuery query) {
        String direction = query.descending() ? " DESC" : "";
        String cluster = text("c.name");
        String node = text("n.name");
        return switch (query.sort()) {
            case CLUSTER -> cluster + direction + ", " + node;
            case NODE -> node + direction + ", " + cluster;
            case AGENT_VERSION -> text("n.agent_version") + direction + " NULLS LAST, " + cluster + ", " + node;
            case OS -> text("n.os") + direction + " NULLS LAST, " + cluster + ", " + node;
            case JVM -> text("n.jvm") + direction + " NULLS LAST, " + cluster + ", " + node;
            case LIFEKEEPER -> text("n.lifekeeper_version") + direction + " NULLS LAST, " + cluster + ", " + node;
            case RECEIVED_AT -> "n.received_at" + direction + ", " + cluster + ", " + node;
        };
    }

    /** Text in the same order on both databases (PostgreSQL's "C", as the cluster table's names). */
    private String text(String column) {
        return dialect == JdbcFleetStore.Dialect.POSTGRESQL ? column + " COLLATE \"C\"" : column;
    }

    private InventoryNode node(ResultSet rs, Instant now) throws SQLException {
        Instant receivedAt = getInstant(rs, "received_at");
        return node(rs.getString("cluster"), rs.getString("node"), receivedAt,
                !receivedAt.isBefore(now.minus(freshFor)), rs.getString("agent_version"), rs.getString("os"),
                rs.getString("jvm"), rs.getString("host"), rs.getString("platform"), rs.getString("lifekeeper_version"),
                json(rs.getString("labels"), LABELS), getInstant(rs, "facts_at"), getInstant(rs, "validated_at"),
                rows(rs.getString("readiness")), rs.getInt("drift_count") > 0, facts(rs.getString("facts")));
    }

    private static InventoryNode node(String cluster, String node, Instant receivedAt, boolean fresh,
                                      String agentVersion, String osColumn, String jvm, String host, String platform,
                                      String lifekeeperColumn, Map<String, String> labels, Instant factsAt,
                                      Instant validatedAt, int readinessFailures, boolean drifting, Facts facts) {
        // LifeKeeper as the filters and counts see it (the column); the facts only where the column does not say.
        boolean none = InventoryQuery.NONE.equals(lifekeeperColumn);
        Boolean lifekeeper = none ? Boolean.FALSE : lifekeeperColumn != null ? Boolean.TRUE : facts.lifekeeper;
        String lifekeeperVersion = none ? null : lifekeeperColumn != null ? lifekeeperColumn : facts.lifekeeperVersion;
        // Without facts to split it, the column's "os osVersion" is the name.
        String os = facts.os != null || facts.osVersion != null ? facts.os : osColumn;
        return new InventoryNode(cluster, node, receivedAt, fresh, agentVersion, os, facts.osVersion, jvm, host,
                platform, lifekeeper, lifekeeperVersion, labels, factsAt, validatedAt, readinessFailures, drifting);
    }

    /** What the row shows from the facts' JSON besides its columns. */
    static final class Facts {
        String os;
        String osVersion;
        Boolean lifekeeper;
        String lifekeeperVersion;
    }

    /** The facts' top-level values the row shows, streamed: the settings of every resource are only skipped. */
    private static Facts facts(String text) throws SQLException {
        Facts facts = new Facts();
        if (text == null) {
            return facts;
        }
        try (JsonParser p = JSON.getFactory().createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return facts;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "os" -> facts.os = value == JsonToken.VALUE_NULL ? null : p.getText();
                    case "osVersion" -> facts.osVersion = value == JsonToken.VALUE_NULL ? null : p.getText();
                    case "lifekeeperVersion" ->
                            facts.lifekeeperVersion = value == JsonToken.VALUE_NULL ? null : p.getText();
                    case "lifekeeper" -> facts.lifekeeper = value == JsonToken.VALUE_TRUE ? Boolean.TRUE
                            : value == JsonToken.VALUE_FALSE ? Boolean.FALSE : null;
                    default -> p.skipChildren();
                }
            }
            return facts;
        } catch (IOException e) {
            throw new SQLException("a node's facts do not parse: " + Sql.oneLine(e), e);
        }
    }

    /** How many failing rows the readiness column (a JSON array) holds, without building them. */
    private static int rows(String readiness) throws SQLException {
        if (readiness == null) {
            return 0;
        }
        try (JsonParser p = JSON.getFactory().createParser(readiness)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                return 0;
            }
            int n = 0;
            while (p.nextToken() != JsonToken.END_ARRAY) {
                p.skipChildren();
                n++;
            }
            return n;
        } catch (IOException e) {
            throw new SQLException("a node's readiness does not parse: " + Sql.oneLine(e), e);
        }
    }

    private static String jsonString(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
