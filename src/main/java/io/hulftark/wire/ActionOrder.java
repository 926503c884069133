package io.hulftark.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.SchemaProperty;

import java.time.Instant;
import java.util.Set;

/**
 * An action the fleet view asks one node's agent to run: one step of a fleet action. Its {@code id} is the id of
 * the agent's action too, so the agent runs an order at most once however often it is delivered, and the outcome
 * comes back in the agent's reports as an action event with that id ({@link ActionOutcome}).
 *
 * @param action restore, remove, recover or quickCheck
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "An action the fleet view asks this node's agent to run",
        requiredProperties = {"id", "cluster", "node", "tag", "action", "requestedBy", "requestedAt"}, properties = {
        @SchemaProperty(name = "id", description = "The order's id, which the agent's action takes: an order is run "
                + "at most once, however often it is delivered", pattern = "^[A-Za-z0-9._@-]{1,64}$"),
        @SchemaProperty(name = "cluster", description = "The cluster's name", pattern = "^[A-Za-z0-9._@-]{1,64}$"),
        @SchemaProperty(name = "node", description = "The node that runs it", pattern = "^[A-Za-z0-9._@-]{1,64}$"),
        @SchemaProperty(name = "tag", description = "The resource's tag", minLength = 1, maxLength = 64),
        @SchemaProperty(name = "action", description = "What to run",
                enumeration = {"restore", "remove", "recover", "quickCheck"}),
        @SchemaProperty(name = "reason", description = "Why, for the agent's history", maxLength = 500),
        @SchemaProperty(name = "requestedBy", description = "Who asked the fleet view for it (a token's name)",
                maxLength = 64),
        @SchemaProperty(name = "requestedAt", description = "When the fleet view took the request (its clock)")})
public record ActionOrder(String id, String cluster, String node, String tag, String action, String reason,
                          String requestedBy, Instant requestedAt) {

    public static final int MAX_REASON = 500;
    private static final int MAX_TAG = 64;
    private static final Set<String> ACTIONS = Set.of("restore", "remove", "recover", "quickCheck");

    /** Why the order cannot be taken (one line naming the field), or null: what both sides check. */
    public String problem() {
        String p = WireText.idProblem("id", id);
        if (p == null) {
            p = WireText.idProblem("cluster", cluster);
        }
        if (p == null) {
            p = WireText.idProblem("node", node);
        }
        if (p == null) {
            p = WireText.nameProblem("tag", tag, MAX_TAG, true);
        }
        if (p == null && (action == null || !ACTIONS.contains(action))) {
            p = "action must be one of restore, remove, recover, quickCheck";
        }
        if (p == null) {
            p = WireText.freeTextProblem("reason", reason, MAX_REASON, false);
        }
        if (p == null && requestedAt == null) {
            p = "requestedAt is required";
        }
        return p;
    }
}
