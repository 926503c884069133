package io.hulftark.fleet.actions;

import io.hulftark.app.ServerRole;
import io.hulftark.fleet.FleetService;
import io.hulftark.fleet.poll.FleetPolling;
import io.hulftark.fleet.store.FleetStoreException;
import io.hulftark.fleet.store.StoreAvailability;
import io.hulftark.fleet.store.JdbcActionStore;
import io.hulftark.wire.Report;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.interceptor.Interceptor;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The fleet view's actions as a bean: the {@link ActionRunner} on the fleet store's database, its 1 s tick
 * (time-outs, switchovers' final check, actions another instance or an earlier run of this one started), and
 * {@link OrderPlaced} as a CDI event. Fleet role only; the agent never asks for it.
 */
@ApplicationScoped
public class ActionService implements FleetActions {

    static final Duration TICK_EVERY = Duration.ofSeconds(1);
    private static final Logger LOG = Logger.getLogger(ActionService.class);

    private final Instance<JdbcActionStore> stores;
    private final FleetService fleet;
    private final ActionsConfig config;
    private final Event<OrderPlaced> placed;
    private volatile ActionRunner runner;
    private ScheduledExecutorService tick;

    private final Instance<FleetPolling> polling;

    public ActionService(Instance<JdbcActionStore> stores, FleetService fleet, ActionsConfig config,
                         Event<OrderPlaced> placed, Instance<FleetPolling> polling) {
        this.stores = stores;
        this.polling = polling;
        this.fleet = fleet;
        this.config = config;
        this.placed = placed;
    }

    /** After FleetService's start, which opens the store. */
    void start(@Observes @Priority(Interceptor.Priority.APPLICATION + 600) StartupEvent event) {
        if (ServerRole.current() != ServerRole.FLEET) {
            return;
        }
        for (Duration d : List.of(config.deliveryTimeout(), config.runTimeout(), config.settleTimeout())) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("hulftark.fleet.actions.* time-outs must be more than 0, not " + d);
            }
        }
        runner();
        tick = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fleet-actions");
            t.setDaemon(true);
            return t;
        });
        String[] last = {null}; // one log line per change of cause, not one a second
        tick.scheduleWithFixedDelay(() -> {
            // While the store cannot take work, the store's probe waits for it: no query a second meanwhile.
            if (fleet.availability().flatMap(StoreAvailability::down).isPresent()) {
                return;
            }
            try {
                runner().tick();
                last[0] = null;
            } catch (RuntimeException e) {
                if (e instanceof FleetStoreException f && f.fault().isPresent()) {
                    fleet.availability().ifPresent(a -> a.failed(f.fault().get())); // logged there, once per cause
                } else if (!String.valueOf(e.getMessage()).equals(last[0])) {
                    LOG.warnf(e, "fleet actions: tick failed: %s", e.getMessage());
                }
                last[0] = String.valueOf(e.getMessage());
            }
        }, TICK_EVERY.toMillis(), TICK_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (tick != null) {
            tick.shutdownNow();
            try {
                tick.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    ActionRunner runner() {
        ActionRunner r = runner;
        if (r == null) {
            synchronized (this) {
                if (runner == null) {
                    runner = new ActionRunner(stores.get(), name -> fleet.store().cluster(name, 0, fleet.now()),
                            new ActionRunner.Bounds(config.deliveryTimeout(), config.runTimeout(),
                                    config.settleTimeout()), Clock.systemUTC(), placed::fire, this::cannotDeliver);
                }
                r = runner;
            }
        }
        return r;
    }

    /** A node this fleet view polls gets orders only through its REST API, with an operator token of it. */
    private Optional<String> cannotDeliver(OrderBook.NodeKey node) {
        if (!polling.isResolvable()) {
            return Optional.empty();
        }
        FleetPolling p = polling.get();
        return p.polls(node) && !p.takesActions(node)
                ? Optional.of(node.node() + " is polled by the fleet view, which has no operator token of its agent "
                + "to hand it actions (hulftark.fleet.poll.\"NAME\".action-token)")
                : Optional.empty();
    }

    @Override
    public FleetAction start(String cluster, ActionSpec spec, String requestedBy, String batch) {
        refuseWhileDown("start of an action on " + cluster);
        return guarded(() -> runner().start(cluster, spec, requestedBy, batch));
    }

    /**
     * While the store cannot write (a full disk, a lost server), a write is refused at once with the store's 503,
     * as the fleet store's own writes are; the store's probe takes writes again when it can.
     */
    private void refuseWhileDown(String what) {
        fleet.availability().flatMap(a -> a.refusal(what)).ifPresent(e -> {
            throw e;
        });
    }

    /** A fault of the database met here marks the store unavailable for everyone (readiness, the probe). */
    private <T> T guarded(java.util.function.Supplier<T> work) {
        try {
            return work.get();
        } catch (FleetStoreException e) {
            e.fault().ifPresent(f -> fleet.availability().ifPresent(a -> a.failed(f)));
            throw e;
        }
    }

    @Override
    public Optional<FleetAction> get(String id) {
        return runner().get(id);
    }

    /** The audit, newest first. */
    public List<FleetAction> search(JdbcActionStore.Query query) {
        return runner().search(query);
    }

    /** The orders waiting for agents, for delivery. */
    public OrderBook orders() {
        return runner().orders();
    }

    /** A report kept by the fleet view (pushed or polled): the outcomes of our steps in it move them on. */
    public void onReport(Report report) {
        guarded(() -> {
            runner().onReport(report);
            return null;
        });
    }

    /** Ended actions requested before {@code before}. @return how many were deleted */
    public long prune(Instant before) {
        return runner().prune(before);
    }
}
