package io.hulftark.agent.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.hulftark.agent.push.FleetPusher;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.hulftark.agent.orders.OrderChannel;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * GET /api/v1/node: who this agent is.
 *
 * @param fleetPush the push to the fleet view (absent when it does not push): where, last success, last error,
 *                  events waiting and dropped
 */
@Schema(description = "Who this agent is", requiredProperties = {"node", "cluster", "version", "platform",
        "platformReason", "actionMode", "tags", "startedAt"})
public record NodeView(
        @Schema(description = "This node's name (hulftark.node, else the host name)") String node,
        @Schema(description = "The cluster's name (hulftark.cluster); null when not set, and then the agent reports to "
                + "no fleet view", nullable = true) String cluster,
        @Schema(description = "The agent's version") String version,
        @Schema(description = "The platform that controls services: windows, linux or command") String platform,
        @Schema(description = "Why that platform was chosen") String platformReason,
        @Schema(description = "How actions run: direct (the kit in this process) or lifekeeper (perform_action)",
                enumeration = {"direct", "lifekeeper"}) String actionMode,
        @Schema(description = "The tags of the resources it manages") List<String> tags,
        @Schema(description = "When this agent process started") Instant startedAt,
        @Schema(description = "The push to the fleet view; absent when it does not push")
        @JsonInclude(JsonInclude.Include.NON_NULL) FleetPusher.State fleetPush,
        @Schema(description = "This node's labels (hulftark.agent.labels): key to value") Map<String, String> labels,
        @Schema(description = "Whether this agent runs the fleet view's orders (hulftark.agent.fleet-actions.enabled)")
        boolean fleetActions,
        @Schema(description = "The connection on which the fleet view's orders come; absent when it is not held (the "
                + "agent does not push, or fleet actions are off)")
        @JsonInclude(JsonInclude.Include.NON_NULL) OrderChannel.State fleetOrders) {
}
