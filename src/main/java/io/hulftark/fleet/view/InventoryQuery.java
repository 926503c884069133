package io.hulftark.fleet.view;

import java.util.Map;
import java.util.Optional;

/**
 * A selection of the inventory (issue 13). Every filter is an exact match (case-sensitive, as the facts say) except
 * {@code q}, a case-insensitive substring of the node's, its cluster's or its host's name.
 *
 * @param agentVersion only nodes whose agent has this version; "(unknown)" selects nodes without one
 * @param os           only nodes whose "os osVersion" is this (as the counts name it); "(unknown)" selects those without
 * @param jvm          only nodes with this JVM; "(unknown)" selects those without
 * @param lifekeeper   only nodes with this LifeKeeper version; "(none)" nodes without LifeKeeper, "(unknown)" with
 *                     LifeKeeper whose version is not known
 * @param labels       only nodes carrying every one of these labels
 * @param readiness    only nodes whose last preflight failed (true) or did not (false)
 * @param offset       from 0
 * @param limit        1 to 1000 for a page; ignored by the CSV export (all that match)
 */
public record InventoryQuery(Optional<String> cluster, Optional<String> q, Optional<String> agentVersion,
                             Optional<String> os, Optional<String> jvm, Optional<String> lifekeeper,
                             Map<String, String> labels, Optional<Boolean> readiness, Sort sort, boolean descending,
                             int offset, int limit) {

    /** What the counts and the filters call a missing value. */
    public static final String UNKNOWN = "(unknown)";
    /** A node without LifeKeeper, in the counts and the lifekeeper filter. */
    public static final String NONE = "(none)";

    public InventoryQuery {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    public enum Sort { CLUSTER, NODE, AGENT_VERSION, OS, JVM, LIFEKEEPER, RECEIVED_AT }
}
