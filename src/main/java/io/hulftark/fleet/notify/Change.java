package io.hulftark.fleet.notify;

import io.hulftark.fleet.state.ClusterState;

import java.time.Instant;

/** A cluster's state change as the store recorded it with its STATE event; {@code from} is null for a new cluster. */
public record Change(long id, Instant at, String cluster, ClusterState from, ClusterState to, String reason) {
}
