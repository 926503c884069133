package io.hulftark.fleet.actions.batch;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which clusters a batch acts on: the named clusters, together with every cluster that matches state, q and labels
 * (all three at once). No criterion at all selects every cluster. Resolved once, when the batch is created.
 *
 * @param clusters cluster names (at most 1000), each one that has reported to this fleet view
 * @param state    a cluster state (case-insensitive), as the cluster table filters it
 * @param q        text in a cluster's or one of its nodes' names or label values (case-insensitive)
 * @param labels   key to value: only clusters with a node carrying every one of them
 */
@Schema(description = "Which clusters a batch acts on: the named clusters, together with those matching state, q and "
        + "labels together. An empty object selects every cluster. Resolved once, when the batch is created.")
public record BatchSelection(
        @Schema(description = "Cluster names, each one known to the fleet view", nullable = true, maxItems = 1000)
        List<String> clusters,
        @Schema(description = "Only clusters in this state (case-insensitive): OK, DEGRADED, DOWN, SPLIT, STALE, or "
                + "MAINTENANCE for those a window covers now", nullable = true, maxLength = 16)
        String state,
        @Schema(description = "Only clusters whose name, a node's name or a label value holds this (case-insensitive)",
                nullable = true, maxLength = 64)
        String q,
        @Schema(description = "Only clusters with a node carrying every one of these labels (key to value)",
                nullable = true, maxProperties = 32)
        Map<String, String> labels) {

    public BatchSelection {
        // Copies that keep a null element: the request's validation names it, a constructor would only fail.
        clusters = clusters == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(clusters));
        labels = labels == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(labels));
    }

    /** Whether it asks for anything beyond names: then the cluster table is queried too. */
    public boolean queries() {
        return state != null && !state.isBlank() || q != null && !q.isBlank() || !labels.isEmpty();
    }
}
