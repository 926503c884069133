package io.hulftark.fleet.view;

import io.hulftark.fleet.state.ClusterState;

import java.util.Map;
import java.util.Optional;

/**
 * @param q    a case-insensitive substring of the cluster's name or of one of its nodes' names
 * @param page from 0
 * @param size 1 to 500
 * @param labels only clusters with a node carrying every one of these labels (key to value)
 */
public record ClusterQuery(Optional<ClusterState> state, Optional<String> q, Sort sort, int page, int size,
                           Map<String, String> labels) {

    public ClusterQuery {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    /** A query that selects by no label. */
    public ClusterQuery(Optional<ClusterState> state, Optional<String> q, Sort sort, int page, int size) {
        this(state, q, sort, page, size, Map.of());
    }

    public enum Sort {
        /**
         * Problem clusters first: SPLIT, DOWN, STALE, DEGRADED, OK; within a state, the unhandled before those
         * acknowledged or in a maintenance window, then the longest-standing (oldest since) first, then by name.
         */
        PROBLEM,
        NAME,
        /** Most recent state change first. */
        SINCE
    }
}
