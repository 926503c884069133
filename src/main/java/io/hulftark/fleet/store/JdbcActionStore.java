package io.hulftark.fleet.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hulftark.fleet.actions.FleetAction;
import io.hulftark.fleet.actions.FleetActionStep;
import io.hulftark.fleet.actions.OrderBook;
import io.hulftark.fleet.view.FleetEvent;
import io.hulftark.wire.ActionOrder;
import io.hulftark.wire.ActionOutcome;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.sql.DataSource;

import static io.hulftark.fleet.store.Sql.getInstant;
import static io.hulftark.fleet.store.Sql.setInstant;

/**
 * Fleet actions and their steps in the fleet store's database (both dialects: the SQL is common to H2 in
 * PostgreSQL mode and PostgreSQL), and the {@link OrderBook} the delivery reads. Every change of state is a
 * conditional update ({@code ... WHERE state = ?}): of several fleet-view instances on one database exactly one
 * advances a step or ends an action, and only that one writes its history event. "One action per cluster at a
 * time" is a unique index on the running cluster's name, so it holds across instances too.
 */
public final class JdbcActionStore implements OrderBook {

    /** An order handed out but not taken within this is offered again (the agent runs an id at most once). */
    public static final Duration REOFFER_AFTER = Duration.ofSeconds(5);
    public static final String PENDING = "PENDING";
    public static final String RUNNING = "RUNNING";
    private static final int PRUNE_BATCH = 10_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() { };
    private static final String ACTION_COLUMNS = "seq, id, cluster, action, node, tag, forced, reason, requested_by, "
            + "requested_at, state, ended_at, detail, batch, settling_at";
    private static final String STEP_COLUMNS = "id, action_id, seq, node, tag, action, state, exit_code, messages, mode, "
            + "undo, placed_at, delivered_at, taken_at, started_at, ended_at, duration_ms";

    private final DataSource dataSource;
    private final Clock clock;

