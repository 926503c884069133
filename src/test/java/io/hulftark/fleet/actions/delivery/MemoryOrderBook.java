package io.hulftark.fleet.actions.delivery;

import io.hulftark.fleet.actions.OrderBook;
import io.hulftark.wire.ActionOrder;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An order book in memory for the delivery's tests (the store's is another helper's): an order is offered until it is
 * marked handed out. Orders placed {@code hidden} are not in {@link #waiting()}, so that only the event can deliver
 * them. Enabled by {@link OrderProfile} only: other tests see the application's own book.
 */
@Alternative
@ApplicationScoped
public class MemoryOrderBook implements OrderBook {

    private final Map<String, ActionOrder> open = new LinkedHashMap<>();
    private final Set<String> hidden = new HashSet<>();
    private final Map<String, Instant> delivered = new LinkedHashMap<>();
    private final AtomicInteger waitingCalls = new AtomicInteger();

    public synchronized void place(ActionOrder order, boolean hiddenFromSweep) {
        open.put(order.id(), order);
        if (hiddenFromSweep) {
            hidden.add(order.id());
        }
    }

    public synchronized Instant deliveredAt(String id) {
        return delivered.get(id);
    }

    public synchronized void clear() {
        open.clear();
        hidden.clear();
        delivered.clear();
    }

    public int waitingCalls() {
        return waitingCalls.get();
    }

    @Override
    public synchronized List<ActionOrder> undelivered(String cluster, String node, int max) {
        List<ActionOrder> out = new ArrayList<>();
        for (ActionOrder o : open.values()) {
            if (o.cluster().equals(cluster) && o.node().equals(node) && out.size() < max) {
                out.add(o);
            }
        }
        return out;
    }

    @Override
    public synchronized Set<NodeKey> waiting() {
        waitingCalls.incrementAndGet();
        Set<NodeKey> keys = new HashSet<>();
        open.values().stream().filter(o -> !hidden.contains(o.id()))
                .forEach(o -> keys.add(new NodeKey(o.cluster(), o.node())));
        return keys;
    }

    @Override
    public synchronized void delivered(List<String> orderIds, Instant at) {
        for (String id : orderIds) {
            if (open.remove(id) != null) {
                delivered.put(id, at);
            }
            hidden.remove(id);
        }
    }
}
