package io.hulftark.fleet.view;

import java.util.List;

/**
 * One cluster: its row, every problem, its nodes with resources and ports, acknowledgements and maintenance
 * windows not yet over, and its recent history (newest first).
 */
public record ClusterDetail(ClusterRow cluster, List<String> problems, List<FleetNode> nodes,
                            List<AckView> acknowledgements, List<MaintenanceView> maintenance,
                            List<FleetEvent> history) {
}
