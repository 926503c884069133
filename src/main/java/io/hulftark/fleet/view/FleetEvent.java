package io.hulftark.fleet.view;

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
 *              forgotten, or its agent dropped events)
 * @param text  one line for people
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FleetEvent(long id, Instant at, String cluster, String node, String kind, String tag, String text,
                         ClusterState state) {

    public static final String STATE = "STATE";
    public static final String TRANSITION = "TRANSITION";
    public static final String ACTION = "ACTION";
    public static final String ACK = "ACK";
    public static final String MAINTENANCE = "MAINTENANCE";
    public static final String NODE = "NODE";
}
