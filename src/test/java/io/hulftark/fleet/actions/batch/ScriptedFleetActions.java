package io.hulftark.fleet.actions.batch;

import io.hulftark.fleet.actions.ActionRefused;
import io.hulftark.fleet.actions.ActionSpec;
import io.hulftark.fleet.actions.FleetAction;
import io.hulftark.fleet.actions.FleetActions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fleet actions for the batches' tests: each action runs until the test ends it ({@link #finish}), or at once when
 * the cluster is scripted to end on its own ({@link #endsAtOnce}); a cluster may be scripted to be refused. It
 * records every start and the most actions ever running at once. A bean only where a test profile enables it
 * ({@link BatchProfile}): the other tests keep the product's fleet actions.
 */
@Alternative
@ApplicationScoped
public class ScriptedFleetActions implements FleetActions {

    private final Map<String, FleetAction> byId = new ConcurrentHashMap<>();
    private final Map<String, String> latestOf = new ConcurrentHashMap<>();
    private final Map<String, ActionRefused> refusals = new ConcurrentHashMap<>();
    private final Map<String, String> atOnce = new ConcurrentHashMap<>();
    private final List<String> started = java.util.Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger ids = new AtomicInteger();
    private volatile int maxRunning;

    /** The next start on {@code cluster} is refused with this problem. */
    public void refuse(String cluster, int status, String kind, String detail) {
        refusals.put(cluster, new ActionRefused(status, kind, detail));
    }

    /** Actions on {@code cluster} end in {@code state} as soon as they start. */
    public void endsAtOnce(String cluster, String state) {
        atOnce.put(cluster, state);
    }

    /** Ends the running action of {@code cluster}. */
    public synchronized void finish(String cluster, String state) {
        FleetAction a = byId.get(latestOf.get(cluster));
        if (a == null || a.finished()) {
            throw new AssertionError("no running action on " + cluster);
        }
        byId.put(a.id(), with(a, state));
    }

    public List<String> started() {
        synchronized (started) {
            return List.copyOf(started);
        }
    }

    public int maxRunning() {
        return maxRunning;
    }

    public synchronized int running() {
        return (int) byId.values().stream().filter(a -> !a.finished()).count();
    }

    /** Clusters whose action runs now. */
    public synchronized List<String> runningClusters() {
        return byId.values().stream().filter(a -> !a.finished()).map(FleetAction::cluster).sorted().toList();
    }

    public Optional<FleetAction> latest(String cluster) {
        return Optional.ofNullable(latestOf.get(cluster)).map(byId::get);
    }

    @Override
    public synchronized FleetAction start(String cluster, ActionSpec spec, String requestedBy, String batch) {
        ActionRefused refusal = refusals.remove(cluster);
        if (refusal != null) {
            throw refusal;
        }
        FleetAction a = new FleetAction("act-" + ids.incrementAndGet(), cluster, spec.action(), spec.node(), spec.tag(),
                spec.force(), spec.reason(), requestedBy, Instant.now(), "RUNNING", null, null, null, batch, List.of());
        String end = atOnce.get(cluster);
        if (end != null) {
            a = with(a, end);
        }
        byId.put(a.id(), a);
        latestOf.put(cluster, a.id());
        started.add(cluster);
        maxRunning = Math.max(maxRunning, running());
        return a;
    }

    @Override
    public Optional<FleetAction> get(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    private static FleetAction with(FleetAction a, String state) {
        return new FleetAction(a.id(), a.cluster(), a.action(), a.node(), a.tag(), a.force(), a.reason(),
                a.requestedBy(), a.requestedAt(), state, Instant.now(), 1L,
                a.action() + " on " + a.cluster() + ": " + state, a.batch(), List.of());
    }
}
