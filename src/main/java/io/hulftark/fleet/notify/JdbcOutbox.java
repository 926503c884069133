package io.hulftark.fleet.notify;

import io.hulftark.fleet.state.ClusterState;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The notifications' part of the fleet store (tables of V7__notification_outbox.sql), the same SQL on H2 and
 * PostgreSQL. Changes come in with their STATE event ({@link #recordChange}); one instance at a time turns them
 * into messages under the fan-out lock; one instance at a time sends a receiver's messages, under a lease that
 * expires. A message is deleted only after its receiver accepted it, so a restart or a killed instance sends it
 * again rather than never (at least once; the delivery id lets a receiver drop a repeat).
 */
public final class JdbcOutbox {

    /** Changes taken per fan-out round; more wait for the next round (every few hundred ms). */
    static final int CHANGES_PER_ROUND = 1000;
    /** Messages read per delivery round; a longer backlog is folded into several summaries, one a round. */
    static final int PENDING_PER_ROUND = 1000;

    private static final String MESSAGE_COLUMNS = "id, receiver, kind, cluster, state, from_state, at, reason, "
            + "ack_by, ack_comment, ack_until, ack_sticky";
    private static final String PROBLEM_COLUMNS = "receiver, cluster, state, since, told, next_repeat_at, acked_by";

    private final DataSource dataSource;

    public JdbcOutbox(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Called by the store in the transaction that writes the STATE event of a change. */
    public static void recordChange(Connection c, Instant at, String cluster, ClusterState from, ClusterState to,
                                    String reason) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO fleet_notify_change (at, cluster, from_state, "
                + "to_state, reason) VALUES (?, ?, ?, ?, ?)")) {
            setInstant(ps, 1, at);
            ps.setString(2, cluster);
            ps.setString(3, from == null ? null : from.name());
            ps.setString(4, to.name());
            ps.setString(5, reason);
            ps.executeUpdate();
        }
    }

    /**
     * Called by the store in the transaction that gives an acknowledgement of the cluster's problem in {@code state}
     * (a receiver told of that problem is told of its acknowledgement once).
     */
    public static void recordAcknowledged(Connection c, Instant at, String cluster, ClusterState state, Acked ack)
            throws SQLException {
        record(c, at, cluster, state, ack.comment(), Change.Kind.ACKNOWLEDGED, ack);
    }

    /**
     * Called by the store in the transaction that ends {@code by}'s acknowledgement while the cluster's problem in
     * {@code state} lasts ({@code why}: "expired", "removed by bob", "state changed DOWN → SPLIT").
     */
    public static void recordAckEnded(Connection c, Instant at, String cluster, ClusterState state, String by,
                                      String why) throws SQLException {
        record(c, at, cluster, state, why, Change.Kind.ACK_ENDED, new Acked(by, null, null, false));
    }

    private static void record(Connection c, Instant at, String cluster, ClusterState state, String reason,
                               Change.Kind kind, Acked ack) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO fleet_notify_change (at, cluster, to_state, "
                + "reason, kind, ack_by, ack_comment, ack_until, ack_sticky) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            setInstant(ps, 1, at);
            ps.setString(2, cluster);
            ps.setString(3, state.name());
            ps.setString(4, reason == null ? "" : reason);
            ps.setString(5, kind.name());
            ps.setString(6, ack.by());
            ps.setString(7, ack.comment());
            setInstant(ps, 8, ack.until());
            ps.setBoolean(9, ack.sticky());
            ps.executeUpdate();
        }
    }

    /** One row per configured receiver, for its lease and back-off. */
    public void ensureReceivers(Collection<String> names) {
        transaction("registering receivers", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO fleet_notify_receiver (name) VALUES (?) ON CONFLICT DO NOTHING")) {
                for (String n : names) {
                    ps.setString(1, n);
                    ps.executeUpdate();
                }
            }
            return null;
        });
    }

    // ---------------------------------------------------------------- fan-out

    /** The fan-out's view of the store inside its transaction; writes are applied when {@code work} returns. */
    public interface FanOut {
        Instant now();

        /** Changes not yet turned into messages, oldest first (per cluster in the order they happened). */
        List<Change> changes();

        /** Problems whose repeat (or, begun while quiet, whose recheck) is due now. */
        List<Problem> dueRepeats();

        Optional<Problem> problem(String receiver, String cluster);

        void put(Problem p);

        void drop(String receiver, String cluster);

        void send(Message m);
    }

    /**
     * Runs one fan-out round if no other instance is running one (false then): {@code work} reads the changes
     * and due repeats and says what to send; its messages, the problems' records and the removal of the changes
     * commit together, so each change is told once.
     */
    public boolean fanOut(Instant now, Consumer<FanOut> work) {
        return transaction("turning state changes into messages", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT name FROM fleet_notify_lock WHERE name = 'fan-out' FOR UPDATE SKIP LOCKED");
                 ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return false;
                }
            }
            Round round = new Round(c, now, changes(c), dueRepeats(c, now));
            if (round.changes.isEmpty() && round.repeats.isEmpty()) {
                return true;
            }
            round.preload();
            work.accept(round);
            round.write();
            return true;
        });
    }

    private static List<Change> changes(Connection c) throws SQLException {
        List<Change> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, at, cluster, from_state, to_state, reason, kind, "
                + "ack_by, ack_comment, ack_until, ack_sticky FROM fleet_notify_change ORDER BY id LIMIT "
                + CHANGES_PER_ROUND);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Change.Kind kind = Change.Kind.valueOf(rs.getString("kind"));
                out.add(new Change(rs.getLong("id"), getInstant(rs, "at"), rs.getString("cluster"),
                        state(rs.getString("from_state")), state(rs.getString("to_state")), rs.getString("reason"),
                        kind, kind == Change.Kind.STATE ? null : acked(rs)));
            }
        }
        return out;
    }

    private static List<Problem> dueRepeats(Connection c, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + PROBLEM_COLUMNS
                + " FROM fleet_notify_problem WHERE next_repeat_at <= ? ORDER BY receiver, cluster")) {
            setInstant(ps, 1, now);
            return problems(ps);
        }
    }

    private static List<Problem> problems(PreparedStatement ps) throws SQLException {
        List<Problem> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Problem(rs.getString("receiver"), rs.getString("cluster"), state(rs.getString("state")),
                        getInstant(rs, "since"), rs.getBoolean("told"), getInstant(rs, "next_repeat_at"),
                        rs.getString("acked_by")));
            }
        }
        return out;
    }

    /** One fan-out transaction: reads as asked, writes at the end. */
    private static final class Round implements FanOut {
        private final Connection c;
        private final Instant now;
        private final List<Change> changes;
        private final List<Problem> repeats;
        /** receiver|cluster → the record after this round (empty: dropped); absent: untouched. */
        private final Map<String, Optional<Problem>> problems = new LinkedHashMap<>();
        private final Map<String, Optional<Problem>> read = new HashMap<>();
        private final java.util.Set<String> preloaded = new java.util.HashSet<>();
        private final List<Message> messages = new ArrayList<>();

        Round(Connection c, Instant now, List<Change> changes, List<Problem> repeats) {
            this.c = c;
            this.now = now;
            this.changes = changes;
            this.repeats = repeats;
        }

        @Override
        public Instant now() {
            return now;
        }

        @Override
        public List<Change> changes() {
            return changes;
        }

        @Override
        public List<Problem> dueRepeats() {
            return repeats;
        }

        /** Every record of the round's clusters in one read per 500 (a burst is hundreds of clusters). */
        void preload() throws SQLException {
            List<String> clusters = new ArrayList<>(new java.util.LinkedHashSet<>(changes.stream()
                    .map(Change::cluster).toList()));
            for (int from = 0; from < clusters.size(); from += 500) {
                List<String> chunk = clusters.subList(from, Math.min(clusters.size(), from + 500));
                try (PreparedStatement ps = c.prepareStatement("SELECT " + PROBLEM_COLUMNS
                        + " FROM fleet_notify_problem WHERE cluster IN ("
                        + String.join(", ", java.util.Collections.nCopies(chunk.size(), "?")) + ")")) {
                    for (int i = 0; i < chunk.size(); i++) {
                        ps.setString(i + 1, chunk.get(i));
                    }
                    for (Problem p : problems(ps)) {
                        read.put(p.receiver() + "\u0000" + p.cluster(), Optional.of(p));
                    }
                }
                preloaded.addAll(chunk);
            }
        }

        @Override
        public Optional<Problem> problem(String receiver, String cluster) {
            String key = receiver + "\u0000" + cluster;
            if (problems.containsKey(key)) {
                return problems.get(key);
            }
            if (!read.containsKey(key) && preloaded.contains(cluster)) {
                return Optional.empty();
            }
            return read.computeIfAbsent(key, k -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT " + PROBLEM_COLUMNS
                        + " FROM fleet_notify_problem WHERE receiver = ? AND cluster = ?")) {
                    ps.setString(1, receiver);
                    ps.setString(2, cluster);
                    return problems(ps).stream().findFirst();
                } catch (SQLException e) {
                    throw new Failed(e);
                }
            });
        }

        @Override
        public void put(Problem p) {
            problems.put(p.receiver() + "\u0000" + p.cluster(), Optional.of(p));
        }

        @Override
        public void drop(String receiver, String cluster) {
            problems.put(receiver + "\u0000" + cluster, Optional.empty());
        }

        @Override
        public void send(Message m) {
            messages.add(m);
        }

        void write() throws SQLException {
            try (PreparedStatement del = c.prepareStatement(
                    "DELETE FROM fleet_notify_problem WHERE receiver = ? AND cluster = ?");
                 PreparedStatement ins = c.prepareStatement("INSERT INTO fleet_notify_problem (receiver, cluster, "
                         + "state, since, told, next_repeat_at, acked_by) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                for (Map.Entry<String, Optional<Problem>> e : problems.entrySet()) {
                    String[] key = e.getKey().split("\u0000", 2);
                    del.setString(1, key[0]);
                    del.setString(2, key[1]);
                    del.addBatch();
                    if (e.getValue().isPresent()) {
                        Problem p = e.getValue().get();
                        ins.setString(1, p.receiver());
                        ins.setString(2, p.cluster());
                        ins.setString(3, p.state().name());
                        setInstant(ins, 4, p.since());
                        ins.setBoolean(5, p.told());
                        setInstant(ins, 6, p.nextRepeatAt());
                        ins.setString(7, p.ackedBy());
                        ins.addBatch();
                    }
                }
                del.executeBatch(); // every delete before the inserts: one batch each
                ins.executeBatch();
            }
            if (!messages.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO fleet_notify_outbox (receiver, "
                        + "created_at, at, kind, cluster, state, from_state, reason, ack_by, ack_comment, ack_until, "
                        + "ack_sticky) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    for (Message m : messages) {
                        ps.setString(1, m.receiver());
                        setInstant(ps, 2, now);
                        setInstant(ps, 3, m.at());
                        ps.setString(4, m.kind().name());
                        ps.setString(5, m.cluster());
                        ps.setString(6, m.state().name());
                        ps.setString(7, m.from() == null ? null : m.from().name());
                        ps.setString(8, m.reason());
                        Acked a = m.ack();
                        ps.setString(9, a == null ? null : a.by());
                        ps.setString(10, a == null ? null : a.comment());
                        setInstant(ps, 11, a == null ? null : a.until());
                        ps.setBoolean(12, a != null && a.sticky());
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
            }
            if (!changes.isEmpty()) {
                // By id, never "up to the last id": a change with a lower id may commit after this round read.
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM fleet_notify_change WHERE id = ?")) {
                    for (Change ch : changes) {
                        ps.setLong(1, ch.id());
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
            }
        }
    }

    // ---------------------------------------------------------------- delivery

    /** A receiver's sending, owned by one instance until {@code until}; {@code failingSince} null while it accepts. */
    public record Lease(String receiver, String owner, int failures, Instant failingSince) {
    }

    /**
     * Takes the receiver's sending for {@code owner} if nobody holds it (or the holder's lease ran out) and its
     * back-off is over; one statement, so of several instances exactly one gets it.
     */
    public Optional<Lease> claim(String receiver, String owner, Instant now, Instant until) {
        return transaction("claiming receiver " + receiver, c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE fleet_notify_receiver SET claimed_by = ?, "
                    + "claimed_until = ? WHERE name = ? AND (claimed_by IS NULL OR claimed_by = ? OR claimed_until < ?) "
                    + "AND (next_attempt_at IS NULL OR next_attempt_at <= ?)")) {
                ps.setString(1, owner);
                setInstant(ps, 2, until);
                ps.setString(3, receiver);
                ps.setString(4, owner);
                setInstant(ps, 5, now);
                setInstant(ps, 6, now);
                if (ps.executeUpdate() == 0) {
                    return Optional.empty();
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT failures, failing_since FROM fleet_notify_receiver WHERE name = ?")) {
                ps.setString(1, receiver);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return Optional.of(new Lease(receiver, owner, rs.getInt("failures"),
                            getInstant(rs, "failing_since")));
                }
            }
        });
    }

    /** Keeps the lease while a long round sends; false when another instance took it over (stop sending). */
    public boolean renew(Lease lease, Instant until) {
        return transaction("renewing the lease of " + lease.receiver(), c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE fleet_notify_receiver SET claimed_until = ? "
                    + "WHERE name = ? AND claimed_by = ?")) {
                setInstant(ps, 1, until);
                ps.setString(2, lease.receiver());
                ps.setString(3, lease.owner());
                return ps.executeUpdate() > 0;
            }
        });
    }

    public void release(Lease lease) {
        transaction("releasing receiver " + lease.receiver(), c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE fleet_notify_receiver SET claimed_by = NULL, "
                    + "claimed_until = NULL WHERE name = ? AND claimed_by = ?")) {
                ps.setString(1, lease.receiver());
                ps.setString(2, lease.owner());
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** Gives back every lease of {@code owner} (a clean stop), so nobody waits for them to run out. */
    public void releaseAll(String owner) {
        transaction("releasing the leases of " + owner, c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE fleet_notify_receiver SET claimed_by = NULL, "
                    + "claimed_until = NULL WHERE claimed_by = ?")) {
                ps.setString(1, owner);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** The receiver's messages not yet accepted, oldest first. */
    public List<Message> pending(String receiver) {
        return transaction("reading the outbox of " + receiver, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + MESSAGE_COLUMNS + " FROM fleet_notify_outbox "
                    + "WHERE receiver = ? ORDER BY id LIMIT " + PENDING_PER_ROUND)) {
                ps.setString(1, receiver);
                List<Message> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Message(rs.getLong("id"), rs.getString("receiver"),
                                Message.Kind.valueOf(rs.getString("kind")), rs.getString("cluster"),
                                state(rs.getString("state")), state(rs.getString("from_state")), getInstant(rs, "at"),
                                rs.getString("reason"), acked(rs)));
                    }
                }
                return out;
            }
        });
    }

    /** The receiver accepted these messages: they are gone from the outbox, and its back-off is over. */
    public void delivered(Lease lease, List<Message> messages, Instant now) {
        transaction("marking messages of " + lease.receiver() + " sent", c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM fleet_notify_outbox WHERE id = ?")) {
                for (Message m : messages) {
                    ps.setLong(1, m.id());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE fleet_notify_receiver SET failures = 0, "
                    + "failing_since = NULL, next_attempt_at = NULL, last_error = NULL, last_sent_at = ?, "
                    + "sent = sent + ? WHERE name = ?")) {
                setInstant(ps, 1, now);
                ps.setLong(2, messages.size());
                ps.setString(3, lease.receiver());
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** The receiver did not accept: no attempt before {@code nextAttempt}, and the lease is given back. */
    public void failed(Lease lease, int failures, Instant failingSince, Instant nextAttempt, String error) {
        transaction("recording a failed delivery to " + lease.receiver(), c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE fleet_notify_receiver SET failures = ?, "
                    + "failing_since = ?, next_attempt_at = ?, last_error = ?, claimed_by = NULL, claimed_until = NULL "
                    + "WHERE name = ? AND claimed_by = ?")) {
                ps.setInt(1, failures);
                setInstant(ps, 2, failingSince);
                setInstant(ps, 3, nextAttempt);
                ps.setString(4, error);
                ps.setString(5, lease.receiver());
                ps.setString(6, lease.owner());
                ps.executeUpdate();
            }
            return null;
        });
    }

    // ---------------------------------------------------------------- status

    /** A receiver's delivery as an operator sees it; nothing of its configuration. */
    public record Status(String receiver, long pending, long sent, int failures, Instant failingSince,
                         Instant nextAttemptAt, String lastError, Instant lastSentAt) {
    }

    public List<Status> status(Collection<String> receivers) {
        return transaction("reading the receivers' status", c -> {
            List<Status> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT r.name, r.sent, r.failures, r.failing_since, "
                    + "r.next_attempt_at, r.last_error, r.last_sent_at, (SELECT COUNT(*) FROM fleet_notify_outbox o "
                    + "WHERE o.receiver = r.name) AS pending FROM fleet_notify_receiver r WHERE r.name = ?")) {
                for (String name : receivers) {
                    ps.setString(1, name);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            out.add(new Status(name, rs.getLong("pending"), rs.getLong("sent"), rs.getInt("failures"),
                                    getInstant(rs, "failing_since"), getInstant(rs, "next_attempt_at"),
                                    rs.getString("last_error"), getInstant(rs, "last_sent_at")));
                        }
                    }
                }
            }
            return out;
        });
    }

    // ---------------------------------------------------------------- plumbing

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** A SQLException from inside the fan-out's callbacks, carried out of them. */
    private static final class Failed extends RuntimeException {
        Failed(SQLException e) {
            super(e);
        }
    }

    /** One transaction; a conflict with another instance (deadlock, serialization, a lost insert race) is retried. */
    private <T> T transaction(String what, Work<T> work) {
        for (int attempt = 1; ; attempt++) {
            try (Connection c = dataSource.getConnection()) {
                boolean autoCommit = c.getAutoCommit();
                c.setAutoCommit(false);
                try {
                    T result = work.run(c);
                    c.commit();
                    return result;
                } catch (Failed e) {
                    c.rollback();
                    throw (SQLException) e.getCause();
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    throw e;
                } finally {
                    c.setAutoCommit(autoCommit);
                }
            } catch (SQLException e) {
                String state = e.getSQLState() == null ? "" : e.getSQLState();
                if (attempt < 5 && (state.equals("40001") || state.equals("40P01") || state.equals("23505")
                        || e.getErrorCode() == 90131)) {
                    continue;
                }
                String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst()
                        .orElse("");
                throw new IllegalStateException("notifications: " + what + " failed: " + m, e);
            }
        }
    }

    /** The ack_* columns of a change or an outbox row; null when it has none. */
    private static Acked acked(ResultSet rs) throws SQLException {
        String by = rs.getString("ack_by");
        return by == null ? null : new Acked(by, rs.getString("ack_comment"), getInstant(rs, "ack_until"),
                rs.getBoolean("ack_sticky"));
    }

    private static ClusterState state(String s) {
        return s == null ? null : ClusterState.valueOf(s);
    }

    private static void setInstant(PreparedStatement ps, int i, Instant t) throws SQLException {
        if (t == null) {
            ps.setNull(i, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            ps.setObject(i, OffsetDateTime.ofInstant(t.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC));
        }
    }

    private static Instant getInstant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
