package io.hulftark.fleet.view;

/**
 * One cluster as the metrics see it: its table row and how many of its known nodes are silent (latest report older
 * than {@code hulftark.fleet.fresh-for}).
 */
public record ClusterSnapshotRow(ClusterRow row, int silentNodes) {
}
