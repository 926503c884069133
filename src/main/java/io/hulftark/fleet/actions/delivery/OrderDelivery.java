package io.hulftark.fleet.actions.delivery;

import io.hulftark.fleet.store.FleetStoreException;
import io.hulftark.app.ServerRole;
import io.hulftark.fleet.actions.OrderBook;
import io.hulftark.fleet.actions.OrderPlaced;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.enterprise.inject.Instance;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.Set;

/**
 * The fleet view's side of the push agents' order channel: owns the {@link OrderWaiters} (Vert.x timers, Quarkus's
 * worker pool for store calls), wakes a node's held requests on {@link OrderPlaced}, and once a second sweeps the
 * book for nodes with waiting orders (placed by another fleet-view instance, or before a restart). Exported as
 * {@code hulftark_fleet_order_waiters}.
 */
@ApplicationScoped
public class OrderDelivery {

    private static final Logger LOG = Logger.getLogger(OrderDelivery.class);

    private final OrderWaiters waiters;
    private final Instance<OrderBook> book;
    private final MeterRegistry registry;
    private volatile String sweepFailure;

    public OrderDelivery(Instance<OrderBook> book, Vertx vertx, MeterRegistry registry) {
        this.book = book;
        this.registry = registry;
        this.waiters = new OrderWaiters(() -> book.isResolvable() ? book.get() : null,
                Infrastructure.getDefaultWorkerPool(), (delay, task) -> {
                    long id = vertx.setTimer(Math.max(1, delay), t -> task.run());
                    return () -> vertx.cancelTimer(id);
                }, Clock.systemUTC());
    }

    void start(@Observes StartupEvent event) {
        if (ServerRole.current() != ServerRole.FLEET) {
            return;
        }
        Gauge.builder("hulftark.fleet.order.waiters", waiters, OrderWaiters::count)
                .description("Agents' order requests held open now (GET /api/v1/fleet/orders)").register(registry);
        if (!book.isResolvable()) {
            LOG.warn("fleet actions: this fleet view has no order book; agents' order requests wait and get nothing");
        }
    }

    public OrderWaiters waiters() {
        return waiters;
    }

    void placed(@Observes OrderPlaced event) {
        waiters.wake(new OrderBook.NodeKey(event.cluster(), event.node()));
    }

    void placedAsync(@ObservesAsync OrderPlaced event) {
        placed(event);
    }

    /** Orders placed without an event here: another instance's, or a restart's. One query, only while requests wait. */
    @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        if (waiters.isEmpty() || !book.isResolvable()) {
            return;
        }
        Set<OrderBook.NodeKey> waiting;
        try {
            waiting = book.get().waiting();
        } catch (RuntimeException e) {
            if (e instanceof FleetStoreException f && f.fault().isPresent()) {
                return; // the store cannot take work: its availability logs that once, the probe brings it back
            }
            String cause = String.valueOf(e.getMessage());
            if (!cause.equals(sweepFailure)) { // one line per cause, not one a second
                LOG.warnf("fleet actions: cannot read the waiting orders: %s", cause);
                sweepFailure = cause;
            }
            return;
        }
        sweepFailure = null;
        waiters.wake(waiting);
    }
}
