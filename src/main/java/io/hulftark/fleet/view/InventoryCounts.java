package io.hulftark.fleet.view;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How many of the fleet's known nodes run what ("12 nodes still run agent 0.1"): value to count, most first, a
 * missing value counted as {@link InventoryQuery#UNKNOWN} (and a node without LifeKeeper as
 * {@link InventoryQuery#NONE}). Each value is what the matching inventory filter takes.
 */
@Schema(description = "How many known nodes run what: value to count, most first; each value is what the matching "
        + "inventory filter takes", requiredProperties = {"total", "agentVersion", "os", "jvm", "lifekeeper"})
public record InventoryCounts(@Schema(description = "Known nodes in all", minimum = "0") long total,
                              @Schema(description = "By agent version") Map<String, Long> agentVersion,
                              @Schema(description = "By \"os osVersion\"") Map<String, Long> os,
                              @Schema(description = "By JVM") Map<String, Long> jvm,
                              @Schema(description = "By LifeKeeper version") Map<String, Long> lifekeeper) {
    public InventoryCounts {
        agentVersion = Collections.unmodifiableMap(new LinkedHashMap<>(agentVersion));
        os = Collections.unmodifiableMap(new LinkedHashMap<>(os));
        jvm = Collections.unmodifiableMap(new LinkedHashMap<>(jvm));
        lifekeeper = Collections.unmodifiableMap(new LinkedHashMap<>(lifekeeper));
    }
}
