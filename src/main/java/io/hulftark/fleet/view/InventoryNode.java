package io.hulftark.fleet.view;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * One node of the fleet's inventory (issue 13): what it runs, from its latest facts, and where it stands.
 *
 * @param factsAt           when the fleet view received its latest facts; null when its agent never sent any
 * @param readinessFailures failing rows of its last preflight (all resources)
 * @param drifting          whether its cluster has drift (any setting differs between its nodes)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "One node of the fleet's inventory", requiredProperties = {"cluster", "node", "receivedAt",
        "fresh", "labels", "readinessFailures", "drifting"})
public record InventoryNode(@Schema(description = "Its cluster") String cluster,
                            @Schema(description = "The node's name") String node,
                            @Schema(description = "When the fleet view received its latest report") Instant receivedAt,
                            @Schema(description = "Whether that report is still fresh now") boolean fresh,
                            @Schema(description = "The agent's version") String agentVersion,
                            @Schema(description = "Operating system's name") String os,
                            @Schema(description = "Operating system's version") String osVersion,
                            @Schema(description = "The agent's Java runtime") String jvm,
                            @Schema(description = "The machine's host name") String host,
                            @Schema(description = "The kit's platform") String platform,
                            @Schema(description = "Whether LifeKeeper is installed") Boolean lifekeeper,
                            @Schema(description = "LifeKeeper's version where it states it") String lifekeeperVersion,
                            @Schema(description = "Its labels") Map<String, String> labels,
                            @Schema(description = "When the fleet view received its latest facts") Instant factsAt,
                            @Schema(description = "When its last preflight ran (the agent's clock)") Instant validatedAt,
                            @Schema(description = "Failing rows of its last preflight", minimum = "0")
                            int readinessFailures,
                            @Schema(description = "Whether its cluster has drift") boolean drifting) {

    public InventoryNode {
        labels = labels == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(labels));
    }
}
