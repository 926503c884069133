package io.hulftark.fleet.state;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The latest full report of one node.
 *
 * @param receivedAt when the fleet view received it; freshness is judged on this, so ingest should stamp it
 *                   with its own clock rather than trust the node's
 */
public record NodeReport(String node, Instant receivedAt, List<ResourceReport> resources) {

    public NodeReport {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(receivedAt, "receivedAt");
        resources = List.copyOf(resources);
    }
}
