package io.hulftark.fleet.actions;

/** A CDI event: an order for this node waits now (delivery wakes the node's held connection at once). */
public record OrderPlaced(String cluster, String node) {
}
