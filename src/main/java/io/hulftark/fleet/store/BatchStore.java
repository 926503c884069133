package io.hulftark.fleet.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hulftark.fleet.actions.batch.Batch;
import io.hulftark.fleet.actions.batch.BatchCluster;
import io.hulftark.fleet.actions.batch.BatchSelection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import javax.sql.DataSource;

import static io.hulftark.fleet.store.Sql.getInstant;
import static io.hulftark.fleet.store.Sql.setInstant;

/**
 * The batches' part of the fleet store (tables of V13__fleet_batches.sql), the same SQL on H2 and PostgreSQL.
 *
 * <p>One fleet-view instance drives a batch at a time: it holds the batch's lease ({@link #claim}) and every write
 * of the runner first renews that lease on the batch's row, in the same transaction, so an instance that lost it
 * (it stalled, another took over) writes nothing ({@link LeaseLost}). Operators' pause, resume and cancel
 * ({@link #transition}) lock the same row, so a start never slips past a cancel that was answered.
 */
public final class BatchStore {

    /** The runner's lease on a batch passed to another instance: it must leave the batch alone. */
    public static final class LeaseLost extends RuntimeException {
        LeaseLost(String batch) {
            super("the lease on batch " + batch + " passed to another instance", null, false, false);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final String BATCH_COLUMNS = "id, action, node, tag, force_it, reason, selection, concurrency, "
            + "stop_on_failure, pause_seconds, state, requested_by, requested_at, ended_at";

    /** The longest detail kept for a cluster (the column holds 2000). */
    static final int MAX_DETAIL = 1000;

    private final DataSource dataSource;

    public BatchStore(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /** Keeps a new batch with its clusters (all PENDING), in the order they are to start. */
    public void create(Batch b) {
        Sql.transaction(dataSource, "creating batch " + b.id(), c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO fleet_batch (" + BATCH_COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, b.id());
                ps.setString(2, b.action());
                ps.setString(3, b.node());
                ps.setString(4, b.tag());
                ps.setBoolean(5, b.force());
                ps.setString(6, b.reason());
                ps.setString(7, json(b.selection()));
                ps.setInt(8, b.concurrency());
                ps.setBoolean(9, b.stopOnFailure());
                ps.setInt(10, b.pauseSeconds());
                ps.setString(11, b.state());
                ps.setString(12, b.requestedBy());
                setInstant(ps, 13, b.requestedAt());
                setInstant(ps, 14, b.endedAt());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO fleet_batch_cluster (batch_id, seq, cluster, "
                    + "state) VALUES (?, ?, ?, ?)")) {
                int seq = 0;
                for (BatchCluster bc : b.clusters()) {
                    ps.setString(1, b.id());
                    ps.setInt(2, seq++);
                    ps.setString(3, bc.cluster());
                    ps.setString(4, BatchCluster.PENDING);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    /** The batch with every cluster, in start order. */
    public Optional<Batch> get(String id) {
        return Sql.read(dataSource, "reading batch " + id, c -> {
            Batch b;
            try (PreparedStatement ps = c.prepareStatement("SELECT " + BATCH_COLUMNS + " FROM fleet_batch WHERE id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    b = batch(rs, 0, 0, 0, 0, 0);
                }
            }
            List<BatchCluster> clusters = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT cluster, state, action_id, detail, started_at, "
                    + "ended_at FROM fleet_batch_cluster WHERE batch_id = ? ORDER BY seq")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        clusters.add(new BatchCluster(rs.getString("cluster"), rs.getString("state"),
                                rs.getString("action_id"), rs.getString("detail"), getInstant(rs, "started_at"),
                                getInstant(rs, "ended_at")));
                    }
                }
            }
            return Optional.of(b.withClusters(clusters));
        });
    }

    /**
     * Batches newest first, with their counts and without their clusters.
     *
     * @param state  only batches in this state; null: any
     * @param before only batches requested before this one (paging); null: from the newest
     */
    public List<Batch> list(String state, String before, int limit) {
        return Sql.read(dataSource, "listing batches", c -> {
            StringBuilder sql = new StringBuilder("SELECT " + BATCH_COLUMNS + " FROM fleet_batch b WHERE 1 = 1");
            List<String> args = new ArrayList<>();
            if (state != null) {
                sql.append(" AND state = ?");
                args.add(state);
            }
            if (before != null) {
                // Row comparison by (requested_at, id): the index's order, so paging never skips a batch.
                sql.append(" AND (requested_at < (SELECT requested_at FROM fleet_batch WHERE id = ?) OR (requested_at = "
                        + "(SELECT requested_at FROM fleet_batch WHERE id = ?) AND id < ?))");
                args.add(before);
                args.add(before);
                args.add(before);
            }
            sql.append(" ORDER BY requested_at DESC, id DESC LIMIT ?");
            List<Batch> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                int i = 1;
                for (String a : args) {
                    ps.setString(i++, a);
                }
                ps.setInt(i, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(batch(rs, 0, 0, 0, 0, 0));
                    }
                }
            }
            return withCounts(c, out);
        });
    }

