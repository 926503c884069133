package io.hulftark.fleet;

import io.hulftark.http.ProblemException;
import io.hulftark.http.security.Caller;
import io.hulftark.http.security.Role;
import io.hulftark.app.ServerRole;
import io.hulftark.fleet.actions.ActionService;
import io.hulftark.wire.Report;
import io.hulftark.fleet.report.ReportSink;
import io.hulftark.wire.ReportValidator;
import io.hulftark.fleet.store.FleetStore;
import io.hulftark.fleet.store.FleetStoreException;
import io.hulftark.fleet.store.GuardedFleetStore;
import io.hulftark.fleet.store.StoreAvailability;
import io.hulftark.fleet.store.IngestResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The fleet view's framework side: the store of the configured datasource, ingest with its checks, and the
 * background work — deriving states again as time passes, pruning history, feeding the live streams.
 * Built at start-up in the fleet role only.
 */
@ApplicationScoped
public class FleetService implements ReportSink {

    private static final Logger LOG = Logger.getLogger(FleetService.class);
    /** How often the live streams look for new events: the bound of "a change is on the stream within 1 s". */
    static final Duration FEED_EVERY = Duration.ofMillis(200);
    static final Duration PING_EVERY = Duration.ofSeconds(15);
    static final Duration REEVALUATE_EVERY = Duration.ofSeconds(1);
    static final Duration PRUNE_EVERY = Duration.ofHours(1);
    /** How soon a store that could not write (full disk, lost server) is tried again, and readiness follows. */
    static final Duration PROBE_EVERY = Duration.ofSeconds(1);

    private final Instance<FleetStore> stores;
    /** Lazy: the actions need the started store, and this service needs them only after a report is kept. */
    private final Instance<ActionService> actions;
    private final FleetConfig config;
    private final MeterRegistry registry;
    private final Clock clock = Clock.systemUTC();
    private volatile FleetStore store;
    private volatile EventFeed feed;
    private ScheduledExecutorService background;
    private Timer ingestTimer;

    public FleetService(Instance<FleetStore> stores, Instance<ActionService> actions, FleetConfig config,
                        MeterRegistry registry) {
        this.stores = stores;
        this.actions = actions;
        this.config = config;
        this.registry = registry;
    }

    void start(@Observes StartupEvent event) {
        if (ServerRole.current() != ServerRole.FLEET) {
            return;
        }
        if (config.maxClockAhead().isNegative()) {
            throw new IllegalArgumentException("hulftark.fleet.max-clock-ahead must be 0 or more, not "
                    + config.maxClockAhead());
        }
        store = stores.get();
        feed = new EventFeed(store, clock, Duration.ofSeconds(2));
        ingestTimer = Timer.builder("hulftark.fleet.ingest").description("Report ingest, validation to commit")
                .publishPercentiles(0.5, 0.99).register(registry);
        Gauge.builder("hulftark.fleet.streams", feed, EventFeed::subscribers)
                .description("Clients reading the live stream now").register(registry);
        background = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "fleet-background");
            t.setDaemon(true);
            return t;
        });
        every(FEED_EVERY, "live feed", feed::poll);
        every(PING_EVERY, "stream keep-alive", feed::pingAll);
        every(REEVALUATE_EVERY, "re-derive", () -> store.reevaluateDue(clock.instant()));
        every(PRUNE_EVERY, "prune", () -> {
            long n = store.prune(clock.instant().minus(config.retention()));
            n += actions.get().prune(clock.instant().minus(config.retention())); // the audit: never a running one
            if (n > 0) {
                LOG.infof("pruned %d history rows older than %s", n, config.retention());
            }
        });
        if (store instanceof GuardedFleetStore guarded) {
            every(PROBE_EVERY, "store probe", () -> {
                boolean down = guarded.availability().down().isPresent();
                if (guarded.probe() && down) {
                    feed.rewind(store.lastEventId());
                }
            });
        }
        LOG.infof("fleet view: store %s, fresh for %s, retention %s", config.store().name().toLowerCase(Locale.ROOT),
                config.freshFor(), config.retention());
    }

    private void every(Duration period, String what, Runnable task) {
        String[] last = {null}; // one line per change of cause, not one a round
        background.scheduleWithFixedDelay(() -> {
            try {
                task.run();
                last[0] = null;
            } catch (FleetStoreException e) {
                if (e.fault().isEmpty() && !e.getMessage().equals(last[0])) {
                    LOG.warnf(e, "fleet view: %s failed: %s", what, e.getMessage());
                }
                last[0] = e.getMessage(); // a full disk or a lost server: StoreAvailability says it once
            } catch (RuntimeException e) { // one bad round must not end the schedule
                if (!String.valueOf(e.getMessage()).equals(last[0])) {
                    LOG.warnf(e, "fleet view: %s failed: %s", what, e.getMessage());
                }
                last[0] = String.valueOf(e.getMessage());
            }
        }, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** On ShutdownEvent, before Quarkus closes the datasource under a round that is still running. */
    void stop(@Observes ShutdownEvent event) {
        if (background != null) {
            background.shutdownNow();
            try {
                background.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A pushed report: validated, the reporter's scope checked, then kept. */
    public IngestResult ingest(Caller caller, Report report) {
        long t0 = System.nanoTime();
        validate(report);
        if (caller.role() != Role.REPORTER || caller.scope().isEmpty()
                || !caller.scope().get().permits(report.cluster(), report.node())) {
            throw new ProblemException(403, "forbidden", "Forbidden", caller.name() + " may report for "
                    + caller.scope().map(s -> s.describe()).orElse("nothing") + ", not for node " + report.node()
                    + " of cluster " + report.cluster());
        }
        return keep(report, t0);
    }

    /** A report the fleet view polled from an agent: validated, then kept. */
    @Override
    public IngestResult accept(Report report) {
        long t0 = System.nanoTime();
        validate(report);
        return keep(report, t0);
    }

    private static void validate(Report report) {
        ReportValidator.problem(report).ifPresent(p -> {
            throw new ProblemException(422, "invalid-report", "Invalid report", p);
        });
    }

    /** Free texts neutralised and times beyond the clock bound taken as received: never a reason to refuse. */
    private IngestResult keep(Report report, long t0) {
        Instant now = clock.instant();
        Report safe = ReportValidator.clockBounded(ReportValidator.neutralised(report), now, config.maxClockAhead());
        IngestResult result = store().ingest(safe, now);
        // After the commit: an outcome that cannot be recorded fails the request, the agent sends it again.
        actions.get().onReport(safe);
        Counter.builder("hulftark.fleet.reports").tag("outcome", result.outcome().name().toLowerCase(Locale.ROOT))
                .description("Reports taken, by outcome").register(registry).increment();
        ingestTimer.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
        return result;
    }

    public FleetStore store() {
        FleetStore s = store;
        if (s == null) {
            throw new IllegalStateException("the fleet view is not started (hulftark.role is not fleet)");
        }
        return s;
    }

    /** Whether the store takes writes, and why not; empty before start (the agent's role). */
    public Optional<StoreAvailability> availability() {
        return store instanceof GuardedFleetStore guarded ? Optional.of(guarded.availability()) : Optional.empty();
    }

    public EventFeed feed() {
        return feed;
    }

    public FleetConfig config() {
        return config;
    }

    public Instant now() {
        return clock.instant();
    }
}
