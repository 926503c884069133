package io.hulftark.fleet.actions;

import java.time.Instant;
import java.util.List;

/**
 * A fleet action as the API shows it and the audit keeps it: who asked what of which cluster, why, and each step.
 *
 * @param state  PENDING, RUNNING, SUCCEEDED, FAILED or CANCELLED
 * @param detail one line: what happened, and for a failure which step failed and why
 * @param batch  the batch it belongs to, or null
 */
public record FleetAction(String id, String cluster, String action, String node, String tag, boolean force,
                          String reason, String requestedBy, Instant requestedAt, String state, Instant endedAt,
                          Long durationMillis, String detail, String batch, List<FleetActionStep> steps) {

    public FleetAction {
        steps = steps == null ? List.of() : List.copyOf(steps);
    }

    public boolean finished() {
        return "SUCCEEDED".equals(state) || "FAILED".equals(state) || "CANCELLED".equals(state);
    }
}
