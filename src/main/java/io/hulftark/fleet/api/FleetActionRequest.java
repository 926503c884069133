package io.hulftark.fleet.api;

import io.hulftark.fleet.actions.ActionSpec;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What an operator asks of one cluster: an agent action on a node, or a switchover (POST .../actions). */
@Schema(description = "An action on one cluster", requiredProperties = {"action"})
public record FleetActionRequest(
        @Schema(description = "What to do", enumeration = {"restore", "remove", "recover", "quickCheck", "switchover"})
        String action,
        @Schema(description = "The node that runs it; for switchover the node HULFT moves to (absent: the cluster's "
                + "only standby); for quickCheck absent means every node", pattern = "^[A-Za-z0-9._@-]{1,64}$",
                nullable = true) String node,
        @Schema(description = "The resource's tag; absent: every resource of the cluster, one after the other",
                minLength = 1, maxLength = 64, nullable = true) String tag,
        @Schema(description = "Run even though it leaves the cluster with no node serving HULFT (remove on the only "
                + "serving node). Absent: false", nullable = true) Boolean force,
        @Schema(description = "Why, for the audit: one line of at most 500 characters without control characters",
                maxLength = 500, nullable = true) String reason) {

    public ActionSpec spec() {
        return new ActionSpec(action, node, tag, Boolean.TRUE.equals(force), reason);
    }
}
