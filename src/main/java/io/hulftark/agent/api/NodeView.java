package io.hulftark.agent.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.hulftark.agent.push.FleetPusher;

import java.time.Instant;
import java.util.List;

/**
 * GET /api/v1/node: who this agent is.
 *
 * @param fleetPush the push to the fleet view (absent when it does not push): where, last success, last error,
 *                  events waiting and dropped
 */
public record NodeView(String node, String cluster, String version, String platform, String platformReason,
                       String actionMode, List<String> tags, Instant startedAt,
                       @JsonInclude(JsonInclude.Include.NON_NULL) FleetPusher.State fleetPush) {
}
