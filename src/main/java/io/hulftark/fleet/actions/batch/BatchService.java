package io.hulftark.fleet.actions.batch;

import io.hulftark.wire.ReportValidator;
import io.hulftark.app.ServerRole;
import io.hulftark.fleet.FleetService;
import io.hulftark.fleet.actions.ActionSpec;
import io.hulftark.fleet.actions.FleetActions;
import io.hulftark.fleet.state.ClusterState;
import io.hulftark.fleet.store.BatchStore;
import io.hulftark.fleet.store.FleetStore;
import io.hulftark.fleet.store.FleetStoreException;
import io.hulftark.fleet.store.StoreAvailability;
import io.hulftark.fleet.view.ClusterPage;
import io.hulftark.fleet.view.ClusterQuery;
import io.hulftark.fleet.view.ClusterRow;
import io.hulftark.http.ProblemException;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Rolling batches in the fleet view: creates them (the selection resolved once, here), answers operators' pause,
 * resume and cancel, and runs {@link BatchRunner} every second on a thread of its own. Batches left RUNNING by a
 * stopped or dead instance are taken over from the store when their lease lapses (at once after a clean stop).
 */
@ApplicationScoped
public class BatchService {

    /** How often running batches are followed and the next clusters started. */
    static final Duration TICK = Duration.ofSeconds(1);
    /** A batch's lease: another instance takes the batch over when its driver has not renewed it for this long. */
    static final Duration LEASE = Duration.ofSeconds(10);
    static final Duration PRUNE_EVERY = Duration.ofHours(1);
    /** The most clusters one batch may hold (a selection that matches more is refused). */
    public static final int MAX_CLUSTERS = 10_000;
    private static final int PAGE = 500;
    private static final Logger LOG = Logger.getLogger(BatchService.class);

    private final FleetService fleet;
    private final Instance<BatchStore> stores;
    private final Instance<FleetActions> actions;
    private final Clock clock = Clock.systemUTC();
    private volatile BatchStore store;
    private volatile BatchRunner runner;
    private ScheduledExecutorService background;
    /** The last failure of each background task: a failed round is logged once per different reason. */
    private final Map<String, String> lastFailure = new java.util.concurrent.ConcurrentHashMap<>();

    public BatchService(FleetService fleet, Instance<BatchStore> stores, Instance<FleetActions> actions) {
        this.fleet = fleet;
        this.stores = stores;
        this.actions = actions;
    }

