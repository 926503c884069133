package io.hulftark.fleet.actions;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.SchemaProperty;

import java.time.Instant;
import java.util.List;

/**
 * A fleet action as the API shows it and the audit keeps it: who asked what of which cluster, why, and each step.
 *
 * @param state  PENDING, RUNNING, SUCCEEDED, FAILED or CANCELLED
 * @param detail one line: what happened, and for a failure which step failed and why
 * @param batch  the batch it belongs to, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "A fleet action: who asked what of which cluster, why, and each step on each node",
        requiredProperties = {"id", "cluster", "action", "force", "requestedBy", "requestedAt", "state", "steps"},
        properties = {
        @SchemaProperty(name = "id", description = "Its id (GET /api/v1/fleet/actions/{id})"),
        @SchemaProperty(name = "action", description = "What was asked",
                enumeration = {"restore", "remove", "recover", "quickCheck", "switchover"}),
        @SchemaProperty(name = "node", description = "The node asked for (switchover: the target); absent: none named"),
        @SchemaProperty(name = "tag", description = "The resource asked for; absent: every resource"),
        @SchemaProperty(name = "reason", description = "Why, as the requester said"),
        @SchemaProperty(name = "requestedBy", description = "Who asked (a token's name)"),
        @SchemaProperty(name = "state", description = "Where it is",
                enumeration = {"PENDING", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED"}),
        @SchemaProperty(name = "endedAt", description = "When it ended; absent while it runs"),
        @SchemaProperty(name = "durationMillis", description = "From request to end; absent while it runs",
                minimum = "0"),
        @SchemaProperty(name = "detail", description = "One line: what happened; for a failure which step failed "
                + "and why; absent while it runs"),
        @SchemaProperty(name = "batch", description = "The batch it belongs to; absent when none"),
        @SchemaProperty(name = "steps", description = "Its steps in order; a switchover's rollback last")})
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
