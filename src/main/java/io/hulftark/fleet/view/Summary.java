package io.hulftark.fleet.view;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import io.hulftark.fleet.state.ClusterState;

import java.time.Instant;
import java.util.Map;

/**
 * Clusters per state, for the dashboard's tiles.
 *
 * @param byState      every state is present, 0 when no cluster is in it; the real states sum to clusters, and
 *                     MAINTENANCE (never a state) counts the clusters in a maintenance window now, as inMaintenance
 * @param acknowledged clusters not OK whose problem an operator acknowledged (and the acknowledgement has not expired)
 * @param lastEventId  the newest event's id: a client that then reads the stream from here misses nothing
 * @param inMaintenance clusters a maintenance window covers now, whatever their state
 */
@Schema(description = "Clusters per state", requiredProperties = {"at", "clusters", "byState", "acknowledged",
        "flapping", "lastEventId", "inMaintenance"})
public record Summary(@Schema(description = "When counted (at most 1 s ago)") Instant at,
                      @Schema(description = "Clusters known", minimum = "0") int clusters,
                      @Schema(description = "Clusters per real state: every state is present, 0 when none is in it. "
                              + "MAINTENANCE is never a state: it counts the clusters a maintenance window covers now, "
                              + "whatever their state (as inMaintenance), so the keys sum to more than clusters while "
                              + "a window is open",
                              requiredProperties = {"OK", "DEGRADED", "DOWN", "SPLIT", "STALE", "MAINTENANCE"})
                      Map<ClusterState, Integer> byState,
                      @Schema(description = "Clusters not OK whose problem an operator acknowledged (not expired)",
                              minimum = "0") int acknowledged,
                      @Schema(description = "Clusters whose state changed often lately", minimum = "0") int flapping,
                      @Schema(description = "The newest event's id (0 when none): a client that then reads the stream "
                              + "from here misses nothing", minimum = "0") long lastEventId,
                      @Schema(description = "Clusters a maintenance window covers now, whatever their state (not "
                              + "notified)", minimum = "0") int inMaintenance) {
}
