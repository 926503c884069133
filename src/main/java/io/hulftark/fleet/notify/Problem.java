package io.hulftark.fleet.notify;

import io.hulftark.fleet.state.ClusterState;

import java.time.Instant;

/**
 * What a receiver was told of a cluster's current problem.
 *
 * @param told         false when the problem began while the cluster was quiet (acknowledged, in maintenance):
 *                     then neither repeats, an ACKNOWLEDGED nor a "resolved" follow it
 * @param nextRepeatAt null when it is not repeated
 * @param ackedBy      who acknowledged it while the acknowledgement lasts (its RESOLVED says so); null: nobody
 */
public record Problem(String receiver, String cluster, ClusterState state, Instant since, boolean told,
                      Instant nextRepeatAt, String ackedBy) {

    public Problem(String receiver, String cluster, ClusterState state, Instant since, boolean told,
                   Instant nextRepeatAt) {
        this(receiver, cluster, state, since, told, nextRepeatAt, null);
    }
}
