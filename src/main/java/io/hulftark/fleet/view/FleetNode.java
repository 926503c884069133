package io.hulftark.fleet.view;

import io.hulftark.fleet.report.Report;

import java.time.Instant;
import java.util.List;

/**
 * One node of a cluster as its latest report says.
 *
 * @param receivedAt when the fleet view received the latest report (freshness is judged on this)
 * @param skewMillis the agent's clock minus the fleet view's at that report (sentAt - receivedAt): shown, never used
 * @param fresh      whether that report is still fresh now
 */
public record FleetNode(String node, Instant receivedAt, Instant sentAt, long skewMillis, boolean fresh,
                        String agentVersion, Instant agentStartedAt, long dropped, List<Report.Resource> resources) {
}
