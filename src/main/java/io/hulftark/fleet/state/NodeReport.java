package io.hulftark.fleet.state;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The latest full report of one node.
 *
 * @param readiness  the failing rows of the node's last preflight, per resource (issue 13)
 * @param receivedAt when the fleet view received it; freshness is judged on this, so ingest should stamp it
 *                   with its own clock rather than trust the node's
 */
public record NodeReport(String node, Instant receivedAt, List<ResourceReport> resources,
                         List<ReadinessFailure> readiness) {

    public NodeReport {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(receivedAt, "receivedAt");
        resources = List.copyOf(resources);
        readiness = readiness == null ? List.of() : List.copyOf(readiness);
    }

    /** A node whose last preflight failed nothing (or that never ran one). */
    public NodeReport(String node, Instant receivedAt, List<ResourceReport> resources) {
        this(node, receivedAt, resources, List.of());
    }
}
