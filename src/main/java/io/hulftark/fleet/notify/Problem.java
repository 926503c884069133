package io.hulftark.fleet.notify;

import io.hulftark.fleet.state.ClusterState;

import java.time.Instant;

/**
 * What a receiver was told of a cluster's current problem.
 *
 * @param told         false when the problem began while the cluster was quiet (acknowledged, in maintenance):
 *                     then neither repeats nor a "resolved" follow it
 * @param nextRepeatAt null when it is not repeated
 */
public record Problem(String receiver, String cluster, ClusterState state, Instant since, boolean told,
                      Instant nextRepeatAt) {
}
