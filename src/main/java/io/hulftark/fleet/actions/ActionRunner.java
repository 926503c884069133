package io.hulftark.fleet.actions;

import io.hulftark.fleet.store.FleetStoreException;
import io.hulftark.fleet.state.ClusterState;
import io.hulftark.fleet.store.JdbcActionStore;
import io.hulftark.fleet.view.ClusterDetail;
import io.hulftark.fleet.view.FleetNode;
import io.hulftark.wire.ActionOrder;
import io.hulftark.wire.ActionOutcome;
import io.hulftark.wire.Report;
import io.hulftark.wire.WireText;
import org.jboss.logging.Logger;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Fleet actions without the framework: checks a request against what the cluster's agents report, plans its steps,
 * and moves them on from the store's state alone — when an agent's report shows a step's outcome
 * ({@link #onReport}) and on a tick for time-outs and a switchover's final check ({@link #tick}). Nothing lives only
 * in memory: a new instance on the same database (a restart, a second fleet view) carries on where this one was,
 * and the store's conditional updates let exactly one of them make each move.
 */
public final class ActionRunner implements FleetActions {

    /** How long the fleet view waits for each part of an action (hulftark.fleet.actions.*). */
    public record Bounds(Duration delivery, Duration run, Duration settle) {
    }

    static final Set<String> ACTIONS = Set.of("restore", "remove", "recover", "quickCheck", "switchover");
    private static final Set<String> FAILED = Set.of("FAILED", "REFUSED", "TIMED_OUT", "INTERRUPTED");
    private static final Set<String> ENDED = Set.of("SUCCEEDED", "FAILED", "REFUSED", "TIMED_OUT", "INTERRUPTED",
            "SKIPPED");
    private static final Set<String> OUTCOMES = Set.of("QUEUED", "RUNNING", "SUCCEEDED", "FAILED", "INTERRUPTED",
            "REFUSED");
    private static final Logger LOG = Logger.getLogger(ActionRunner.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcActionStore store;
    private final Function<String, Optional<ClusterDetail>> clusters;
    private final Bounds bounds;
    private final Clock clock;
    private final Consumer<OrderPlaced> placed;
    private final Function<OrderBook.NodeKey, Optional<String>> cannotDeliver;

    /**
     * @param clusters a cluster's detail now (nodes with their resources, fleetActions and actionsVia)
     * @param placed   told of every order placed, so that delivery wakes the node's connection at once
     */
    public ActionRunner(JdbcActionStore store, Function<String, Optional<ClusterDetail>> clusters, Bounds bounds,
                        Clock clock, Consumer<OrderPlaced> placed) {
        this(store, clusters, bounds, clock, placed, node -> Optional.empty());
    }

    /**
     * @param cannotDeliver why orders cannot reach a node's agent (a polled agent without an action token), or empty
     */
    public ActionRunner(JdbcActionStore store, Function<String, Optional<ClusterDetail>> clusters, Bounds bounds,
                        Clock clock, Consumer<OrderPlaced> placed,
                        Function<OrderBook.NodeKey, Optional<String>> cannotDeliver) {
        this.store = store;
        this.clusters = clusters;
        this.bounds = bounds;
        this.clock = clock;
        this.placed = placed;
        this.cannotDeliver = cannotDeliver;
    }

    public OrderBook orders() {
        return store;
    }

    // ---------------------------------------------------------------- start

    @Override
    public FleetAction start(String cluster, ActionSpec spec, String requestedBy, String batch) {
        check(spec);
        ClusterDetail detail = clusters.apply(cluster).orElseThrow(() -> new ActionRefused(404, "not-found",
                "no cluster named '" + cut(cluster) + "'"));
        Map<String, FleetNode> nodes = new LinkedHashMap<>();
        for (FleetNode n : detail.nodes()) {
            if (detail.cluster().nodes().contains(n.node())) { // forgotten nodes are not acted on
                nodes.put(n.node(), n);
            }
        }
        Set<String> allTags = new TreeSet<>();
        nodes.values().forEach(n -> n.resources().forEach(r -> allTags.add(r.tag())));
        if (spec.node() != null && !nodes.containsKey(spec.node())) {
            throw new ActionRefused(404, "not-found", "cluster " + cluster + " has no node '" + spec.node() + "'");
        }
        if (spec.tag() != null && !allTags.contains(spec.tag())) {
            throw new ActionRefused(404, "not-found", "cluster " + cluster + " has no resource '" + spec.tag() + "'");
        }
        List<String> tags = spec.tag() == null ? List.copyOf(allTags) : List.of(spec.tag());
        if (tags.isEmpty()) {
            throw new ActionRefused(409, "conflict", "cluster " + cluster + " reports no resource to act on");
        }
        Map<String, List<String>> serving = serving(detail);
        List<JdbcActionStore.NewStep> steps = new ArrayList<>();
        String eventNode;
        if ("switchover".equals(spec.action())) {
            String target = spec.node() != null ? spec.node() : onlyStandby(cluster, nodes.keySet(), serving, tags);
            eventNode = target;
            boolean lifekeeper = "lifekeeper".equals(nodes.get(target).actionsVia());
            for (String tag : tags) {
                List<String> sources = serving.getOrDefault(tag, List.of()).stream().filter(n -> !n.equals(target))
                        .toList();
                if (sources.isEmpty() && serving.getOrDefault(tag, List.of()).contains(target)) {
                    continue; // already there
                }
                if (!lifekeeper) { // LifeKeeper's in-service request on the target takes it out of service elsewhere
                    sources.forEach(s -> steps.add(new JdbcActionStore.NewStep(s, tag, "remove", false)));
                }
                steps.add(new JdbcActionStore.NewStep(target, tag, "restore", false));
            }
            if (steps.isEmpty()) {
                throw new ActionRefused(409, "conflict", "HULFT already runs on " + target + " in cluster " + cluster);
            }
        } else {
            List<String> on;
            if (spec.node() != null) {
                on = List.of(spec.node());
            } else if ("quickCheck".equals(spec.action())) {
                on = List.copyOf(nodes.keySet());
            } else {
                throw new ActionRefused(400, "bad-request", "node is missing: " + spec.action() + " runs on one node");
            }
            eventNode = on.get(0);
            for (String node : on) {
                for (String tag : tags) {
                    if ("remove".equals(spec.action()) && !spec.force()) {
                        List<String> s = serving.getOrDefault(tag, List.of());
                        if (s.equals(List.of(node))) {
                            throw new ActionRefused(409, "needs-force", "remove of " + tag + " on " + node
                                    + " would leave cluster " + cluster + " with no node serving it; send force: true "
                                    + "to remove it all the same");
                        }
                    }
                    steps.add(new JdbcActionStore.NewStep(node, tag, spec.action(), false));
                }
            }
        }
        for (String node : new LinkedHashSet<>(steps.stream().map(JdbcActionStore.NewStep::node).toList())) {
            if (!nodes.get(node).fleetActions()) {
                throw new ActionRefused(409, "actions-not-allowed", node + "'s agent does not run actions of the "
                        + "fleet view (hulftark.agent.fleet-actions.enabled is not true there)");
            }
            Optional<String> why = cannotDeliver.apply(new OrderBook.NodeKey(cluster, node));
            if (why.isPresent()) {
                throw new ActionRefused(409, "actions-not-allowed", why.get());
            }
        }
        // The first step is offered at once; each later one when the one before it succeeded.
        steps.set(0, new JdbcActionStore.NewStep(steps.get(0).node(), steps.get(0).tag(), steps.get(0).action(), true));
        Instant now = clock.instant();
        String id = "fa-" + HexFormat.of().formatHex(bytes(10));
        FleetAction a = new FleetAction(id, cluster, spec.action(), spec.node(), spec.tag(), spec.force(),
                blankToNull(spec.reason()), requestedBy, now, JdbcActionStore.RUNNING, null, null, null, batch, null);
        Optional<String> running = store.insert(a, steps, eventNode, describe(a, eventNode) + ": started");
        if (running.isPresent()) {
            throw new ActionRefused(409, "action-running", "cluster " + cluster + " runs action " + running.get()
                    + " (one action per cluster at a time)");
        }
        placed.accept(new OrderPlaced(cluster, steps.get(0).node()));
        return store.get(id).map(JdbcActionStore.Kept::action).orElseThrow();
    }

    private static void check(ActionSpec spec) {
        String p = null;
        if (spec.action() == null || !ACTIONS.contains(spec.action())) {
            p = "action must be one of restore, remove, recover, quickCheck, switchover";
        } else if (spec.node() != null) {
            p = WireText.idProblem("node", spec.node());
        }
        if (p == null && spec.tag() != null) {
            p = WireText.nameProblem("tag", spec.tag(), 64, true);
        }
        if (p == null) {
            p = WireText.freeTextProblem("reason", spec.reason(), ActionOrder.MAX_REASON, false);
        }
        if (p != null) {
            throw new ActionRefused(400, "bad-request", p);
        }
    }

    private static String onlyStandby(String cluster, Set<String> nodes, Map<String, List<String>> serving,
                                      List<String> tags) {
        Set<String> servingNodes = new TreeSet<>();
        tags.forEach(t -> servingNodes.addAll(serving.getOrDefault(t, List.of())));
        List<String> standby = nodes.stream().filter(n -> !servingNodes.contains(n)).toList();
        if (standby.size() != 1) {
            throw new ActionRefused(400, "bad-request", "node is missing and cluster " + cluster + " has "
                    + standby.size() + " standby nodes " + standby + ": name the node to switch over to");
        }
        return standby.get(0);
    }

    /** Tag to the nodes serving it now, from the cluster row's TAG@NODE list. */
    private static Map<String, List<String>> serving(ClusterDetail detail) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String s : detail.cluster().serving()) {
            int at = s.lastIndexOf('@');
            if (at > 0) {
                out.computeIfAbsent(s.substring(0, at), k -> new ArrayList<>()).add(s.substring(at + 1));
            }
        }
        return out;
    }

    @Override
    public Optional<FleetAction> get(String id) {
        return store.get(id).map(JdbcActionStore.Kept::action);
    }

    public List<FleetAction> search(JdbcActionStore.Query query) {
        return store.search(query);
    }

    // ---------------------------------------------------------------- progress

    /**
     * An agent's report, kept: each action event whose id is a step of ours (and whose report comes from that
     * step's node) moves the step on; the first one marks it taken, so it is offered no more.
     */
    public void onReport(Report report) {
        Map<String, ActionOutcome> outcomes = new LinkedHashMap<>();
        List<ActionOutcome> inOrder = new ArrayList<>();
        for (Report.Event e : report.events()) {
            if (e.action() != null && e.action().id() != null && OUTCOMES.contains(e.action().state())) {
                outcomes.put(e.action().id(), e.action());
                inOrder.add(e.action());
            }
        }
        if (outcomes.isEmpty()) {
            return;
        }
        Map<String, JdbcActionStore.StepRef> refs = new LinkedHashMap<>();
        for (JdbcActionStore.StepRef r : store.steps(outcomes.keySet())) {
            if (r.cluster().equals(report.cluster()) && r.node().equals(report.node())) {
                refs.put(r.id(), r);
            }
        }
        Instant now = clock.instant();
        Set<String> touched = new LinkedHashSet<>();
        Map<String, String> state = new LinkedHashMap<>();
        refs.values().forEach(r -> state.put(r.id(), r.state()));
        for (ActionOutcome o : inOrder) { // in the agent's order: QUEUED, RUNNING, then the end
            String from = state.get(o.id());
            if (from == null || ENDED.contains(from) || from.equals(o.state()) && !ENDED.contains(o.state())) {
                continue;
            }
            if (store.outcome(o.id(), from, o, now)) {
                state.put(o.id(), o.state());
                touched.add(refs.get(o.id()).actionId());
            }
        }
        touched.forEach(id -> store.get(id).ifPresent(this::advance));
    }

    /** Time-outs and the switchovers' final check, for every running action whichever instance started it. */
    public void tick() {
        for (JdbcActionStore.Kept k : store.running()) {
            try {
                advance(k);
            } catch (FleetStoreException e) {
                if (e.fault().isPresent()) {
                    throw e; // the store's, not this action's: the caller marks the store unavailable
                }
                LOG.warnf(e, "fleet action %s: %s", k.action().id(), e.getMessage());
            } catch (RuntimeException e) {
                LOG.warnf(e, "fleet action %s: %s", k.action().id(), e.getMessage());
            }
        }
    }

    /** Makes every move the kept state allows now, reading it again after each. */
    void advance(JdbcActionStore.Kept kept) {
        JdbcActionStore.Kept k = kept;
        for (int i = 0; i < 20 && k != null && JdbcActionStore.RUNNING.equals(k.action().state()); i++) {
            if (!step(k)) {
                return;
            }
            k = store.get(k.action().id()).orElse(null);
        }
    }

    /** One move; false when there is nothing to do now. */
    private boolean step(JdbcActionStore.Kept k) {
        FleetAction a = k.action();
        Instant now = clock.instant();
        for (FleetActionStep s : a.steps()) { // time-outs first: they end steps
            Instant placedAt = k.placedAt().get(s.id());
            Instant takenAt = k.takenAt().get(s.id());
            if ("PENDING".equals(s.state()) && placedAt != null && takenAt == null
                    && placedAt.plus(bounds.delivery()).isBefore(now)) {
                store.timedOut(s.id(), "PENDING", s.node() + "'s agent did not take the action within "
                        + seconds(bounds.delivery()), now);
                return true;
            }
            if (("QUEUED".equals(s.state()) || "RUNNING".equals(s.state())) && takenAt != null
                    && takenAt.plus(bounds.run()).isBefore(now)) {
                store.timedOut(s.id(), s.state(), s.node() + "'s agent did not end the action within "
                        + seconds(bounds.run()), now);
                return true;
            }
        }
        String node = eventNode(a);
        Optional<FleetActionStep> undo = a.steps().stream().filter(FleetActionStep::rollback).findFirst();
        if (undo.isPresent()) {
            FleetActionStep u = undo.get();
            if (!ENDED.contains(u.state())) {
                return false;
            }
            FleetActionStep failed = a.steps().stream().filter(s -> !s.rollback() && FAILED.contains(s.state()))
                    .findFirst().orElse(u);
            String detail = failure(failed) + ("SUCCEEDED".equals(u.state()) ? "; HULFT restored on " + u.node()
                    : "; restoring HULFT on " + u.node() + " failed too (" + failure(u) + ")");
            return finish(a, "FAILED", detail, now, node);
        }
        List<FleetActionStep> plan = a.steps().stream().filter(s -> !s.rollback()).toList();
        for (int i = 0; i < plan.size(); i++) {
            FleetActionStep s = plan.get(i);
            if (FAILED.contains(s.state())) {
                Optional<FleetActionStep> removed = "switchover".equals(a.action()) && "restore".equals(s.action())
                        ? plan.subList(0, i).stream().filter(p -> "remove".equals(p.action()) && p.tag().equals(s.tag())
                                && "SUCCEEDED".equals(p.state())).findFirst()
                        : Optional.empty();
                if (removed.isPresent()) { // put HULFT back where it was before saying the switchover failed
                    FleetActionStep r = removed.get();
                    if (store.addStep(a.id(), a.id() + "-r" + s.seq(), plan.size() + 1, a.cluster(), r.node(),
                            r.tag(), "restore", true, now)) {
                        placed.accept(new OrderPlaced(a.cluster(), r.node()));
                    }
                    return true;
                }
                return finish(a, "FAILED", failure(s), now, node);
            }
            if (!"SUCCEEDED".equals(s.state())) {
                if ("PENDING".equals(s.state()) && !k.placedAt().containsKey(s.id())) {
                    if (store.place(s.id(), now)) {
                        placed.accept(new OrderPlaced(a.cluster(), s.node()));
                    }
                    return true;
                }
                return false; // waits for its agent
            }
        }
        if (!"switchover".equals(a.action())) {
            return finish(a, "SUCCEEDED", succeeded(plan), now, node);
        }
        // Every step succeeded: the switchover ends when the reports show the cluster OK, served on the target.
        if (k.settlingAt() == null) {
            store.settling(a.id(), now);
            return true;
        }
        Set<String> tags = new TreeSet<>(plan.stream().map(FleetActionStep::tag).toList());
        Optional<ClusterDetail> d = clusters.apply(a.cluster());
        if (d.isPresent() && d.get().cluster().state() == ClusterState.OK
                && tags.stream().allMatch(t -> d.get().cluster().serving().contains(t + "@" + node))) {
            return finish(a, "SUCCEEDED", "HULFT serves on " + node + " and cluster " + a.cluster() + " is OK", now,
                    node);
        }
        if (k.settlingAt().plus(bounds.settle()).isBefore(now)) {
            String why = d.map(x -> x.cluster().state() + (x.cluster().reason() == null ? "" : " (" + x.cluster().reason()
                    + ")")).orElse("not known");
            return finish(a, "FAILED", "every step succeeded but cluster " + a.cluster() + " was not OK served on "
                    + node + " within " + seconds(bounds.settle()) + ": " + why, now, node);
        }
        return false;
    }

    private boolean finish(FleetAction a, String state, String detail, Instant now, String node) {
        String text = describe(a, node) + ": " + state + ("SUCCEEDED".equals(state) ? "" : " — " + detail);
        store.finish(a.id(), state, cutDetail(detail), now, a.cluster(), node, a.tag(), cutDetail(text));
        return false;
    }

    /** The node the action's history events name: the switchover's target, else its (first) node. */
    private static String eventNode(FleetAction a) {
        if ("switchover".equals(a.action())) {
            return a.steps().stream().filter(s -> "restore".equals(s.action()) && !s.rollback())
                    .map(FleetActionStep::node).findFirst().orElse(a.node());
        }
        return a.node() != null ? a.node() : a.steps().isEmpty() ? null : a.steps().get(0).node();
    }

    /** "switchover to node-b by alice (reason: patching)", "restore HULFT1 on node-b by alice". */
    static String describe(FleetAction a, String node) {
        String what = "switchover".equals(a.action()) ? "switchover to " + node
                : a.action() + (a.tag() == null ? "" : " " + a.tag()) + (a.node() == null ? " on every node"
                : " on " + a.node());
        return what + " by " + a.requestedBy() + (a.reason() == null ? "" : " (reason: " + a.reason() + ")");
    }

    /** "restore on node-b failed (exit 1: port 30000 does not answer)". */
    static String failure(FleetActionStep s) {
        String last = s.messages().isEmpty() ? null : s.messages().get(s.messages().size() - 1);
        return switch (s.state()) {
            case "TIMED_OUT" -> last == null ? s.action() + " on " + s.node() + " timed out" : last;
            case "REFUSED" -> s.node() + "'s agent refused " + s.action() + (last == null ? "" : ": " + last);
            case "INTERRUPTED" -> s.action() + " on " + s.node() + " was interrupted" + (last == null ? ""
                    : " (" + last + ")");
            default -> s.action() + " on " + s.node() + " failed (" + (s.exitCode() == null ? "no exit code"
                    : "exit " + s.exitCode()) + (last == null ? "" : ": " + last) + ")";
        };
    }

    private static String succeeded(List<FleetActionStep> plan) {
        if (plan.size() == 1) {
            FleetActionStep s = plan.get(0);
            return s.action() + " " + s.tag() + " on " + s.node() + " succeeded"
                    + (s.exitCode() == null ? "" : " (exit " + s.exitCode() + ")");
        }
        return "all " + plan.size() + " steps succeeded";
    }

    private static String seconds(Duration d) {
        long s = d.toSeconds();
        return s % 60 == 0 && s >= 120 ? (s / 60) + " min" : s + " s";
    }

    private static String cutDetail(String s) {
        return s.length() <= 1000 ? s : s.substring(0, 999) + WireText.CUT;
    }

    private static String cut(String s) {
        return s == null ? "" : s.length() > 64 ? s.substring(0, 64) + "..." : s;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    /** Ended actions older than this go, with their steps; never a running one. @return how many */
    public long prune(Instant before) {
        return store.prune(before);
    }
}
