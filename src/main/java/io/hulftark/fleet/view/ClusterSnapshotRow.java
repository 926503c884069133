package io.hulftark.fleet.view;

/**
 * One cluster as the metrics see it: its table row and how many of its known nodes are silent (latest report older
 * than {@code hulftark.fleet.fresh-for}).
 *
 * @param drift             how many settings differ between its nodes (issue 13; fleet_cluster.drift_count)
 * @param readinessFailures how many rows of its known nodes' last preflights failed (issue 13;
 *                          fleet_cluster.readiness_failures)
 */
public record ClusterSnapshotRow(ClusterRow row, int silentNodes, int drift, int readinessFailures) {

    /** A cluster without drift or failing preflight rows. */
    public ClusterSnapshotRow(ClusterRow row, int silentNodes) {
        this(row, silentNodes, 0, 0);
    }
}
