package io.hulftark.fleet.state;

import io.hulftark.wire.Status;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Derives one cluster's state from its nodes' latest reports. Plain Java with no clock of its own: the caller
 * passes {@code now}, so the same inputs always give the same answer.
 *
 * <p>The rules, applied in this order; the first that matches decides the state:
 * <ol>
 *   <li>No node has a fresh report → {@code STALE}.</li>
 *   <li>A tag is RUNNING on more than one node → {@code SPLIT}; the reason names the tag and the nodes.</li>
 *   <li>A tag is RUNNING on no node → {@code DOWN}; the reason lists what each node says of that tag.</li>
 *   <li>Every tag is RUNNING on exactly one node and there is no problem (below) → {@code OK}.</li>
 *   <li>Otherwise → {@code DEGRADED}; the reason lists every problem.</li>
 * </ol>
 * A <em>problem</em> is any of: an expected node that never reported; an expected node whose report is not
 * fresh ("silent"); a node that reports fresh but is not expected; a node that does not serve a tag and
 * reports it other than STOPPED (FAILED, UNKNOWN) or not at all; flapping; and, unless the site made them warn only
 * ({@code configDegrades} false, hulftark.fleet.readiness.effect=warn), each <em>configuration finding</em> (below).
 * Warn only, the findings are {@link Derived#warnings()}: shown, never a problem, never a change of state.
 *
 * <p>What the words mean:
 * <ul>
 *   <li><b>Fresh</b>: received at most {@code freshFor} before now. A report from the future (clocks of
 *       several fleet-view instances differ a little) is fresh.</li>
 *   <li><b>Only fresh reports count</b> for rules 3 to 5: a silent node's last word is old news. When an
 *       active node dies and its standby takes over, the dead node's last report still says RUNNING; counting
 *       it would turn every such failover into a SPLIT.</li>
 *   <li><b>Serves</b>: a node serves a tag when its fresh report has that tag RUNNING. RUNNING means the
 *       service runs and every port answers, so a serving node's checks all pass by definition. FAILED and
 *       UNKNOWN do not serve, whatever the role: the fleet view only calls HULFT served when it sees it.</li>
 *   <li><b>Several resources (tags)</b>: each tag is a HULFT service of its own, checked on its own. Two
 *       tags active on two different nodes is a normal active/active cluster, not a SPLIT; one tag served
 *       while another is served nowhere is DOWN, because a service is down.</li>
 *   <li><b>Standing by</b> is STOPPED, whatever the role: the agent already reports a resource that LifeKeeper
 *       expects on its node but that does not run as FAILED.</li>
 *   <li><b>Flapping</b>: more than {@code flapChanges} serving changes within the last {@code flapWindow}.
 *       It is reported in {@link Derived#flapping()} whatever the state, and turns OK into DEGRADED.</li>
 *   <li>A node outside the expected list that is silent is ignored, so a decommissioned node's last
 *       report does not keep a cluster DEGRADED for ever.</li>
 *   <li><b>Configuration findings</b> (issue 13), readiness first, then drift:
 *       <ul>
 *         <li>each failing row of a fresh node's last preflight ({@link NodeReport#readiness()}): "failover to n2
 *             would fail: CHECK: DETAIL" when the node does not serve the row's tag (a standby that could not take
 *             over), "n1: preflight CHECK failed: DETAIL" when it does. With several tags the line names the tag
 *             ("failover of hulft2 to n2 would fail: ..."). A silent node's last preflight is not judged: its
 *             silence already is the problem, and its rows are old news.</li>
 *         <li>each drift line, as given ({@link Drift#lines}).</li>
 *       </ul>
 *       In every state they join the problems like any other; only OK turns DEGRADED because of them.</li>
 * </ul>
 * Neither acknowledgements nor maintenance windows change the state: a window that covers now is reported in
 * {@link Derived#maintenance()} beside the real state ("DOWN · in maintenance until 22:00"), so a downtime never
 * hides what the cluster is doing. {@link ClusterState#MAINTENANCE} is never derived.
 */
public final class ClusterStateDeriver {

    /**
     * @param reason   one line: why this state
     * @param problems    every finding that keeps the cluster from OK, one line each, whatever the state (so a
     *                    SPLIT cluster still shows its silent standby); empty when OK
     * @param maintenance the window occurrence that covers now (the one ending last), or null
     * @param warnings    drift and readiness findings when the site made them warn only
     *                    (hulftark.fleet.readiness.effect=warn): shown, never a problem; empty otherwise
     */
    public record Derived(ClusterState state, String reason, List<String> problems, boolean flapping,
                          Maintenance.Occurrence maintenance, List<String> warnings) {
        public Derived {
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(reason, "reason");
            problems = List.copyOf(problems);
            warnings = warnings == null ? List.of() : List.copyOf(warnings);
            if (state == ClusterState.MAINTENANCE) {
                throw new IllegalArgumentException("MAINTENANCE is a marker, never a derived state");
            }
        }

        public Derived(ClusterState state, String reason, List<String> problems, boolean flapping) {
            this(state, reason, problems, flapping, null, List.of());
        }

        public Derived(ClusterState state, String reason, List<String> problems, boolean flapping,
                       Maintenance.Occurrence maintenance) {
            this(state, reason, problems, flapping, maintenance, List.of());
        }

        public boolean inMaintenance() {
            return maintenance != null;
        }
    }

    private final Duration freshFor;
    private final Duration flapWindow;
    private final int flapChanges;

    private final boolean configDegrades;

    public ClusterStateDeriver(Duration freshFor, Duration flapWindow, int flapChanges) {
        this(freshFor, flapWindow, flapChanges, true);
    }

    /**
     * @param configDegrades drift and readiness findings are problems (an otherwise OK cluster is DEGRADED); false:
     *                       they are only {@link Derived#warnings()} (hulftark.fleet.readiness.effect=warn)
     */
    public ClusterStateDeriver(Duration freshFor, Duration flapWindow, int flapChanges, boolean configDegrades) {
        this.configDegrades = configDegrades;
        if (freshFor.isNegative() || freshFor.isZero() || flapWindow.isNegative() || flapWindow.isZero()
                || flapChanges < 0) {
            throw new IllegalArgumentException("freshFor and flapWindow must be positive and flapChanges not negative");
        }
        this.freshFor = freshFor;
        this.flapWindow = flapWindow;
        this.flapChanges = flapChanges;
    }

    /** As {@link #derive(String, List, List, List, List, List, Instant)} with no drift. */
    public Derived derive(String cluster, List<String> expectedNodes, List<NodeReport> latest,
                          List<Maintenance> windows, List<Instant> recentServingChanges, Instant now) {
        return derive(cluster, expectedNodes, latest, windows, recentServingChanges, List.of(), now);
    }

    /**
     * @param latest               the latest report of each node, at most one per node
     * @param recentServingChanges when the set of serving nodes changed; older ones than the flap window may be
     *                             passed and are not counted
     * @param drift                the cluster's drift, one line each ({@link DriftItem#line()}), as found when
     *                             facts last arrived
     */
    public Derived derive(String cluster, List<String> expectedNodes, List<NodeReport> latest,
                          List<Maintenance> windows, List<Instant> recentServingChanges, List<String> drift,
                          Instant now) {
        Set<String> expected = new LinkedHashSet<>(expectedNodes);
        Map<String, NodeReport> reports = byNode(cluster, latest);
        List<String> nodes = Stream.concat(expected.stream(),
                reports.keySet().stream().filter(n -> !expected.contains(n)).sorted()).toList();
        Map<String, NodeReport> fresh = new LinkedHashMap<>();
        nodes.stream().filter(n -> reports.containsKey(n) && isFresh(reports.get(n), now))
                .forEach(n -> fresh.put(n, reports.get(n)));

        List<String> split = new ArrayList<>();
        List<String> down = new ArrayList<>();
        List<String> served = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (String node : nodes) {
            NodeReport report = reports.get(node);
            if (report == null) {
                problems.add(node + " never reported");
            } else if (!fresh.containsKey(node) && expected.contains(node)) {
                problems.add(silent(report));
            } else if (fresh.containsKey(node) && !expected.contains(node)) {
                problems.add(node + " reports but is not an expected node of the cluster");
            }
        }
        for (String tag : tags(fresh)) {
            List<String> serving = fresh.keySet().stream()
                    .filter(n -> resource(fresh.get(n), tag).map(r -> r.status() == Status.RUNNING).orElse(false))
                    .toList();
            if (serving.size() > 1) {
                split.add(tag + " runs on " + String.join(" and ", serving));
            } else if (serving.isEmpty()) {
                down.add("no node serves " + tag + ": " + nodes.stream()
                        .map(n -> whatNodeSays(n, tag, reports.get(n), fresh.containsKey(n), expected.contains(n)))
                        .flatMap(Optional::stream).collect(Collectors.joining(", ")));
            } else {
                served.add(serving.get(0) + " serves " + tag);
                for (String node : fresh.keySet()) {
                    if (!node.equals(serving.get(0))) {
                        notStandingBy(node, tag, fresh.get(node)).ifPresent(problems::add);
                    }
                }
            }
        }
        if (!fresh.isEmpty() && served.isEmpty() && split.isEmpty() && down.isEmpty()) {
            down.add("no node reports a resource: " + String.join(", ", fresh.keySet()));
        }
        long changes = countChanges(recentServingChanges, now);
        boolean flapping = changes > flapChanges;
        if (flapping) {
            problems.add("flapping: " + changes + " serving changes in the last "
                    + human(flapWindow) + " (more than " + flapChanges + ")");
        }
        List<String> findings = new ArrayList<>(readiness(fresh, tags(fresh).size() > 1));
        findings.addAll(drift);
        List<String> warnings = List.of();
        if (configDegrades) {
            problems.addAll(findings);
        } else {
            warnings = findings;
        }
        List<String> all = Stream.of(split, down, problems).flatMap(List::stream).toList();

        // The rules of the class comment, in its order.
        Maintenance.Occurrence window = windows.stream().flatMap(w -> w.currentOrNext(now).stream())
                .filter(o -> o.covers(now)).max(Comparator.comparing(Maintenance.Occurrence::until)).orElse(null);
        if (fresh.isEmpty()) {
            return new Derived(ClusterState.STALE, "no node has reported in the last " + human(freshFor), all,
                    flapping, window, warnings);
        }
        if (!split.isEmpty()) {
            return new Derived(ClusterState.SPLIT, String.join("; ", split), all, flapping, window, warnings);
        }
        if (!down.isEmpty()) {
            return new Derived(ClusterState.DOWN, String.join("; ", down), all, flapping, window, warnings);
        }
        if (problems.isEmpty()) {
            return new Derived(ClusterState.OK, String.join("; ", served) + "; every other node stands by", all,
                    flapping, window, warnings);
        }
        return new Derived(ClusterState.DEGRADED, String.join("; ", problems), all, flapping, window, warnings);
    }

    /**
     * Each fresh node's failing preflight rows: a node that serves the row's tag has a preflight problem of its own;
     * any other could not take the tag over. A silent node's last preflight is not judged: its silence is the problem.
     */
    private static List<String> readiness(Map<String, NodeReport> fresh, boolean severalTags) {
        List<String> lines = new ArrayList<>();
        fresh.forEach((node, report) -> {
            for (ReadinessFailure f : report.readiness()) {
                String detail = f.detail().isBlank() ? "" : ": " + f.detail();
                boolean serves = resource(report, f.tag()).map(r -> r.status() == Status.RUNNING).orElse(false);
                lines.add(serves ? node + ": preflight " + (severalTags ? f.tag() + " " : "") + f.check()
                        + " failed" + detail
                        : "failover " + (severalTags ? "of " + f.tag() + " " : "") + "to " + node
                                + " would fail: " + f.check() + detail);
            }
        });
        return lines;
    }

    private static Map<String, NodeReport> byNode(String cluster, List<NodeReport> latest) {
        Map<String, NodeReport> byNode = new LinkedHashMap<>();
        for (NodeReport r : latest) {
            // Picking one silently would hide an ingest bug; "latest" is one report per node by contract.
            if (byNode.put(r.node(), r) != null) {
                throw new IllegalArgumentException("cluster " + cluster + ": two latest reports for node " + r.node());
            }
        }
        return byNode;
    }

    private boolean isFresh(NodeReport report, Instant now) {
        return !report.receivedAt().isBefore(now.minus(freshFor));
    }

    private long countChanges(List<Instant> changes, Instant now) {
        Instant start = now.minus(flapWindow);
        return changes.stream().filter(t -> !t.isBefore(start)).count();
    }

    /** Every tag a fresh node reports, in the order first seen. */
    private static Set<String> tags(Map<String, NodeReport> fresh) {
        return fresh.values().stream().flatMap(r -> r.resources().stream()).map(ResourceReport::tag)
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    private static Optional<ResourceReport> resource(NodeReport report, String tag) {
        return report.resources().stream().filter(r -> r.tag().equals(tag)).findFirst();
    }

    private static Optional<String> notStandingBy(String node, String tag, NodeReport report) {
        Optional<ResourceReport> r = resource(report, tag);
        if (r.isEmpty()) {
            return Optional.of(node + " does not report " + tag);
        }
        return r.get().status() == Status.STOPPED ? Optional.empty()
                : Optional.of(node + " " + tag + " " + r.get().describe());
    }

    /** One node's entry in a DOWN reason; a silent node outside the expected list is left out. */
    private static Optional<String> whatNodeSays(String node, String tag, NodeReport report, boolean fresh,
                                                 boolean expected) {
        if (report == null) {
            return Optional.of(node + " never reported");
        }
        if (!fresh) {
            return expected ? Optional.of(silent(report)) : Optional.empty();
        }
        return Optional.of(resource(report, tag).map(r -> node + " " + r.describe())
                .orElse(node + " does not report " + tag));
    }

    /** "n2 silent since 2025-01-01T00:00:00Z (last report: HULFT RUNNING)": the last word helps after a failover. */
    private static String silent(NodeReport report) {
        String last = report.resources().isEmpty() ? "no resource" : report.resources().stream()
                .map(r -> r.tag() + " " + r.status()).collect(Collectors.joining(", "));
        return report.node() + " silent since " + report.receivedAt() + " (last report: " + last + ")";
    }

    /** PT30S → 30s, PT1H30M → 1h30m. */
    private static String human(Duration d) {
        return d.toString().substring(2).toLowerCase(Locale.ROOT);
    }
}
