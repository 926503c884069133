package io.hulftark.fleet.notify;

import io.hulftark.fleet.state.ClusterState;
import io.hulftark.fleet.view.ClusterRow;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * What one receiver is told of a cluster: a message per problem (a change to a state it wants), repeats while the
 * problem lasts, one "resolved" when it ends, and nothing while the cluster is quiet (acknowledged, in maintenance).
 * As in Nagios and Icinga, an acknowledgement of a problem the receiver was told of is told once (ACKNOWLEDGED),
 * and when it ends while the problem lasts the problem is told again at once.
 */
public final class Rules {

    /** While a quiet cluster's problem lasts, how soon it is looked at again (an acknowledgement may expire). */
    static final Duration QUIET_RECHECK = Duration.ofMinutes(1);

    /** A message to send, if any, and what the receiver's record of the cluster's problem becomes (empty: none). */
    public record Outcome(Optional<Message> message, Optional<Problem> problem) {
        static Outcome nothing(Optional<Problem> keep) {
            return new Outcome(Optional.empty(), keep);
        }
    }

    private Rules() {
    }

    /**
     * Whether nothing is sent for the cluster now. The one place that reads acknowledgement and maintenance: it
     * follows the store's row (a window keeps the real state and marks the row as in maintenance).
     */
    public static boolean quiet(ClusterRow row, Instant now) {
        return row.acknowledged() || row.inMaintenance();
    }

    /** The cluster's agents' labels (a key whose value differs between nodes holds each value, joined by ","). */
    public static Map<String, String> labels(ClusterRow row) {
        return row.labels();
    }

    public static Outcome onChange(String receiver, Filter filter, Duration repeat, Change change,
                                   Optional<Problem> open, boolean quiet, Map<String, String> labels) {
        if (!filter.covers(change.cluster(), labels)) {
            return Outcome.nothing(Optional.empty());
        }
        if (change.to() != ClusterState.OK && filter.wants(change.to())) {
            if (quiet) {
                // Kept, untold unless told before, and looked at again: once the acknowledgement or the window is
                // over and the problem still lasts, it is told then.
                boolean told = open.map(Problem::told).orElse(false);
                // A sticky acknowledgement outlives the change; one that ended was cleared by its ACK_ENDED.
                return Outcome.nothing(Optional.of(new Problem(receiver, change.cluster(), change.to(), change.at(),
                        told, change.at().plus(QUIET_RECHECK), open.map(Problem::ackedBy).orElse(null))));
            }
            Message m = new Message(0, receiver, Message.Kind.PROBLEM, change.cluster(), change.to(), change.from(),
                    change.at(), change.reason());
            return new Outcome(Optional.of(m), Optional.of(new Problem(receiver, change.cluster(), change.to(),
                    change.at(), true, nextRepeat(change.at(), repeat))));
        }
        // OK again, or a state the receiver does not want: the problem it was told of is over.
        if (open.isPresent() && open.get().told() && !quiet) {
            String by = open.get().ackedBy();
            Message m = new Message(0, receiver, Message.Kind.RESOLVED, change.cluster(), change.to(),
                    open.get().state(), change.at(), change.reason(), by == null ? null : new Acked(by, null, null,
                    false));
            return new Outcome(Optional.of(m), Optional.empty());
        }
        return Outcome.nothing(Optional.empty());
    }

    /**
     * An acknowledgement was given for the cluster's problem ({@code change} of kind ACKNOWLEDGED): a receiver that
     * was told of the problem is told this once; one that was not (it began while quiet, or the receiver does not
     * want it) is told nothing. Either way no repeat follows while it lasts, only a recheck.
     */
    public static Outcome onAcknowledged(Change change, Optional<Problem> open) {
        if (open.isEmpty()) {
            return Outcome.nothing(Optional.empty());
        }
        Problem p = open.get();
        Problem kept = new Problem(p.receiver(), p.cluster(), p.state(), p.since(), p.told(),
                change.at().plus(QUIET_RECHECK), change.ack().by());
        if (!p.told()) {
            return Outcome.nothing(Optional.of(kept));
        }
        Message m = new Message(0, p.receiver(), Message.Kind.ACKNOWLEDGED, change.cluster(), change.to(), null,
                change.at(), java.util.Objects.requireNonNullElse(change.ack().comment(), ""), change.ack());
        return new Outcome(Optional.of(m), Optional.of(kept));
    }

    /**
     * An acknowledgement ended while the problem lasts (expired, removed, or the state changed and it was not
     * sticky): the problem is told again now, not at the next recheck, unless the cluster is quiet still (a
     * window, a new acknowledgement) or its state moved on (that change is told as a change of its own).
     */
    public static Outcome onAckEnded(Change change, Optional<Problem> open, Optional<ClusterRow> row,
                                     Duration repeat, Instant now) {
        if (open.isEmpty()) {
            return Outcome.nothing(Optional.empty());
        }
        Problem p = open.get();
        Problem cleared = new Problem(p.receiver(), p.cluster(), p.state(), p.since(), p.told(), p.nextRepeatAt());
        if (row.isEmpty() || row.get().state() != p.state() || quiet(row.get(), now)) {
            return Outcome.nothing(Optional.of(cleared));
        }
        String why = "acknowledgement" + (change.ack() == null ? "" : " by " + change.ack().by()) + " ended: "
                + change.reason();
        Message m = new Message(0, p.receiver(), p.told() ? Message.Kind.REPEAT : Message.Kind.PROBLEM, p.cluster(),
                p.state(), null, now, row.get().reason() + " (" + why + ")");
        return new Outcome(Optional.of(m), Optional.of(new Problem(p.receiver(), p.cluster(), p.state(), p.since(),
                true, nextRepeat(now, repeat))));
    }

    /**
     * A problem whose repeat (or, if it began quiet, whose recheck) is due; {@code row} is the cluster now (empty:
     * it is gone). A problem that began while quiet is told now, once it no longer is.
     */
    public static Outcome onRepeatDue(Problem p, Optional<ClusterRow> row, Duration repeat, Instant now) {
        if (row.isEmpty() || row.get().state() != p.state()) {
            // The change is on its way as a change of its own; look again later.
            return Outcome.nothing(Optional.of(withNext(p, now.plus(QUIET_RECHECK))));
        }
        if (quiet(row.get(), now)) {
            return Outcome.nothing(Optional.of(withNext(p, now.plus(QUIET_RECHECK))));
        }
        Message m = new Message(0, p.receiver(), p.told() ? Message.Kind.REPEAT : Message.Kind.PROBLEM, p.cluster(),
                p.state(), null, now, row.get().reason());
        return new Outcome(Optional.of(m), Optional.of(new Problem(p.receiver(), p.cluster(), p.state(), p.since(),
                true, nextRepeat(now, repeat))));
    }

    private static Problem withNext(Problem p, Instant next) {
        return new Problem(p.receiver(), p.cluster(), p.state(), p.since(), p.told(), next, p.ackedBy());
    }

    private static Instant nextRepeat(Instant from, Duration repeat) {
        return repeat.isZero() || repeat.isNegative() ? null : from.plus(repeat);
    }
}
