package io.hulftark.agent.api;

import java.time.Instant;
import java.util.List;

/** GET /api/v1/node: who this agent is. */
public record NodeView(String node, String cluster, String version, String platform, String platformReason,
                       String actionMode, List<String> tags, Instant startedAt) {
}
