package io.hulftark.fleet.view;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import io.hulftark.wire.NodeFacts;
import io.hulftark.wire.Report;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Collections;

/**
 * One node of a cluster as its latest report says.
 *
 * @param receivedAt when the fleet view received the latest report (freshness is judged on this)
 * @param skewMillis the agent's clock minus the fleet view's at that report (sentAt - receivedAt): shown, never used
 * @param fresh      whether that report is still fresh now
 */
@Schema(description = "One node of a cluster as its latest report says", requiredProperties = {"node", "receivedAt",
        "sentAt", "skewMillis", "fresh", "agentVersion", "agentStartedAt", "dropped", "resources"})
public record FleetNode(@Schema(description = "The node's name") String node,
                        @Schema(description = "When the fleet view received its latest report (freshness is judged on "
                                + "this)") Instant receivedAt,
                        @Schema(description = "The agent's clock when it sent that report") Instant sentAt,
                        @Schema(description = "The agent's clock minus the fleet view's at that report: shown, never "
                                + "used") long skewMillis,
                        @Schema(description = "Whether that report is still fresh now") boolean fresh,
                        @Schema(description = "The agent's version") String agentVersion,
                        @Schema(description = "When the agent process started (its clock)") Instant agentStartedAt,
                        @Schema(description = "Events the agent had to drop since it started", minimum = "0") long dropped,
                        @Schema(description = "Its resources as reported") List<Report.Resource> resources,
                        @Schema(description = "Its labels from the agent's configuration (hulftark.agent.labels)")
                        Map<String, String> labels,
                        @Schema(description = "Whether its agent runs actions the fleet view sends "
                                + "(hulftark.agent.fleet-actions.enabled); false for agents that do not say")
                        boolean fleetActions,
                        @Schema(description = "How its agent runs restore, remove and recover: through LifeKeeper's "
                                + "perform_action or the kit directly; absent when the agent does not say",
                                enumeration = {"lifekeeper", "direct"}, nullable = true) String actionsVia,
                        @Schema(description = "What the node is and how its kit is set up, with each resource's last "
                                + "preflight, as the agent last sent them; absent until it sent any")
                        @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
                        NodeFacts facts) {

    public FleetNode {
        labels = labels == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(labels));
    }

    /** A node whose agent sent no facts. */
    public FleetNode(String node, Instant receivedAt, Instant sentAt, long skewMillis, boolean fresh, String agentVersion,
                     Instant agentStartedAt, long dropped, List<Report.Resource> resources, Map<String, String> labels,
                     boolean fleetActions, String actionsVia) {
        this(node, receivedAt, sentAt, skewMillis, fresh, agentVersion, agentStartedAt, dropped, resources, labels,
                fleetActions, actionsVia, null);
    }

    /** A node whose agent says nothing of labels or fleet actions. */
    public FleetNode(String node, Instant receivedAt, Instant sentAt, long skewMillis, boolean fresh, String agentVersion,
                     Instant agentStartedAt, long dropped, List<Report.Resource> resources) {
        this(node, receivedAt, sentAt, skewMillis, fresh, agentVersion, agentStartedAt, dropped, resources, null, false,
                null, null);
    }
}
