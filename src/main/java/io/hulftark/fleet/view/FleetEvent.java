package io.hulftark.fleet.view;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.hulftark.fleet.state.ClusterState;

import java.time.Instant;

/**
 * One entry of the fleet's history, and one message of the live stream.
 *
 * @param id    increases with every event the store keeps (shared by every fleet-view instance on one database)
 * @param at    when it happened: the fleet view's clock for STATE, ACK, MAINTENANCE and NODE; the agent's for TRANSITION and ACTION
 * @param kind  STATE (a cluster's state changed; {@code state} is the new one), TRANSITION (a resource's status on a
 *              node), ACTION (an action on a node), ACK, MAINTENANCE (an operator's), NODE (a node first seen,
 *              forgotten, or its agent dropped events), CONFIG (a drift or readiness finding began or ended)
 * @param text  one line for people
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "One entry of the fleet's history, and one message of the live stream",
        requiredProperties = {"id", "at", "cluster", "kind", "text"})
public record FleetEvent(@Schema(description = "Grows with every event kept (shared by every fleet-view instance on one "
                                 + "database)", minimum = "1") long id,
                         @Schema(description = "When it happened: the fleet view's clock for STATE, ACK, MAINTENANCE and "
                                 + "NODE, the agent's for TRANSITION and ACTION") Instant at,
                         @Schema(description = "The cluster's name") String cluster,
                         @Schema(description = "The node's name; absent when the event is the cluster's") String node,
                         @Schema(description = "STATE (the cluster's state changed), TRANSITION (a resource's status on a "
                                 + "node), ACTION (an action on a node), ACK, MAINTENANCE (an operator's), NODE (a node "
                                 + "first seen, forgotten, or its agent dropped events), CONFIG (a drift or readiness "
                                 + "finding began or ended)",
                                 enumeration = {"STATE", "TRANSITION", "ACTION", "ACK", "MAINTENANCE", "NODE",
                                         "CONFIG"}) String kind,
                         @Schema(description = "The resource's tag; absent when not about one resource") String tag,
                         @Schema(description = "One line for people") String text,
                         @Schema(description = "The cluster's new state; only for STATE") ClusterState state) {

    public static final String STATE = "STATE";
    public static final String TRANSITION = "TRANSITION";
    public static final String ACTION = "ACTION";
    public static final String ACK = "ACK";
    public static final String MAINTENANCE = "MAINTENANCE";
    public static final String NODE = "NODE";
    /** A drift or readiness finding of the cluster began or ended (issue 13). */
    public static final String CONFIG = "CONFIG";
}
