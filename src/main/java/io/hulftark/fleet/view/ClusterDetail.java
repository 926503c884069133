package io.hulftark.fleet.view;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import java.util.List;

/**
 * One cluster: its row, every problem, its nodes with resources and ports, acknowledgements and maintenance
 * windows not yet over, and its recent history (newest first).
 */
@Schema(description = "One cluster in full", requiredProperties = {"cluster", "problems", "nodes", "acknowledgements",
        "maintenance", "history"})
public record ClusterDetail(@Schema(description = "Its row of the cluster table") ClusterRow cluster,
                            @Schema(description = "Each problem that keeps it from OK, one line each") List<String> problems,
                            @Schema(description = "Its nodes, in name order") List<FleetNode> nodes,
                            @Schema(description = "The acknowledgement of its current problem, if any (at most one)")
                            List<AckView> acknowledgements,
                            @Schema(description = "Maintenance windows not yet over") List<MaintenanceView> maintenance,
                            @Schema(description = "Its latest events, newest first (as many as `history` asks)")
                            List<FleetEvent> history) {
}
