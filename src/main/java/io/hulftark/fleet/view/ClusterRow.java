package io.hulftark.fleet.view;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
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
@Schema(description = "One line of the cluster table", requiredProperties = {"name", "state", "since", "reason",
        "problems", "flapping", "acknowledged", "nodes", "serving"})
public record ClusterRow(@Schema(description = "The cluster's name") String name,
                         @Schema(description = "Its state") ClusterState state,
                         @Schema(description = "Since when it is in this state") Instant since,
                         @Schema(description = "Why this state, one line") String reason,
                         @Schema(description = "How many problems keep it from OK", minimum = "0") int problems,
                         @Schema(description = "Whether its state changed often lately") boolean flapping,
                         @Schema(description = "Whether an operator acknowledged its problem (not expired)")
                         boolean acknowledged,
                         @Schema(description = "Every node known to the cluster, in name order") List<String> nodes,
                         @Schema(description = "TAG@NODE for each resource served now") List<String> serving,
                         @Schema(description = "When the newest report of any of its nodes was received; null when none "
                                 + "is kept", nullable = true) Instant lastReportAt) {
}
