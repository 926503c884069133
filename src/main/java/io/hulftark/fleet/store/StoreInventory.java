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
 * LifeKeeper is installed) comes from the facts' JSON, read for the rows shown only.
 */
final class StoreInventory {

    /** Rows a CSV export takes from the database at a time: 10,000 nodes never sit in memory at once. */
    static final int FETCH_SIZE = 500;

    private static final String FROM = " FROM fleet_node n JOIN fleet_cluster c ON c.id = n.cluster_id";
    private static final String COLUMNS = "c.name AS cluster, n.name AS node, n.received_at, n.agent_version, "
            + "n.os, n.jvm, n.host, n.platform, n.lifekeeper_version, n.labels, n.facts_at, n.validated_at, "
            + "n.readiness, c.drift_count, n.facts";

    private final DataSource dataSource;
    private final JdbcFleetStore.Dialect dialect;
    private final Duration freshFor;

    StoreInventory(DataSource dataSource, JdbcFleetStore.Dialect dialect, Duration freshFor) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.freshFor = freshFor;
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
        Instant at = micros(now);
        Filter filter = filter(query);
        String order = order(query);
        // The page's keys first, then its rows: the sort never carries the facts' JSON of every node that matches.
        // The count rides the same pass (a window over every match): one scan of the nodes, not two.
        String page = "SELECT p.total, " + COLUMNS + " FROM (SELECT n.cluster_id AS cid, n.name AS nname, "
                + "COUNT(*) OVER () AS total" + FROM + filter.where() + " ORDER BY " + order + " LIMIT ? OFFSET ?) p"
                + " JOIN fleet_node n ON n.cluster_id = p.cid AND n.name = p.nname"
                + " JOIN fleet_cluster c ON c.id = n.cluster_id ORDER BY " + order;
        return Sql.read(dataSource, "inventory", c -> {
            long total = -1;
            List<InventoryNode> nodes = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(page)) {
                filter.bind(ps);
                ps.setInt(filter.args().size() + 1, query.limit());
                ps.setLong(filter.args().size() + 2, query.offset());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        total = rs.getLong("total");
                        nodes.add(node(rs, at));
                    }
                }
            }
            if (total < 0 && query.offset() > 0) {
                // A page past the end has no row to carry the count.
                try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*)" + FROM + filter.where())) {
                    filter.bind(ps);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        total = rs.getLong(1);
                    }
                }
            }
            return new InventoryPage(Math.max(0, total), query.offset(), query.limit(), nodes);
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

    /** The dimensions of the counts, as the union's first column names them. */
    private static final List<String> DIMENSIONS = List.of("agent_version", "os", "jvm", "lifekeeper_version");

    InventoryCounts counts() {
        // One statement, so that on PostgreSQL too every dimension counts the same nodes (one snapshot).
        StringBuilder sql = new StringBuilder();
        for (String column : DIMENSIONS) {
            if (!sql.isEmpty()) {
                sql.append(" UNION ALL ");
            }
            sql.append("SELECT '").append(column).append("' AS dimension, ").append(column)
                    .append(" AS v, COUNT(*) AS n FROM fleet_node WHERE NOT forgotten GROUP BY ").append(column);
        }
        return Sql.read(dataSource, "inventory counts", c -> {
            Map<String, Map<String, Long>> counted = new HashMap<>();
            DIMENSIONS.forEach(d -> counted.put(d, new HashMap<>()));
            try (PreparedStatement ps = c.prepareStatement(sql.toString()); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String value = rs.getString("v");
                    counted.get(rs.getString("dimension")).merge(value == null ? InventoryQuery.UNKNOWN : value,
                            rs.getLong("n"), Long::sum);
                }
            }
            long total = counted.get("agent_version").values().stream().mapToLong(Long::longValue).sum();
            return new InventoryCounts(total, mostFirst(counted.get("agent_version")), mostFirst(counted.get("os")),
                    mostFirst(counted.get("jvm")), mostFirst(counted.get("lifekeeper_version")));
        });
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
        Facts facts = facts(rs.getString("facts"));
        // LifeKeeper as the filters and counts see it (the column); the facts only where the column does not say.
        String lifekeeperColumn = rs.getString("lifekeeper_version");
        boolean none = InventoryQuery.NONE.equals(lifekeeperColumn);
        Boolean lifekeeper = none ? Boolean.FALSE : lifekeeperColumn != null ? Boolean.TRUE : facts.lifekeeper;
        String lifekeeperVersion = none ? null : lifekeeperColumn != null ? lifekeeperColumn : facts.lifekeeperVersion;
        // Without facts to split it, the column's "os osVersion" is the name.
        String os = facts.os != null || facts.osVersion != null ? facts.os : rs.getString("os");
        return new InventoryNode(rs.getString("cluster"), rs.getString("node"), receivedAt,
                !receivedAt.isBefore(now.minus(freshFor)), rs.getString("agent_version"), os, facts.osVersion,
                rs.getString("jvm"), rs.getString("host"), rs.getString("platform"), lifekeeper, lifekeeperVersion,
                json(rs.getString("labels"), LABELS), getInstant(rs, "facts_at"), getInstant(rs, "validated_at"),
                rows(rs.getString("readiness")), rs.getInt("drift_count") > 0);
    }

    /** What the row shows from the facts' JSON besides its columns. */
    private static final class Facts {
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