    public JdbcActionStore(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /**
     * An action as kept, with what the orchestration needs beyond the API's view.
     *
     * @param settlingAt when a switchover's steps all succeeded and the wait for the cluster began; null before
     * @param placedAt   each placed step's placing time, by step id
     * @param takenAt    when the agent's report first showed each taken step, by step id
     */
    public record Kept(FleetAction action, Instant settlingAt, Map<String, Instant> placedAt,
                       Map<String, Instant> takenAt) {
    }

    /** A step to insert with its action. @param placed offered to the agent at once (else a later step) */
    public record NewStep(String node, String tag, String action, boolean placed) {
    }

    /** Where a step an agent reported on belongs: its node and state now. */
    public record StepRef(String id, String actionId, String cluster, String node, String state) {
    }

    /** The audit's filters, newest first; {@code before} an action's id of the previous page. */
    public record Query(String cluster, String by, String state, Instant since, Instant until, String before,
                        int limit) {
    }

    // ---------------------------------------------------------------- actions

    /**
     * Records the action as RUNNING with its steps and the history event {@code startText}, unless the cluster
     * runs an action already.
     *
     * @return empty when recorded; else the id of the action that runs on the cluster
     */
    public Optional<String> insert(FleetAction a, List<NewStep> steps, String eventNode, String startText) {
        return Sql.transaction(dataSource, "start of action " + a.id(), c -> {
            int n;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO fleet_action (id, cluster, action, node, tag, "
                    + "forced, reason, requested_by, requested_at, state, batch, running) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                ps.setString(1, a.id());
                ps.setString(2, a.cluster());
                ps.setString(3, a.action());
                ps.setString(4, a.node());
                ps.setString(5, a.tag());
                ps.setBoolean(6, a.force());
                ps.setString(7, a.reason());
                ps.setString(8, a.requestedBy());
                setInstant(ps, 9, a.requestedAt());
                ps.setString(10, RUNNING);
                ps.setString(11, a.batch());
                ps.setString(12, a.cluster());
                n = ps.executeUpdate();
            }
            if (n == 0) {
                return Optional.of(runningOn(c, a.cluster()).orElse("(ended just now)"));
            }
            int seq = 1;
            for (NewStep s : steps) {
                insertStep(c, a.id(), a.id() + "-" + seq, seq, a.cluster(), s.node(), s.tag(), s.action(), false,
                        s.placed() ? a.requestedAt() : null);
                seq++;
            }
            event(c, a.requestedAt(), a.cluster(), eventNode, a.tag(), startText);
            return Optional.empty();
        });
    }

    private static Optional<String> runningOn(Connection c, String cluster) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM fleet_action WHERE running = ?")) {
            ps.setString(1, cluster);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /** The id of the action that runs on this cluster now, if any. */
    public Optional<String> runningOn(String cluster) {
        return Sql.read(dataSource, "running action of " + cluster, c -> runningOn(c, cluster));
    }

    public Optional<Kept> get(String id) {
        return Sql.read(dataSource, "read of action " + id, c -> {
            List<Kept> found = actions(c, "WHERE id = ?", List.of(id), 1);
            return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
        });
    }

    /** Every action that has not ended, oldest first: what the tick looks after, whichever instance started it. */
    public List<Kept> running() {
        return Sql.read(dataSource, "read of running actions",
                c -> actions(c, "WHERE running IS NOT NULL", List.of(), 10_000));
    }

    /** The audit: actions by the query's filters, newest first. */
    public List<FleetAction> search(Query q) {
        StringBuilder where = new StringBuilder("WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (q.cluster() != null) {
            where.append(" AND cluster = ?");
            args.add(q.cluster());
        }
        if (q.by() != null) {
            where.append(" AND requested_by = ?");
            args.add(q.by());
        }
        if (q.state() != null) {
            where.append(" AND state = ?");
            args.add(q.state());
        }
        if (q.since() != null) {
            where.append(" AND requested_at >= ?");
            args.add(q.since());
        }
        if (q.until() != null) {
            where.append(" AND requested_at < ?");
            args.add(q.until());
        }
        if (q.before() != null) {
            where.append(" AND seq < (SELECT seq FROM fleet_action WHERE id = ?)");
            args.add(q.before());
        }
        return Sql.read(dataSource, "search of actions", c -> actions(c, where.toString(), args, q.limit()))
                .stream().map(Kept::action).toList();
    }

    private List<Kept> actions(Connection c, String where, List<Object> args, int limit) throws SQLException {
        Map<String, Object[]> rows = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + ACTION_COLUMNS + " FROM fleet_action " + where
                + " ORDER BY seq DESC LIMIT ?")) {
            int i = 1;
            for (Object arg : args) {
                if (arg instanceof Instant t) {
                    setInstant(ps, i++, t);
                } else {
                    ps.setString(i++, (String) arg);
                }
            }
            ps.setInt(i, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.put(rs.getString("id"), new Object[] {rs.getString("id"), rs.getString("cluster"),
                            rs.getString("action"), rs.getString("node"), rs.getString("tag"), rs.getBoolean("forced"),
                            rs.getString("reason"), rs.getString("requested_by"), getInstant(rs, "requested_at"),
                            rs.getString("state"), getInstant(rs, "ended_at"), rs.getString("detail"),
                            rs.getString("batch"), getInstant(rs, "settling_at")});
                }
            }
        }
        if (rows.isEmpty()) {
            return List.of();
        }
        Map<String, List<FleetActionStep>> steps = new HashMap<>();
        Map<String, Instant> placed = new HashMap<>();
        Map<String, Instant> taken = new HashMap<>();
        // One read of every step of the page's actions.
        String marks = String.join(", ", java.util.Collections.nCopies(rows.size(), "?"));
        try (PreparedStatement ps = c.prepareStatement("SELECT " + STEP_COLUMNS + " FROM fleet_action_step "
                + "WHERE action_id IN (" + marks + ") ORDER BY action_id, seq")) {
            int i = 1;
            for (String id : rows.keySet()) {
                ps.setString(i++, id);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    FleetActionStep s = step(rs);
                    steps.computeIfAbsent(rs.getString("action_id"), k -> new ArrayList<>()).add(s);
                    Instant p = getInstant(rs, "placed_at");
                    if (p != null) {
                        placed.put(s.id(), p);
                    }
                    Instant t = getInstant(rs, "taken_at");
                    if (t != null) {
                        taken.put(s.id(), t);
                    }
                }
            }
        }
        List<Kept> out = new ArrayList<>();
        for (Object[] r : rows.values()) {
            Instant requestedAt = (Instant) r[8];
            Instant endedAt = (Instant) r[10];
            Long duration = endedAt == null ? null : Duration.between(requestedAt, endedAt).toMillis();
            List<FleetActionStep> own = steps.getOrDefault((String) r[0], List.of());
            FleetAction a = new FleetAction((String) r[0], (String) r[1], (String) r[2], (String) r[3], (String) r[4],
                    (Boolean) r[5], (String) r[6], (String) r[7], requestedAt, (String) r[9], endedAt, duration,
                    (String) r[11], (String) r[12], own);
            Map<String, Instant> p = new HashMap<>();
            Map<String, Instant> t = new HashMap<>();
            for (FleetActionStep s : own) {
                if (placed.containsKey(s.id())) {
                    p.put(s.id(), placed.get(s.id()));
                }
                if (taken.containsKey(s.id())) {
                    t.put(s.id(), taken.get(s.id()));
                }
            }
            out.add(new Kept(a, (Instant) r[13], p, t));
        }
        return out;
    }

    private static FleetActionStep step(ResultSet rs) throws SQLException {
        int exit = rs.getInt("exit_code");
        Integer exitCode = rs.wasNull() ? null : exit;
        long d = rs.getLong("duration_ms");
        Long duration = rs.wasNull() ? null : d;
        return new FleetActionStep(rs.getString("id"), rs.getInt("seq"), rs.getString("node"), rs.getString("tag"),
                rs.getString("action"), rs.getString("state"), exitCode, duration, strings(rs.getString("messages")),
                rs.getString("mode"), rs.getBoolean("undo"), getInstant(rs, "delivered_at"),
                getInstant(rs, "started_at"), getInstant(rs, "ended_at"));
    }

    /** A switchover's steps all succeeded: from now it waits for the cluster. @return false when already so */
    public boolean settling(String actionId, Instant at) {
        return update("settling of " + actionId, "UPDATE fleet_action SET settling_at = ? WHERE id = ? AND state = ? "
                + "AND settling_at IS NULL", at, actionId, RUNNING);
    }

    /**
     * Ends a running action with its history event, in one transaction.
     *
     * @return false when it had ended already (another instance ended it: that one wrote the event)
     */
    public boolean finish(String actionId, String state, String detail, Instant at, String cluster, String eventNode,
                          String eventTag, String endText) {
        return Sql.transaction(dataSource, "end of action " + actionId, c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE fleet_action SET state = ?, detail = ?, ended_at = ?, "
                    + "running = NULL WHERE id = ? AND state = ?")) {
                ps.setString(1, state);
                ps.setString(2, detail);
                setInstant(ps, 3, at);
                ps.setString(4, actionId);
                ps.setString(5, RUNNING);
                if (ps.executeUpdate() == 0) {
                    return false;
                }
            }
            // Steps not yet due will never be: they show as skipped.
            try (PreparedStatement ps = c.prepareStatement("UPDATE fleet_action_step SET state = 'SKIPPED' "
                    + "WHERE action_id = ? AND state = ? AND placed_at IS NULL")) {
                ps.setString(1, actionId);
                ps.setString(2, PENDING);
                ps.executeUpdate();
            }
            event(c, at, cluster, eventNode, eventTag, endText);
            return true;
        });
    }

    // ---------------------------------------------------------------- steps

    /** Offers a later step to its agent now. @return false when it was placed already or is no longer pending */
    public boolean place(String stepId, Instant at) {
        return update("placing of step " + stepId, "UPDATE fleet_action_step SET placed_at = ? WHERE id = ? AND state = ? "
                + "AND placed_at IS NULL", at, stepId, PENDING);
    }

    /** Adds a step (a switchover's rollback) and offers it now. @return false when it exists already */
    public boolean addStep(String actionId, String stepId, int seq, String cluster, String node, String tag,
                           String action, boolean undo, Instant placedAt) {
        return Sql.transaction(dataSource, "step " + stepId, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM fleet_action_step WHERE id = ?")) {
                ps.setString(1, stepId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return false;
                    }
                }
            }
            return insertStep(c, actionId, stepId, seq, cluster, node, tag, action, undo, placedAt);
        });
    }

    private static boolean insertStep(Connection c, String actionId, String stepId, int seq, String cluster, String node,
                                      String tag, String action, boolean undo, Instant placedAt) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO fleet_action_step (id, action_id, seq, cluster, node, "
                + "tag, action, state, undo, placed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            ps.setString(1, stepId);
            ps.setString(2, actionId);
            ps.setInt(3, seq);
            ps.setString(4, cluster);
            ps.setString(5, node);
            ps.setString(6, tag);
            ps.setString(7, action);
            ps.setString(8, PENDING);
            ps.setBoolean(9, undo);
            setInstant(ps, 10, placedAt);
            return ps.executeUpdate() == 1;
        }
    }

    /** Ends a step that did not happen in time. @return false when it was no longer in {@code from} */
    public boolean timedOut(String stepId, String from, String message, Instant at) {
        return update("time-out of step " + stepId, "UPDATE fleet_action_step SET state = 'TIMED_OUT', messages = ?, "
                + "ended_at = ? WHERE id = ? AND state = ?", json(List.of(message)), at, stepId, from);
    }

    /** The steps of these ids (ids an agent's report carries; most are not ours), with their cluster and node. */
    public List<StepRef> steps(Collection<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        List<String> list = List.copyOf(new LinkedHashSet<>(ids));
        String marks = String.join(", ", java.util.Collections.nCopies(list.size(), "?"));
        return Sql.read(dataSource, "read of steps", c -> {
            List<StepRef> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, action_id, cluster, node, state "
                    + "FROM fleet_action_step WHERE id IN (" + marks + ")")) {
                for (int i = 0; i < list.size(); i++) {
                    ps.setString(i + 1, list.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new StepRef(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                                rs.getString(5)));
                    }
                }
            }
            return out;
        });
    }

    /**
     * The agent's word on a step: its state, exit code, messages, mode and duration; the first word also marks it
     * taken. Only from the state the caller read, so an outcome seen twice or late never moves a step back.
     *
     * @return false when the step was no longer in {@code from}
     */
    public boolean outcome(String stepId, String from, ActionOutcome o, Instant now) {
        boolean ended = !"QUEUED".equals(o.state()) && !"RUNNING".equals(o.state());
        boolean ran = !"QUEUED".equals(o.state()) && !ActionOutcome.REFUSED.equals(o.state());
        return Sql.autoCommitted(dataSource, "outcome of step " + stepId, c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE fleet_action_step SET state = ?, exit_code = ?, "
                    + "messages = ?, mode = COALESCE(?, mode), duration_ms = ?, taken_at = COALESCE(taken_at, ?), "
                    + "started_at = COALESCE(started_at, ?), ended_at = ? WHERE id = ? AND state = ?")) {
                ps.setString(1, o.state());
                if (o.exitCode() == null) {
                    ps.setNull(2, Types.INTEGER);
                } else {
                    ps.setInt(2, o.exitCode());
                }
                ps.setString(3, json(o.messages()));
                ps.setString(4, o.mode());
                if (o.durationMillis() == null) {
                    ps.setNull(5, Types.BIGINT);
                } else {
                    ps.setLong(5, o.durationMillis());
                }
                setInstant(ps, 6, now);
                setInstant(ps, 7, ran ? now : null);
                setInstant(ps, 8, ended ? now : null);
                ps.setString(9, stepId);
                ps.setString(10, from);
                return ps.executeUpdate() == 1;
            }
        });
    }

    // ---------------------------------------------------------------- OrderBook

    @Override
    public List<ActionOrder> undelivered(String cluster, String node, int max) {
        Instant reoffer = clock.instant().minus(REOFFER_AFTER);
        return Sql.read(dataSource, "orders of " + cluster + "/" + node, c -> {
            List<ActionOrder> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT s.id, s.tag, s.action, a.reason, a.requested_by, "
                    + "a.requested_at FROM fleet_action_step s JOIN fleet_action a ON a.id = s.action_id "
                    + "WHERE s.state = ? AND s.cluster = ? AND s.node = ? AND s.placed_at IS NOT NULL "
                    + "AND (s.delivered_at IS NULL OR s.delivered_at < ?) ORDER BY s.placed_at, s.id LIMIT ?")) {
                ps.setString(1, PENDING);
                ps.setString(2, cluster);
                ps.setString(3, node);
                setInstant(ps, 4, reoffer);
                ps.setInt(5, max);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new ActionOrder(rs.getString(1), cluster, node, rs.getString(2), rs.getString(3),
                                rs.getString(4), rs.getString(5), getInstant(rs, "requested_at")));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public Set<NodeKey> waiting() {
        Instant reoffer = clock.instant().minus(REOFFER_AFTER);
        return Sql.read(dataSource, "nodes with orders", c -> {
            Set<NodeKey> out = new LinkedHashSet<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT cluster, node FROM fleet_action_step "
                    + "WHERE state = ? AND placed_at IS NOT NULL AND (delivered_at IS NULL OR delivered_at < ?)")) {
                ps.setString(1, PENDING);
                setInstant(ps, 2, reoffer);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new NodeKey(rs.getString(1), rs.getString(2)));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public void delivered(List<String> orderIds, Instant at) {
        if (orderIds.isEmpty()) {
            return;
        }
        String marks = String.join(", ", java.util.Collections.nCopies(orderIds.size(), "?"));
        Sql.autoCommitted(dataSource, "delivery of orders", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE fleet_action_step SET delivered_at = ? "
                    + "WHERE state = ? AND id IN (" + marks + ")")) {
                setInstant(ps, 1, at);
                ps.setString(2, PENDING);
                for (int i = 0; i < orderIds.size(); i++) {
                    ps.setString(i + 3, orderIds.get(i));
                }
                return ps.executeUpdate();
            }
        });
    }

    // ---------------------------------------------------------------- retention

    /** Deletes ended actions (and their steps) requested before {@code before}; never a running one. @return actions */
    public long prune(Instant before) {
        long deleted = 0;
        int n;
        do {
            n = Sql.transaction(dataSource, "prune of actions", c -> {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM fleet_action WHERE id IN (SELECT id FROM "
                        + "fleet_action WHERE running IS NULL AND requested_at < ? LIMIT " + PRUNE_BATCH + ")")) {
                    setInstant(ps, 1, before);
                    return ps.executeUpdate();
                }
            });
            deleted += n;
        } while (n == PRUNE_BATCH);
        return deleted;
    }

    // ---------------------------------------------------------------- plumbing

    private static void event(Connection c, Instant at, String cluster, String node, String tag, String text)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO fleet_event (at, cluster, node, kind, tag, text) "
                + "VALUES (?, ?, ?, ?, ?, ?)")) {
            setInstant(ps, 1, at);
            ps.setString(2, cluster);
            ps.setString(3, node);
            ps.setString(4, FleetEvent.ACTION);
            ps.setString(5, tag);
            ps.setString(6, text);
            ps.executeUpdate();
        }
    }

    private boolean update(String what, String sql, Object... args) {
        return Sql.autoCommitted(dataSource, what, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    if (args[i] instanceof Instant t) {
                        setInstant(ps, i + 1, t);
                    } else {
                        ps.setString(i + 1, (String) args[i]);
                    }
                }
                return ps.executeUpdate() == 1;
            }
        });
    }

    private static String json(List<String> value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + Sql.oneLine(e), e);
        }
    }

    private static List<String> strings(String text) throws SQLException {
        try {
            return text == null ? List.of() : JSON.readValue(text, STRINGS);
        } catch (JsonProcessingException e) {
            throw new SQLException("unreadable messages column: " + Sql.oneLine(e), e);
        }
    }

    @Override
    public String toString() {
        return "JdbcActionStore on " + dataSource;
    }
}
