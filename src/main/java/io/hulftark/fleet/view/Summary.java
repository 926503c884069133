package io.hulftark.fleet.view;

import io.hulftark.fleet.state.ClusterState;

import java.time.Instant;
import java.util.Map;

/**
 * Clusters per state, for the dashboard's tiles.
 *
 * @param byState      every state is present, 0 when no cluster is in it
 * @param acknowledged clusters not OK whose problem an operator acknowledged (and the acknowledgement has not expired)
 * @param lastEventId  the newest event's id: a client that then reads the stream from here misses nothing
 */
public record Summary(Instant at, int clusters, Map<ClusterState, Integer> byState, int acknowledged, int flapping,
                      long lastEventId) {
}
