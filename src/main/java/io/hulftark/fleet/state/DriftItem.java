package io.hulftark.fleet.state;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One setting that differs between a cluster's nodes (issue 13).
 *
 * @param tag    the resource the setting is of; null for a node's own fact (OS version, LifeKeeper version)
 * @param key    the setting's key as {@link io.hulftark.wire.NodeFacts} names it, e.g. LKHULFT_TIMEOUT
 * @param values each node's value, by node name; a node that does not have the setting shows "(not set)"
 */
// A node's own fact has no tag: absent, as its schema says, never null.
@com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
@Schema(description = "One setting that differs between a cluster's nodes", requiredProperties = {"key", "values"})
public record DriftItem(@Schema(description = "The resource's tag; absent for a node's own fact (OS, LifeKeeper "
                                + "version)") String tag,
                        @Schema(description = "The setting, e.g. LKHULFT_TIMEOUT") String key,
                        @Schema(description = "Each node's value, by node name") Map<String, String> values) {

    public DriftItem {
        Objects.requireNonNull(key, "key");
        values = values == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(values));
    }

    /** One line for people: "LKHULFT_TIMEOUT: 300 on node-a, 60 on node-b" ("hulft2 LKHULFT_TIMEOUT: ..." for a tag
     *  other than the cluster's only one is up to the caller). */
    public String line() {
        StringBuilder s = new StringBuilder(key).append(": ");
        String sep = "";
        for (Map.Entry<String, String> e : values.entrySet()) {
            s.append(sep).append(e.getValue()).append(" on ").append(e.getKey());
            sep = ", ";
        }
        return s.toString();
    }
}
