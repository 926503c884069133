package io.hulftark.fleet.actions.delivery;

import io.hulftark.fleet.actions.OrderBook;
import io.hulftark.fleet.actions.OrderBook.NodeKey;
import io.hulftark.wire.ActionOrder;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The agents' held order requests ({@code GET /api/v1/fleet/orders}), by node, without a thread each: a held request
 * is a small {@link Waiter} in a map and one timer. It is answered with the node's orders as soon as it is woken
 * ({@link #wake}: an order was placed here, or the sweep found one placed by another instance), or with nothing when
 * its wait ends. Every held request of a node is woken; the orders go to the one that asks the book first (and to
 * several when they ask at once: the agent runs an id at most once). One that finds nothing goes back to waiting.
 * Store calls run on {@code blocking}, never on the thread that wakes.
 */
public final class OrderWaiters {

    /** Most orders in one answer. */
    public static final int MAX_ORDERS = 20;

    /** Starts a timer; what it returns cancels it. Vert.x timers in the service: no thread per timer. */
    public interface Timers {
        Runnable schedule(long delayMillis, Runnable task);
    }

    /** One held request. */
    public final class Waiter {
        private final NodeKey key;
        private final long deadline;
        private final CompletableFuture<List<ActionOrder>> result = new CompletableFuture<>();
        private volatile Runnable cancelTimer;

        private Waiter(NodeKey key, long deadline) {
            this.key = key;
            this.deadline = deadline;
        }

        /** Completes with the orders handed out (empty: none within the wait). */
        public CompletableFuture<List<ActionOrder>> result() {
            return result;
        }
    }

    private final ConcurrentHashMap<NodeKey, List<Waiter>> held = new ConcurrentHashMap<>();
    private final AtomicInteger count = new AtomicInteger();
    private final Supplier<OrderBook> book;
    private final Executor blocking;
    private final Timers timers;
    private final Clock clock;

    /** @param book the order book, or null while none is installed (then requests wait out their time) */
    public OrderWaiters(Supplier<OrderBook> book, Executor blocking, Timers timers, Clock clock) {
        this.book = book;
        this.blocking = blocking;
        this.timers = timers;
        this.clock = clock;
    }

    /** The node's orders now, marked handed out; empty when none wait. Blocking: a store query. */
    public List<ActionOrder> take(NodeKey key) {
        OrderBook b = book.get();
        if (b == null) {
            return List.of();
        }
        List<ActionOrder> orders = b.undelivered(key.cluster(), key.node(), MAX_ORDERS);
        if (orders.isEmpty()) {
            return List.of();
        }
        b.delivered(orders.stream().map(ActionOrder::id).toList(), clock.instant());
        return orders;
    }

    /** Holds a request of this node for up to {@code waitMillis}. */
    public Waiter hold(NodeKey key, long waitMillis) {
        Waiter w = new Waiter(key, clock.millis() + waitMillis);
        register(w);
        return w;
    }

    /** The client went away: forget its request. */
    public void cancel(Waiter w) {
        w.result.cancel(false); // first: a lookup in progress then does not put it back (see answer)
        unregister(w);
    }

    /** Orders wait for this node: its held requests ask the book. */
    public void wake(NodeKey key) {
        List<Waiter> ws = held.get(key);
        if (ws != null) {
            ws.forEach(this::answer);
        }
    }

    /** Orders wait for these nodes (the sweep's one store query). */
    public void wake(Collection<NodeKey> keys) {
        keys.forEach(this::wake);
    }

    /** Requests held now. */
    public int count() {
        return count.get();
    }

    /** No request is held now: the sweep skips the store then. */
    public boolean isEmpty() {
        return count.get() == 0;
    }

    private void register(Waiter w) {
        long left = w.deadline - clock.millis();
        if (left <= 0) {
            w.result.complete(List.of());
            return;
        }
        held.compute(w.key, (k, ws) -> {
            if (ws == null) {
                return List.of(w);
            }
            List<Waiter> more = new ArrayList<>(ws.size() + 1);
            more.addAll(ws);
            more.add(w);
            return List.copyOf(more);
        });
        count.incrementAndGet();
        w.cancelTimer = timers.schedule(left, () -> {
            if (unregister(w)) {
                w.result.complete(List.of());
            }
        });
        if (w.result.isCancelled()) { // cancelled between compute and here
            unregister(w);
        }
    }

    /** True when this call took w out of the map: only that caller may answer it. */
    private boolean unregister(Waiter w) {
        boolean[] removed = {false};
        held.computeIfPresent(w.key, (k, ws) -> {
            if (!ws.contains(w)) {
                return ws;
            }
            removed[0] = true;
            List<Waiter> rest = ws.stream().filter(x -> x != w).toList();
            return rest.isEmpty() ? null : rest;
        });
        if (removed[0]) {
            count.decrementAndGet();
            Runnable t = w.cancelTimer;
            if (t != null) {
                t.run();
            }
        }
        return removed[0];
    }

    private void answer(Waiter w) {
        if (!unregister(w)) {
            return; // already answered, timed out or gone
        }
        try {
            blocking.execute(() -> {
                if (w.result.isDone()) {
                    return; // its client went away meanwhile: hand nothing out to nobody
                }
                try {
                    List<ActionOrder> orders = take(w.key);
                    if (!orders.isEmpty()) {
                        w.result.complete(orders);
                    } else if (!w.result.isDone()) {
                        register(w); // another request of the node (or another instance) took them: wait on
                    }
                } catch (RuntimeException e) {
                    w.result.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            w.result.completeExceptionally(e);
        }
    }
}
