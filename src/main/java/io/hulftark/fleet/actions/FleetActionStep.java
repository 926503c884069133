package io.hulftark.fleet.actions;

import java.time.Instant;
import java.util.List;

/**
 * One step of a fleet action: one order to one node's agent ({@code id} is the order's and the agent action's id).
 *
 * @param state    PENDING (not yet taken by the agent), QUEUED, RUNNING, SUCCEEDED, FAILED, REFUSED (the agent
 *                 would not run it), TIMED_OUT (not taken or not ended in time), SKIPPED (an earlier step failed)
 * @param rollback whether it undoes an earlier step (a switchover's restore on the original node)
 */
public record FleetActionStep(String id, int seq, String node, String tag, String action, String state,
                              Integer exitCode, Long durationMillis, List<String> messages, String mode,
                              boolean rollback, Instant deliveredAt, Instant startedAt, Instant endedAt) {

    public FleetActionStep {
        messages = messages == null ? List.of() : List.copyOf(messages);
    }
}
