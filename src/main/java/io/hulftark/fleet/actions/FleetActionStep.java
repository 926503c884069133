package io.hulftark.fleet.actions;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.SchemaProperty;

import java.time.Instant;
import java.util.List;

/**
 * One step of a fleet action: one order to one node's agent ({@code id} is the order's and the agent action's id).
 *
 * @param state    PENDING (not yet taken by the agent), QUEUED, RUNNING, SUCCEEDED, FAILED, REFUSED (the agent
 *                 would not run it), TIMED_OUT (not taken or not ended in time), SKIPPED (an earlier step failed)
 * @param rollback whether it undoes an earlier step (a switchover's restore on the original node)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "One step of a fleet action: one order to one node's agent",
        requiredProperties = {"id", "seq", "node", "tag", "action", "state", "messages", "rollback"}, properties = {
        @SchemaProperty(name = "id", description = "The order's id, which is the agent's action id"),
        @SchemaProperty(name = "seq", description = "Its place in the action, from 1", minimum = "1"),
        @SchemaProperty(name = "action", description = "What the agent runs",
                enumeration = {"restore", "remove", "recover", "quickCheck"}),
        @SchemaProperty(name = "state", description = "PENDING (not yet taken by the agent), QUEUED, RUNNING, "
                + "SUCCEEDED, FAILED, REFUSED (the agent would not run it), INTERRUPTED, TIMED_OUT (not taken or not "
                + "ended in time), SKIPPED (an earlier step failed)", enumeration = {"PENDING", "QUEUED", "RUNNING",
                "SUCCEEDED", "FAILED", "REFUSED", "INTERRUPTED", "TIMED_OUT", "SKIPPED"}),
        @SchemaProperty(name = "exitCode", description = "The kit's exit code, once it ended"),
        @SchemaProperty(name = "durationMillis", description = "How long it ran on the node", minimum = "0"),
        @SchemaProperty(name = "messages", description = "Its messages, as the agent reported them"),
        @SchemaProperty(name = "mode", description = "How it ran", enumeration = {"lifekeeper", "direct"}),
        @SchemaProperty(name = "rollback", description = "Whether it undoes an earlier step (a switchover's "
                + "restore on the original node)"),
        @SchemaProperty(name = "deliveredAt", description = "When it was last handed to the agent"),
        @SchemaProperty(name = "startedAt", description = "When the agent reported it running"),
        @SchemaProperty(name = "endedAt", description = "When it ended")})
public record FleetActionStep(String id, int seq, String node, String tag, String action, String state,
                              Integer exitCode, Long durationMillis, List<String> messages, String mode,
                              boolean rollback, Instant deliveredAt, Instant startedAt, Instant endedAt) {

    public FleetActionStep {
        messages = messages == null ? List.of() : List.copyOf(messages);
    }
}
