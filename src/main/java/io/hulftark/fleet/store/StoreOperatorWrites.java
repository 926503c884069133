package io.hulftark.fleet.store;

import io.hulftark.fleet.notify.JdbcOutbox;
import io.hulftark.fleet.state.Acknowledgement;
import io.hulftark.fleet.state.ClusterState;
import io.hulftark.fleet.state.Maintenance;
import io.hulftark.fleet.view.AckView;
import io.hulftark.fleet.view.FleetEvent;
import io.hulftark.fleet.view.MaintenanceView;
import io.hulftark.fleet.store.StoreRows.Ack;
import io.hulftark.fleet.store.StoreRows.Locked;
import io.hulftark.fleet.store.StoreRows.NewEvent;
import io.hulftark.fleet.store.StoreRows.WindowRow;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import javax.sql.DataSource;

import static io.hulftark.fleet.store.Sql.getInstant;
import static io.hulftark.fleet.store.Sql.micros;
import static io.hulftark.fleet.store.Sql.setInstant;
import static io.hulftark.fleet.store.StoreRows.NEVER;
import static io.hulftark.fleet.store.StoreRows.acknowledgements;
import static io.hulftark.fleet.store.StoreRows.delete;
import static io.hulftark.fleet.store.StoreRows.generatedId;
import static io.hulftark.fleet.store.StoreRows.inForce;
import static io.hulftark.fleet.store.StoreRows.insertEvents;
import static io.hulftark.fleet.store.StoreRows.lockExisting;
import static io.hulftark.fleet.store.StoreRows.nodes;
import static io.hulftark.fleet.store.StoreRows.view;

/** What operators write: acknowledgements, maintenance windows, forgetting a node; each derives the cluster again. */
final class StoreOperatorWrites {

    private final DataSource dataSource;
    private final StoreEvaluation evaluation;
    private final StoreIngest ingest;

    StoreOperatorWrites(DataSource dataSource, StoreEvaluation evaluation, StoreIngest ingest) {
        this.dataSource = dataSource;
        this.evaluation = evaluation;
        this.ingest = ingest;
    }

    AckView acknowledge(String cluster, String by, String comment, Instant until, boolean sticky, Instant now) {
        Instant at = micros(now);
        Instant end = until == null ? null : micros(until);
        if (end != null && !end.isAfter(at)) {
            throw new IllegalArgumentException("an acknowledgement must expire after now: until " + until);
        }
        return Sql.transaction(dataSource, "acknowledgement of " + cluster, c -> {
            // The problem as of now, not as of the last derivation: time alone may have changed it (a node went
            // silent), and an acknowledgement given for the old state would end at the next round.
            Locked before = lockExisting(c, cluster);
            evaluation.evaluate(c, before, nodes(c, before.id()), at);
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
            if (evaluation.recordsStateChanges()) {
                JdbcOutbox.recordAcknowledged(c, at, cluster, state,
                        new io.hulftark.fleet.notify.Acked(by, comment, end, sticky));
            }
            reevaluateAfterWrite(c, locked, at);
            return new AckView(id, cluster, by, comment, at, end, state, problem, sticky);
        });
    }

    boolean removeAcknowledgement(String cluster, long id, String by, Instant now) {
        Instant at = micros(now);
        return Sql.transaction(dataSource, "removal of acknowledgement " + id + " of " + cluster, c -> {
            Locked locked = lockExisting(c, cluster);
            Optional<Ack> ack = acknowledgements(c, locked.id()).stream().filter(a -> a.id() == id).findFirst();
            if (ack.isEmpty() || !delete(c, "DELETE FROM fleet_ack WHERE id = ? AND cluster_id = ?", id, locked.id())) {
                return false;
            }
            insertEvents(c, List.of(NewEvent.fleet(at, cluster, null, FleetEvent.ACK,
                    "acknowledgement by " + ack.get().by() + " ended: removed by " + by)));
            if (evaluation.recordsStateChanges() && locked.record().state() != ClusterState.OK) {
                JdbcOutbox.recordAckEnded(c, at, cluster, locked.record().state(), ack.get().by(),
                        "removed by " + by);
            }
            reevaluateAfterWrite(c, locked, at);
            return true;
        });
    }

    MaintenanceView addMaintenance(String cluster, Maintenance window, String by, Instant now) {
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

    boolean removeMaintenance(String cluster, long id, String by, Instant now) {
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
    boolean forgetNode(String cluster, String node, String by, Instant now) {
        Instant at = micros(now);
        boolean forgotten = Sql.transaction(dataSource, "forgetting " + cluster + "/" + node, c -> {
            Locked locked = lockExisting(c, cluster);
            try (PreparedStatement ps = c.prepareStatement("UPDATE fleet_node SET forgotten = TRUE, instance = NULL, "
                    + "seq = 0, dropped = 0, resources = '[]', sent_at = NULL, agent_version = NULL, labels = '{}', "
                    + "fleet_actions = FALSE, actions_via = NULL "
                    + "WHERE cluster_id = ? AND name = ? AND NOT forgotten")) {
                ps.setLong(1, locked.id());
                ps.setString(2, node);
                if (ps.executeUpdate() == 0) {
                    return false;
                }
            }
            insertEvents(c, List.of(NewEvent.fleet(at, cluster, node, FleetEvent.NODE,
                    "node " + node + " forgotten by " + by)));
            // Its facts stay (the inventory leaves it out), but it no longer counts in what differs.
            reevaluateAfterWrite(c, locked.withDrift(evaluation.findDrift(c, locked.id())), at);
            return true;
        });
        if (forgotten) {
            // Committed: this instance's rows of the cluster are stale (its version moved on anyway).
            ingest.forget(cluster);
        }
        return forgotten;
    }

    /**
     * After an operator's write: the acknowledgement in force and the latest end of the windows again (an
     * open-ended series ends {@link StoreRows#NEVER}), then the state; the evaluation writes them with the row.
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
        evaluation.evaluate(c, locked.with(inForce(c, locked.id()), maintenanceUntil), nodes(c, locked.id()), now);
    }
}
