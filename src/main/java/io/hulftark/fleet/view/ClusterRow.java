package io.hulftark.fleet.view;

import io.hulftark.fleet.state.ClusterState;

import java.time.Instant;
import java.util.List;

/**
 * One line of the cluster table.
 *
 * @param reason       one line: why this state
 * @param problems     how many problems keep the cluster from OK
 * @param nodes        every node known to the cluster, in name order
 * @param serving      "TAG@NODE" for each resource served now
 * @param lastReportAt when the newest report of any node was received
 */
public record ClusterRow(String name, ClusterState state, Instant since, String reason, int problems,
                         boolean flapping, boolean acknowledged, List<String> nodes, List<String> serving,
                         Instant lastReportAt) {
}
