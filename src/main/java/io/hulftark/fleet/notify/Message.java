package io.hulftark.fleet.notify;

import io.hulftark.fleet.state.ClusterState;

import java.time.Instant;

/**
 * One thing to tell one receiver: a problem began (or changed), lasts (REPEAT), or ended (RESOLVED).
 *
 * @param id   the outbox row's id (0 before it is kept)
 * @param at   when the change happened (for a REPEAT, when it was decided to repeat)
 * @param from the state before; null for a new cluster or a REPEAT
 */
public record Message(long id, String receiver, Kind kind, String cluster, ClusterState state, ClusterState from,
                      Instant at, String reason) {

    public enum Kind { PROBLEM, REPEAT, RESOLVED }

    public Message withId(long newId) {
        return new Message(newId, receiver, kind, cluster, state, from, at, reason);
    }

    /** One line for people, e.g. "alpha is DOWN (was OK): no node serves HULFT". */
    public String line() {
        return switch (kind) {
            case PROBLEM -> cluster + " is " + state + (from == null ? "" : " (was " + from + ")") + ": " + reason;
            case REPEAT -> cluster + " is still " + state + ": " + reason;
            case RESOLVED -> cluster + " is " + state + " again" + (from == null ? "" : " (was " + from + ")")
                    + ": resolved";
        };
    }
}