    void start(@Observes StartupEvent event) {
        if (ServerRole.current() != ServerRole.FLEET) {
            return;
        }
        store = stores.get();
        background = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fleet-batches");
            t.setDaemon(true);
            return t;
        });
        if (actions.isResolvable()) {
            runner = new BatchRunner(store, actions.get(), clock, "fleet-" + UUID.randomUUID(), LEASE);
            background.scheduleWithFixedDelay(() -> quietly("batch round", runner::tick), TICK.toMillis(),
                    TICK.toMillis(), TimeUnit.MILLISECONDS);
        } else {
            LOG.info("fleet view: no fleet actions in this build; batches cannot run");
        }
        background.scheduleWithFixedDelay(() -> quietly("batch prune", () -> {
            long n = store.prune(clock.instant().minus(fleet.config().retention()));
            if (n > 0) {
                LOG.infof("pruned %d batches that ended more than %s ago", n, fleet.config().retention());
            }
        }), PRUNE_EVERY.toMillis(), PRUNE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (background == null) {
            return;
        }
        background.shutdownNow();
        try {
            background.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (runner != null) {
            quietly("releasing batches", runner::release);
        }
    }

    /**
     * Runs background work; while the store cannot take work (a full disk, a lost server) it waits for the store's
     * probe instead of failing once a second, and a store fault is never logged here: StoreAvailability logs each
     * cause once. Another failure is logged once per cause.
     */
    private void quietly(String what, Runnable task) {
        if (fleet.availability().flatMap(StoreAvailability::down).isPresent()) {
            return;
        }
        try {
            task.run();
            lastFailure.remove(what);
        } catch (RuntimeException e) {
            if (e instanceof FleetStoreException f && f.fault().isPresent()) {
                fleet.availability().ifPresent(a -> a.failed(f.fault().get()));
                return;
            }
            if (!String.valueOf(e.getMessage()).equals(lastFailure.put(what, String.valueOf(e.getMessage())))) {
                LOG.warnf(e, "fleet view: %s failed: %s", what, e.getMessage());
            }
        }
    }

    /**
     * Resolves the selection and keeps the batch; the runner starts its first clusters within a second.
     *
     * @throws ProblemException 400 when the selection matches no cluster, names an unknown one or matches too many;
     *                          503 when this build has no fleet actions
     */
    public Batch create(ActionSpec spec, BatchSelection selection, int concurrency, boolean stopOnFailure,
                        int pauseSeconds, String by) {
        if (runner == null) {
            throw new ProblemException(503, "actions-unavailable", "Service unavailable",
                    "this fleet view cannot run fleet actions");
        }
        Instant now = clock.instant();
        List<String> names = resolve(fleet.store(), selection, now);
        List<BatchCluster> clusters = new ArrayList<>(names.size());
        for (String n : names) {
            clusters.add(new BatchCluster(n, BatchCluster.PENDING, null, null, null, null));
        }
        Batch b = new Batch("batch-" + UUID.randomUUID().toString().replace("-", "").substring(0, 16), spec.action(),
                spec.node(), spec.tag(), spec.force(), spec.reason() == null ? "" : spec.reason(), selection,
                concurrency, stopOnFailure, pauseSeconds, Batch.RUNNING, 0, 0, 0, 0, 0, by, now, null, List.of())
                .withClusters(clusters);
        write(() -> {
            store().create(b);
            return null;
        });
        LOG.infof("batch %s: %s on %d clusters by %s, %d at a time%s (reason: %s)", b.id(), b.action(), b.total(), by,
                concurrency, stopOnFailure ? ", stop on failure" : "", b.reason());
        return b;
    }

    /** The clusters a selection names and matches, names first in their order, then the matches by name. */
    static List<String> resolve(FleetStore fleetStore, BatchSelection s, Instant now) {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        if (!s.clusters().isEmpty()) {
            Map<String, ClusterRow> known = fleetStore.rows(new LinkedHashSet<>(s.clusters()), now);
            for (String name : s.clusters()) {
                if (!known.containsKey(name)) {
                    throw ProblemException.badRequest("selection.clusters: cluster '" + name
                            + "' has not reported to this fleet view");
                }
                out.add(name);
            }
        }
        if (s.queries() || s.clusters().isEmpty()) {
            Optional<ClusterState> state = Optional.ofNullable(s.state()).filter(x -> !x.isBlank())
                    .map(x -> ClusterState.valueOf(x.strip().toUpperCase(Locale.ROOT)));
            Optional<String> q = Optional.ofNullable(s.q()).filter(x -> !x.isBlank()).map(String::strip);
            for (int page = 0; ; page++) {
                ClusterPage p = fleetStore.clusters(new ClusterQuery(state, q, ClusterQuery.Sort.NAME, page, PAGE,
                        s.labels()), now);
                // The labels are checked here too: a store that does not filter by them must not widen a batch.
                p.items().stream().filter(r -> carries(r, s.labels())).forEach(r -> out.add(r.name()));
                if (out.size() > MAX_CLUSTERS) {
                    break;
                }
                if (p.items().size() < PAGE || (long) (page + 1) * PAGE >= p.total()) {
                    break;
                }
            }
        }
        if (out.isEmpty()) {
            throw ProblemException.badRequest("the selection matches no cluster");
        }
        if (out.size() > MAX_CLUSTERS) {
            throw ProblemException.badRequest("the selection matches more than " + MAX_CLUSTERS
                    + " clusters: narrow it (a batch holds at most " + MAX_CLUSTERS + ")");
        }
        return List.copyOf(out);
    }

    /** Whether the row's labels hold each of {@code wanted} (a key whose nodes differ lists each value, by commas). */
    static boolean carries(ClusterRow row, Map<String, String> wanted) {
        for (Map.Entry<String, String> w : wanted.entrySet()) {
            if (!ReportValidator.clusterLabelHas(row.labels().get(w.getKey()), w.getValue())) {
                return false;
            }
        }
        return true;
    }

    public Optional<Batch> get(String id) {
        return store().get(id);
    }

    public List<Batch> list(String state, String before, int limit) {
        return store().list(state, before, limit);
    }

    /** RUNNING → PAUSED: no new starts; what runs goes on. */
    public Batch pause(String id, String by) {
        return transition(id, Set.of(Batch.RUNNING), Batch.PAUSED, "paused", null, by);
    }

    public Batch resume(String id, String by) {
        return transition(id, Set.of(Batch.PAUSED), Batch.RUNNING, "resumed", null, by);
    }

    /** RUNNING or PAUSED → CANCELLED: the clusters not started are cancelled; running actions finish. */
    public Batch cancel(String id, String by) {
        return transition(id, Set.of(Batch.RUNNING, Batch.PAUSED), Batch.CANCELLED, "cancelled",
                "not started: the batch was cancelled by " + by, by);
    }

    private Batch transition(String id, Set<String> from, String to, String verb, String detail, String by) {
        Optional<String> was = write(() -> store().transition(id, from, to, detail, clock.instant()));
        if (was.isEmpty()) {
            throw ProblemException.notFound("no batch " + id);
        }
        Batch now = store().get(id).orElseThrow(() -> ProblemException.notFound("no batch " + id));
        if (!from.contains(was.get())) {
            throw new ProblemException(409, "batch-state", "Conflict", "batch " + id + " is " + was.get()
                    + ": it cannot be " + verb);
        }
        LOG.infof("batch %s %s by %s", id, verb, by);
        return now;
    }

    private BatchStore store() {
        BatchStore s = store;
        if (s == null) {
            throw new IllegalStateException("the fleet view is not started (hulftark.role is not fleet)");
        }
        return s;
    }

    /** A write while the store cannot take one is refused at once with the same 503 as the rest of the fleet view. */
    private <T> T write(Supplier<T> work) {
        Optional<StoreAvailability> availability = fleet.availability();
        availability.flatMap(a -> a.refusal("batch")).ifPresent(e -> {
            throw e;
        });
        try {
            return work.get();
        } catch (FleetStoreException e) {
            e.fault().ifPresent(f -> availability.ifPresent(a -> a.failed(f)));
            throw e;
        }
    }
}
