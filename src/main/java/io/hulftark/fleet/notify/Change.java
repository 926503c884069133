package io.hulftark.fleet.notify;

import io.hulftark.fleet.state.ClusterState;

import java.time.Instant;

/**
 * What the store recorded for the notifications in the transaction that made it: a cluster's state change (with
 * its STATE event; {@code from} is null for a new cluster), an acknowledgement given for the problem in
 * {@code to}, or one that ended while that problem lasts ({@code reason} says why, {@code ack} whose it was).
 */
public record Change(long id, Instant at, String cluster, ClusterState from, ClusterState to, String reason,
                     Kind kind, Acked ack) {

    public enum Kind { STATE, ACKNOWLEDGED, ACK_ENDED }

    public Change(long id, Instant at, String cluster, ClusterState from, ClusterState to, String reason) {
        this(id, at, cluster, from, to, reason, Kind.STATE, null);
    }
}
