package io.hulftark.fleet.view;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import io.hulftark.wire.Report;

import java.time.Instant;
import java.util.List;

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
                        @Schema(description = "Its resources as reported") List<Report.Resource> resources) {
}
