package io.hulftark.fleet.notify;

import io.hulftark.fleet.state.ClusterState;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * One thing to tell one receiver: a problem began (or changed), lasts (REPEAT), was acknowledged, or ended
 * (RESOLVED).
 *
 * @param id   the outbox row's id (0 before it is kept)
 * @param at   when the change happened (for a REPEAT, when it was decided to repeat)
 * @param from the state before; null for a new cluster, a REPEAT or an ACKNOWLEDGED
 * @param ack  the acknowledgement of an ACKNOWLEDGED; of a RESOLVED, who had acknowledged it; else null
 */
public record Message(long id, String receiver, Kind kind, String cluster, ClusterState state, ClusterState from,
                      Instant at, String reason, Acked ack) {

    public enum Kind { PROBLEM, REPEAT, ACKNOWLEDGED, RESOLVED }

    /** "2026-12-06 22:00 UTC": the zone always said, as the dashboard does. */
    static final DateTimeFormatter UNTIL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    public Message(long id, String receiver, Kind kind, String cluster, ClusterState state, ClusterState from,
                   Instant at, String reason) {
        this(id, receiver, kind, cluster, state, from, at, reason, null);
    }

    public Message withId(long newId) {
        return new Message(newId, receiver, kind, cluster, state, from, at, reason, ack);
    }

    /** One line for people, e.g. "alpha is DOWN (was OK): no node serves HULFT". */
    public String line() {
        return switch (kind) {
            case PROBLEM -> cluster + " is " + state + (from == null ? "" : " (was " + from + ")") + ": " + reason;
            case REPEAT -> cluster + " is still " + state + ": " + reason;
            case ACKNOWLEDGED -> cluster + " " + state + " acknowledged by " + ack.by() + " until "
                    + (ack.until() == null ? "it recovers" : UNTIL.format(ack.until()))
                    + (ack.sticky() ? " (sticky)" : "") + (ack.comment() == null || ack.comment().isBlank()
                    ? "" : ": " + ack.comment());
            case RESOLVED -> {
                String was = (from == null ? "" : "was " + from)
                        + (ack == null ? "" : (from == null ? "" : "; ") + "acknowledged by " + ack.by());
                yield cluster + " is " + state + " again" + (was.isEmpty() ? "" : " (" + was + ")") + ": resolved";
            }
        };
    }
}
