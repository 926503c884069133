package io.hulftark.fleet.state;

import io.hulftark.wire.Status;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * One step of a cluster's life as the store keeps it: its stored record and its inputs in, the new record, the
 * derived state and when to look again out. Plain Java with no clock of its own, like {@link ClusterStateDeriver},
 * which decides the state; this class adds what must be remembered between two derivations (the serving
 * signature and its changes, for flapping) and when the answer can change with no new input.
 */
public final class ClusterEvaluator {

    /**
     * What the store keeps of a cluster between two evaluations.
     *
     * @param state          null for a cluster never evaluated
     * @param serving        the serving signature: sorted "TAG@NODE" of the resources fresh reports show RUNNING
     * @param servingChanges when the signature changed, oldest first, none older than the flap window
     */
    public record Record(ClusterState state, Instant since, List<String> serving, List<Instant> servingChanges) {
        public Record {
            serving = List.copyOf(serving);
            servingChanges = List.copyOf(servingChanges);
        }

        public static final Record NEW = new Record(null, null, List.of(), List.of());
    }

    /**
     * @param changed   the state differs from the stored one (always true for a new cluster)
     * @param recheckAt the earliest instant after now at which the answer can change with no new input, or null
     * @param window    the window occurrence that covers now (the one ending last), else the next to start, or
     *                  null: what the store keeps so that a read at any instant can tell "in maintenance until"
     */
    public record Evaluation(Record record, ClusterStateDeriver.Derived derived, boolean changed, Instant recheckAt,
                             Maintenance.Occurrence window) {
    }

    // The store keeps instants in microseconds; "just after" an instant is one microsecond later.
    private static final Duration TICK = Duration.ofNanos(1_000);

    private static final int MAX_CHANGES = 100;

    private final ClusterStateDeriver deriver;
    private final Duration freshFor;
    private final Duration flapWindow;

    public ClusterEvaluator(Duration freshFor, Duration flapWindow, int flapChanges) {
        this(freshFor, flapWindow, flapChanges, true);
    }

    /** @param configDegrades see {@link ClusterStateDeriver#ClusterStateDeriver(Duration, Duration, int, boolean)} */
    public ClusterEvaluator(Duration freshFor, Duration flapWindow, int flapChanges, boolean configDegrades) {
        this.deriver = new ClusterStateDeriver(freshFor, flapWindow, flapChanges, configDegrades);
        this.freshFor = freshFor;
        this.flapWindow = flapWindow;
    }

    /**
     * @param latest       the latest report of every node the cluster knows (not forgotten): these are the
     *                     expected nodes
     * @param windows      the cluster's maintenance windows (past ones are ignored); they never change the state
     * @param ackUntils    when the cluster's acknowledgements expire (only for recheckAt: the store ends them then)
     */
    public Evaluation evaluate(String cluster, Record stored, List<NodeReport> latest, List<Maintenance> windows,
                               List<Instant> ackUntils, Instant now) {
        return evaluate(cluster, stored, latest, windows, ackUntils, List.of(), now);
    }

    /**
     * @param drift the cluster's drift lines as found when facts last arrived ({@link Drift#find}, {@link Drift#lines})
     */
    public Evaluation evaluate(String cluster, Record stored, List<NodeReport> latest, List<Maintenance> windows,
                               List<Instant> ackUntils, List<String> drift, Instant now) {
        Objects.requireNonNull(stored, "stored");
        List<NodeReport> reports = latest.stream().sorted(Comparator.comparing(NodeReport::node)).toList();
        List<String> expected = reports.stream().map(NodeReport::node).toList();
        List<String> serving = serving(reports, now);

        Instant windowStart = now.minus(flapWindow);
        List<Instant> changes = new ArrayList<>(stored.servingChanges().stream()
                .filter(t -> !t.isBefore(windowStart)).toList());
        // The first signature of a new cluster is where it starts, not a change.
        if (stored.state() != null && !serving.equals(stored.serving())) {
            changes.add(now);
        }
        // Only the count matters beyond a few; a bound keeps a wildly flapping cluster's row small.
        if (changes.size() > MAX_CHANGES) {
            changes = new ArrayList<>(changes.subList(changes.size() - MAX_CHANGES, changes.size()));
        }
        ClusterStateDeriver.Derived derived = deriver.derive(cluster, expected, reports, windows, changes, drift, now);
        boolean changed = derived.state() != stored.state();
        Record record = new Record(derived.state(), changed ? now : stored.since(), serving, changes);
        List<Maintenance.Occurrence> occurrences = windows.stream().flatMap(w -> w.currentOrNext(now).stream())
                .toList();
        Maintenance.Occurrence window = derived.maintenance() != null ? derived.maintenance()
                : occurrences.stream().min(Comparator.comparing(Maintenance.Occurrence::from)).orElse(null);
        return new Evaluation(record, derived, changed, recheckAt(reports, occurrences, changes, ackUntils, now),
                window);
    }

    /** The sorted "TAG@NODE" of every resource a fresh report shows RUNNING. */
    public List<String> serving(List<NodeReport> reports, Instant now) {
        TreeSet<String> serving = new TreeSet<>();
        for (NodeReport r : reports) {
            if (isFresh(r, now)) {
                r.resources().stream().filter(res -> res.status() == Status.RUNNING)
                        .forEach(res -> serving.add(res.tag() + "@" + r.node()));
            }
        }
        return List.copyOf(serving);
    }

    private boolean isFresh(NodeReport report, Instant now) {
        return !report.receivedAt().isBefore(now.minus(freshFor));
    }

    private Instant recheckAt(List<NodeReport> reports, List<Maintenance.Occurrence> windows, List<Instant> changes,
                              List<Instant> ackUntils, Instant now) {
        // Each candidate is the first instant at which a rule of the deriver reads its input differently.
        Stream<Instant> staleAt = reports.stream().filter(r -> isFresh(r, now))
                .map(r -> r.receivedAt().plus(freshFor).plus(TICK));
        // A recurring window's next occurrence is known at the end of the current one: each edge wakes the cluster.
        Stream<Instant> windowEdges = windows.stream().flatMap(w -> Stream.of(w.from(), w.until()));
        Stream<Instant> flapAgesOut = changes.stream().min(Comparator.naturalOrder())
                .map(t -> t.plus(flapWindow).plus(TICK)).stream();
        return Stream.of(staleAt, windowEdges, flapAgesOut, ackUntils.stream()).flatMap(s -> s)
                .filter(t -> t.isAfter(now)).min(Comparator.naturalOrder()).orElse(null);
    }
}
