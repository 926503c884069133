package io.hulftark.fleet.actions;

import io.hulftark.wire.ActionOrder;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * The orders that wait for agents, kept in the store: what delivery hands out over an agent's connection or
 * through a polled agent's REST API. An order stays undelivered until the agent's report shows its action (any
 * state); one handed out but not taken within a few seconds is offered again (the agent runs it at most once).
 */
public interface OrderBook {

    /** The node an order is for. */
    record NodeKey(String cluster, String node) {
    }

    /** Orders for this node that its agent has not taken yet, oldest first. */
    List<ActionOrder> undelivered(String cluster, String node, int max);

    /** Every node with an order not taken yet: one store query, for a sweep over the held connections. */
    Set<NodeKey> waiting();

    /** Marks orders as handed out now; they are offered again if the agent has not taken them within a while. */
    void delivered(List<String> orderIds, Instant at);
}
