package io.hulftark.fleet.view;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import io.hulftark.fleet.state.ClusterState;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One line of the cluster table.
 *
 * @param state            the real state, never MAINTENANCE: a window shows as {@code inMaintenance}
 * @param reason           one line: why this state
 * @param problems         how many problems keep the cluster from OK
 * @param acknowledged     an acknowledgement of its current problem is in force (never on an OK cluster)
 * @param nodes            every node known to the cluster, in name order
 * @param serving          "TAG@NODE" for each resource served now
 * @param lastReportAt     when the newest report of any node was received
 * @param inMaintenance    a maintenance window covers now: notifications stay quiet, the state is still the real one
 * @param maintenanceUntil when that window's occurrence ends; null when not in maintenance
 */
@Schema(description = "One line of the cluster table", requiredProperties = {"name", "state", "since", "reason",
        "problems", "flapping", "acknowledged", "nodes", "serving", "acknowledgedBy", "acknowledgedUntil",
        "acknowledgedSticky", "inMaintenance", "maintenanceUntil"})
public record ClusterRow(@Schema(description = "The cluster's name") String name,
                         @Schema(description = "Its real state (never MAINTENANCE: a window shows as inMaintenance)")
                         ClusterState state,
                         @Schema(description = "Since when it is in this state") Instant since,
                         @Schema(description = "Why this state, one line") String reason,
                         @Schema(description = "How many problems keep it from OK", minimum = "0") int problems,
                         @Schema(description = "Whether its state changed often lately") boolean flapping,
                         @Schema(description = "Whether an acknowledgement of its current problem is in force (never "
                                 + "on an OK cluster)") boolean acknowledged,
                         @Schema(description = "Every node known to the cluster, in name order") List<String> nodes,
                         @Schema(description = "TAG@NODE for each resource served now") List<String> serving,
                         @Schema(implementation = String.class, format = "date-time", description = "When the newest report of any of its nodes was received; null when none "
                                 + "is kept", nullable = true) Instant lastReportAt,
                         @Schema(description = "Who acknowledged its problem; null when not acknowledged",
                                 nullable = true) String acknowledgedBy,
                         @Schema(implementation = String.class, format = "date-time", description = "When that acknowledgement expires; null when not acknowledged or when "
                                 + "it lasts as long as the problem", nullable = true) Instant acknowledgedUntil,
                         @Schema(description = "Whether that acknowledgement outlives a change of state; false when "
                                 + "not acknowledged") boolean acknowledgedSticky,
                         @Schema(description = "Whether a maintenance window covers now (it is then not notified)")
                         boolean inMaintenance,
                         @Schema(implementation = String.class, format = "date-time", description = "When the window's occurrence that covers now ends; null when not in "
                                 + "maintenance", nullable = true) Instant maintenanceUntil,
                         @Schema(description = "Its nodes' labels (hulftark.agent.labels): a key whose value differs "
                                 + "between nodes has each value, joined by a comma") Map<String, String> labels) {

    public ClusterRow {
        labels = labels == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(labels));
    }

    /** A row of a cluster whose nodes carry no labels. */
    public ClusterRow(String name, ClusterState state, Instant since, String reason, int problems, boolean flapping,
                      boolean acknowledged, List<String> nodes, List<String> serving, Instant lastReportAt,
                      String acknowledgedBy, Instant acknowledgedUntil, boolean acknowledgedSticky, boolean inMaintenance,
                      Instant maintenanceUntil) {
        this(name, state, since, reason, problems, flapping, acknowledged, nodes, serving, lastReportAt, acknowledgedBy,
                acknowledgedUntil, acknowledgedSticky, inMaintenance, maintenanceUntil, null);
    }
}