    /**
     * Takes the lease of every batch not ended whose lease is free, lapsed or already {@code owner}'s, until
     * {@code until}.
     *
     * @return the ids of the batches {@code owner} now drives, oldest first
     */
    public List<String> claim(String owner, Instant now, Instant until) {
        return Sql.transaction(dataSource, "claiming batches", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE fleet_batch SET lease_owner = ?, lease_until = ? "
                    + "WHERE ended_at IS NULL AND (lease_owner IS NULL OR lease_owner = ? OR lease_until < ?)")) {
                ps.setString(1, owner);
                setInstant(ps, 2, until);
                ps.setString(3, owner);
                setInstant(ps, 4, now);
                ps.executeUpdate();
            }
            List<String> ids = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM fleet_batch WHERE ended_at IS NULL "
                    + "AND lease_owner = ? ORDER BY requested_at, id")) {
                ps.setString(1, owner);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                    }
                }
            }
            return ids;
        });
    }

    /** Gives up {@code owner}'s leases (a fleet view that stops), so another instance or its restart takes over at once. */
    public void release(String owner) {
        Sql.autoCommitted(dataSource, "releasing batches", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE fleet_batch SET lease_owner = NULL, "
                    + "lease_until = NULL WHERE lease_owner = ?")) {
                ps.setString(1, owner);
                return ps.executeUpdate();
            }
        });
    }

    /** When the next cluster of the batch may start (pause-seconds after the last start); null: now. */
    public Optional<Instant> nextStartAt(String id) {
        return Sql.read(dataSource, "reading batch " + id, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT next_start_at FROM fleet_batch WHERE id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.ofNullable(getInstant(rs, "next_start_at")) : Optional.empty();
                }
            }
        });
    }

    /**
     * Marks cluster {@code seq} RUNNING before its action is started, provided the batch is still RUNNING (not
     * paused or cancelled meanwhile) and the cluster still PENDING. Written first so that an instance that dies
     * during the start leaves a RUNNING cluster without an action id, which is never started again.
     *
     * @return false when it must not start
     * @throws LeaseLost when {@code owner} no longer drives the batch
     */
    public boolean starting(String id, int seq, String owner, Instant now, Instant leaseUntil, Instant nextStartAt) {
        return Sql.transaction(dataSource, "starting a cluster of batch " + id, c -> {
            renew(c, id, owner, leaseUntil);
            try (PreparedStatement ps = c.prepareStatement("UPDATE fleet_batch SET next_start_at = ? WHERE id = ? "
                    + "AND state = ?")) {
                setInstant(ps, 1, nextStartAt);
                ps.setString(2, id);
                ps.setString(3, Batch.RUNNING);
                if (ps.executeUpdate() != 1) {
                    return false;
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE fleet_batch_cluster SET state = ?, started_at = ? "
                    + "WHERE batch_id = ? AND seq = ? AND state = ?")) {
                ps.setString(1, BatchCluster.RUNNING);
                setInstant(ps, 2, now);
                ps.setString(3, id);
                ps.setInt(4, seq);
                ps.setString(5, BatchCluster.PENDING);
                if (ps.executeUpdate() != 1) {
                    c.rollback(); // the next start waits for no pause: nothing started
                    return false;
                }
            }
            return true;
        });
    }

    /** Records the action started for cluster {@code seq}. */
    public void started(String id, int seq, String owner, String actionId, Instant leaseUntil) {
        Sql.transaction(dataSource, "recording the action of batch " + id, c -> {
            renew(c, id, owner, leaseUntil);
            try (PreparedStatement ps = c.prepareStatement("UPDATE fleet_batch_cluster SET action_id = ? "
                    + "WHERE batch_id = ? AND seq = ?")) {
                ps.setString(1, actionId);
                ps.setString(2, id);
                ps.setInt(3, seq);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** Ends RUNNING cluster {@code seq} as SUCCEEDED or FAILED, with one line of detail. */
    public void ended(String id, int seq, String owner, String state, String detail, Instant now, Instant leaseUntil) {
        Sql.transaction(dataSource, "ending a cluster of batch " + id, c -> {
            renew(c, id, owner, leaseUntil);
            try (PreparedStatement ps = c.prepareStatement("UPDATE fleet_batch_cluster SET state = ?, detail = ?, "
                    + "ended_at = ? WHERE batch_id = ? AND seq = ? AND state = ?")) {
                ps.setString(1, state);
                ps.setString(2, cut(detail));
                setInstant(ps, 3, now);
                ps.setString(4, id);
                ps.setInt(5, seq);
                ps.setString(6, BatchCluster.RUNNING);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** Marks every cluster not started yet SKIPPED (a failure stops the batch). @return how many */
    public int skipPending(String id, String owner, String detail, Instant now, Instant leaseUntil) {
        return Sql.transaction(dataSource, "stopping batch " + id, c -> {
            renew(c, id, owner, leaseUntil);
            return endPending(c, id, BatchCluster.SKIPPED, detail, now);
        });
    }

    /**
     * Ends the batch in {@code state} when it is still in {@code expected} (an operator's pause or cancel since it
     * was read wins), and gives up its lease.
     *
     * @return false when it changed meanwhile
     */
    public boolean finish(String id, String owner, String expected, String state, Instant now) {
        return Sql.transaction(dataSource, "ending batch " + id, c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE fleet_batch SET state = ?, ended_at = ?, "
                    + "lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ? AND state = ? "
                    + "AND ended_at IS NULL")) {
                ps.setString(1, state);
                setInstant(ps, 2, now);
                ps.setString(3, id);
                ps.setString(4, owner);
                ps.setString(5, expected);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /**
     * An operator's change of state: from one of {@code from} to {@code to}, under the row's lock. CANCELLED also
     * cancels every cluster not started yet, and ends the batch at once when none runs.
     *
     * @return the state the batch had (the change was made only if it is in {@code from}); empty when unknown
     */
    public Optional<String> transition(String id, Set<String> from, String to, String detail, Instant now) {
        return Sql.transaction(dataSource, "changing batch " + id, c -> {
            String state;
            boolean ended;
            try (PreparedStatement ps = c.prepareStatement("SELECT state, ended_at FROM fleet_batch WHERE id = ? "
                    + "FOR UPDATE")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    state = rs.getString("state");
                    ended = getInstant(rs, "ended_at") != null;
                }
            }
            if (ended || !from.contains(state)) {
                return Optional.of(state);
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE fleet_batch SET state = ? WHERE id = ?")) {
                ps.setString(1, to);
                ps.setString(2, id);
                ps.executeUpdate();
            }
            if (Batch.CANCELLED.equals(to)) {
                endPending(c, id, BatchCluster.CANCELLED, detail, now);
                try (PreparedStatement ps = c.prepareStatement("UPDATE fleet_batch SET ended_at = ?, lease_owner = NULL, "
                        + "lease_until = NULL WHERE id = ? AND NOT EXISTS (SELECT 1 FROM fleet_batch_cluster "
                        + "WHERE batch_id = ? AND state = ?)")) {
                    setInstant(ps, 1, now);
                    ps.setString(2, id);
                    ps.setString(3, id);
                    ps.setString(4, BatchCluster.RUNNING);
                    ps.executeUpdate();
                }
            }
            return Optional.of(state);
        });
    }

    /** Deletes batches that ended before {@code before}, with their clusters. @return batches deleted */
    public long prune(Instant before) {
        return Sql.transaction(dataSource, "pruning batches", c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM fleet_batch_cluster WHERE batch_id IN "
                    + "(SELECT id FROM fleet_batch WHERE ended_at < ?)")) {
                setInstant(ps, 1, before);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM fleet_batch WHERE ended_at < ?")) {
                setInstant(ps, 1, before);
                return (long) ps.executeUpdate();
            }
        });
    }

    /** A detail as the column keeps it: one line of at most {@link #MAX_DETAIL} characters. */
    static String cut(String detail) {
        if (detail == null) {
            return null;
        }
        String line = detail.replaceAll("[\\r\\n]+", " ");
        if (line.length() <= MAX_DETAIL) {
            return line;
        }
        int end = Character.isHighSurrogate(line.charAt(MAX_DETAIL - 2)) ? MAX_DETAIL - 2 : MAX_DETAIL - 1;
        return line.substring(0, end) + "\u2026";
    }

    private static void renew(Connection c, String id, String owner, Instant until) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE fleet_batch SET lease_until = ? WHERE id = ? "
                + "AND lease_owner = ?")) {
            setInstant(ps, 1, until);
            ps.setString(2, id);
            ps.setString(3, owner);
            if (ps.executeUpdate() != 1) {
                throw new LeaseLost(id);
            }
        }
    }

    private static int endPending(Connection c, String id, String state, String detail, Instant now)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE fleet_batch_cluster SET state = ?, detail = ?, "
                + "ended_at = ? WHERE batch_id = ? AND state = ?")) {
            ps.setString(1, state);
            ps.setString(2, cut(detail));
            setInstant(ps, 3, now);
            ps.setString(4, id);
            ps.setString(5, BatchCluster.PENDING);
            return ps.executeUpdate();
        }
    }

    /** The counts of the listed batches, in one grouped read. */
    private static List<Batch> withCounts(Connection c, List<Batch> batches) throws SQLException {
        if (batches.isEmpty()) {
            return batches;
        }
        Map<String, int[]> counts = new HashMap<>();
        String marks = String.join(", ", java.util.Collections.nCopies(batches.size(), "?"));
        try (PreparedStatement ps = c.prepareStatement("SELECT batch_id, state, COUNT(*) FROM fleet_batch_cluster "
                + "WHERE batch_id IN (" + marks + ") GROUP BY batch_id, state")) {
            for (int i = 0; i < batches.size(); i++) {
                ps.setString(i + 1, batches.get(i).id());
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int[] n = counts.computeIfAbsent(rs.getString(1), k -> new int[5]);
                    int count = rs.getInt(3);
                    n[0] += count;
                    switch (rs.getString(2)) {
                        case BatchCluster.SUCCEEDED -> n[1] += count;
                        case BatchCluster.FAILED -> n[2] += count;
                        case BatchCluster.RUNNING -> n[3] += count;
                        case BatchCluster.PENDING -> n[4] += count;
                        default -> { }
                    }
                }
            }
        }
        List<Batch> out = new ArrayList<>(batches.size());
        for (Batch b : batches) {
            int[] n = counts.getOrDefault(b.id(), new int[5]);
            out.add(new Batch(b.id(), b.action(), b.node(), b.tag(), b.force(), b.reason(), b.selection(),
                    b.concurrency(), b.stopOnFailure(), b.pauseSeconds(), b.state(), n[0], n[1], n[2], n[3], n[4],
                    b.requestedBy(), b.requestedAt(), b.endedAt(), List.of()));
        }
        return out;
    }

    private static Batch batch(ResultSet rs, int total, int succeeded, int failed, int running, int pending)
            throws SQLException {
        return new Batch(rs.getString("id"), rs.getString("action"), rs.getString("node"), rs.getString("tag"),
                rs.getBoolean("force_it"), rs.getString("reason"), selection(rs.getString("selection")),
                rs.getInt("concurrency"), rs.getBoolean("stop_on_failure"), rs.getInt("pause_seconds"),
                rs.getString("state"), total, succeeded, failed, running, pending, rs.getString("requested_by"),
                getInstant(rs, "requested_at"), getInstant(rs, "ended_at"), List.of());
    }

    private static String json(BatchSelection s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a selection is always JSON", e);
        }
    }

    private static BatchSelection selection(String json) throws SQLException {
        try {
            return JSON.readValue(json, BatchSelection.class);
        } catch (JsonProcessingException e) {
            throw new SQLException("a batch's selection is not JSON: " + e.getOriginalMessage(), e);
        }
    }
}
