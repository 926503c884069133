package io.hulftark.fleet.view;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import io.hulftark.fleet.state.DriftItem;

import java.util.List;

/**
 * One cluster: its row, every problem, its nodes with resources and ports, acknowledgements and maintenance
 * windows not yet over, and its recent history (newest first).
 */
@Schema(description = "One cluster in full", requiredProperties = {"cluster", "problems", "nodes", "acknowledgements",
        "maintenance", "history", "drift", "warnings"})
public record ClusterDetail(@Schema(description = "Its row of the cluster table") ClusterRow cluster,
                            @Schema(description = "Each problem that keeps it from OK, one line each") List<String> problems,
                            @Schema(description = "Its nodes, in name order") List<FleetNode> nodes,
                            @Schema(description = "The acknowledgement of its current problem, if any (at most one)")
                            List<AckView> acknowledgements,
                            @Schema(description = "Maintenance windows not yet over") List<MaintenanceView> maintenance,
                            @Schema(description = "Its latest events, newest first (as many as `history` asks)")
                            List<FleetEvent> history,
                            @Schema(description = "Each setting that differs between its nodes (the nodes' facts), "
                                    + "declared per-node keys left out") List<DriftItem> drift,
                            @Schema(description = "Drift and readiness findings shown as warnings only "
                                    + "(hulftark.fleet.readiness.effect=warn); empty when they are problems")
                            List<String> warnings) {

    public ClusterDetail {
        drift = drift == null ? List.of() : List.copyOf(drift);
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    /** A cluster without drift or warnings. */
    public ClusterDetail(ClusterRow cluster, List<String> problems, List<FleetNode> nodes, List<AckView> acknowledgements,
                         List<MaintenanceView> maintenance, List<FleetEvent> history) {
        this(cluster, problems, nodes, acknowledgements, maintenance, history, List.of(), List.of());
    }
}
