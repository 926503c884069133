package io.hulftark.fleet.metrics;

import io.hulftark.fleet.state.ClusterState;
import io.hulftark.fleet.view.ClusterRow;
import io.hulftark.fleet.view.ClusterSnapshotRow;
import io.prometheus.client.Collector;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The fleet's state as Prometheus series, written from one snapshot of the store per scrape (one statement, see
 * {@code FleetStore.snapshot}) rather than from a Micrometer gauge per cluster and value that each asks the store:
 * 5,000 clusters are one read, not 30,000. A snapshot serves every scrape within {@link #REUSE} of it, so several
 * Prometheus servers (or a retrying one) cost one read a second at most.
 *
 * <p>A cluster's state is one series whose {@code state} label is the current state, value 1; the series of the
 * previous state ends when the state changes. Not the enum-as-labels idiom (six series a cluster, five of them 0):
 * six times the series and the body for the same alerts, since an alert on {@code state="DOWN"} with {@code for:}
 * holds exactly while the one series lasts, and Prometheus marks the old series stale at the first scrape without
 * it, so the alert resolves at once. Counts per state, zeros included, are {@code hulftark_fleet_clusters}.
 * Likewise the two markers, acknowledged and in maintenance, are a series (value 1) only for the clusters they mark,
 * and rules test them with {@code unless on (cluster)}: a series of every cluster costs about 300 KB of the
 * 2 MB a scrape of 5,000 clusters may take; their totals, zeros included, are {@code hulftark_fleet_clusters_*}.
 * Problems, silent nodes and the last report are counts and times: one series per cluster, 0 included. Drift and
 * failing preflight rows (issue 13) are counts that are 0 on almost every cluster: like the markers, a series only
 * where non-zero ({@code > 0} and {@code unless} read the same), their totals counting the clusters.
 *
 * <p>When the store cannot be read, the per-cluster families are left out and
 * {@code hulftark_fleet_snapshot_success} is 0 (an alert says so): never a stale snapshot shown as the present.
 */
public final class ClusterMetrics extends Collector implements Collector.Describable {

    /** How long a snapshot serves further scrapes. */
    static final Duration REUSE = Duration.ofSeconds(1);
    private static final Logger LOG = Logger.getLogger(ClusterMetrics.class);

    static final String CLUSTERS = "hulftark_fleet_clusters";
    static final String STATE = "hulftark_fleet_cluster_state";
    static final String PROBLEMS = "hulftark_fleet_cluster_problems";
    static final String ACKNOWLEDGED = "hulftark_fleet_cluster_acknowledged";
    static final String IN_MAINTENANCE = "hulftark_fleet_cluster_in_maintenance";
    static final String ACKNOWLEDGED_TOTAL = "hulftark_fleet_clusters_acknowledged";
    static final String IN_MAINTENANCE_TOTAL = "hulftark_fleet_clusters_in_maintenance";
    static final String SILENT_NODES = "hulftark_fleet_cluster_silent_nodes";
    static final String LAST_REPORT = "hulftark_fleet_cluster_last_report_timestamp_seconds";
    static final String DRIFT = "hulftark_fleet_cluster_drift";
    static final String READINESS_FAILURES = "hulftark_fleet_cluster_readiness_failures";
    static final String DRIFTING_TOTAL = "hulftark_fleet_clusters_drifting";
    static final String NOT_READY_TOTAL = "hulftark_fleet_clusters_readiness_failing";
    static final String SUCCESS = "hulftark_fleet_snapshot_success";
    static final String DURATION = "hulftark_fleet_snapshot_duration_seconds";

    /** What a snapshot reads; throws when the store cannot be read. */
    public interface Source {
        List<ClusterSnapshotRow> read(Instant now);
    }

    private record Cached(Instant at, List<MetricFamilySamples> families) {
    }

    private final Source source;
    private final Clock clock;
    private final ClusterLabels labels;
    private Cached cached;
    private String lastFailure;

    public ClusterMetrics(Source source, Clock clock, ClusterLabels labels) {
        this.source = Objects.requireNonNull(source, "source");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.labels = Objects.requireNonNull(labels, "labels");
    }

    /**
     * "In maintenance" as the metrics count it: the ONE place that decides it. A window keeps the cluster's real
     * state (its state series still says DOWN) and marks the row.
     */
    static boolean inMaintenance(ClusterRow row) {
        return row.inMaintenance();
    }

    /** Names and help without reading the store: the registry asks at registration to check for clashes. */
    @Override
    public List<MetricFamilySamples> describe() {
        return families(List.of(), 0, false, false);
    }

    @Override
    public synchronized List<MetricFamilySamples> collect() {
        Instant now = clock.instant();
        Cached c = cached;
        if (c != null && !now.isBefore(c.at()) && now.isBefore(c.at().plus(REUSE))) {
            return c.families();
        }
        long t0 = System.nanoTime();
        List<MetricFamilySamples> families;
        try {
            List<ClusterSnapshotRow> rows = source.read(now);
            families = families(rows, (System.nanoTime() - t0) / 1e9, true, true);
            if (lastFailure != null) {
                LOG.infof("fleet metrics: the store can be read again");
            }
            lastFailure = null;
        } catch (RuntimeException e) { // a scrape must still answer, with the failure in it
            String why = String.valueOf(e.getMessage());
            if (!why.equals(lastFailure)) {
                LOG.warnf("fleet metrics: cannot read the clusters' state, their series are left out: %s", why);
            }
            lastFailure = why;
            families = families(List.of(), (System.nanoTime() - t0) / 1e9, false, true);
        }
        cached = new Cached(now, families);
        return families;
    }

    private List<MetricFamilySamples> families(List<ClusterSnapshotRow> rows, double seconds, boolean success,
                                              boolean withSamples) {
        ClusterLabels.Layout layout = labels.layout(rows);
        List<String> names = layout.names();
        List<String> stateNames = new ArrayList<>(names);
        stateNames.add("state");
        List<MetricFamilySamples.Sample> state = new ArrayList<>(rows.size());
        List<MetricFamilySamples.Sample> problems = new ArrayList<>(rows.size());
        List<MetricFamilySamples.Sample> acked = new ArrayList<>(rows.size());
        List<MetricFamilySamples.Sample> maintenance = new ArrayList<>(rows.size());
        List<MetricFamilySamples.Sample> silent = new ArrayList<>(rows.size());
        List<MetricFamilySamples.Sample> lastReport = new ArrayList<>(rows.size());
        List<MetricFamilySamples.Sample> drift = new ArrayList<>();
        List<MetricFamilySamples.Sample> readiness = new ArrayList<>();
        Map<ClusterState, Integer> perState = new EnumMap<>(ClusterState.class);
        for (ClusterState s : ClusterState.values()) {
            if (s != ClusterState.MAINTENANCE) { // never a state: a window is hulftark_fleet_clusters_in_maintenance
                perState.put(s, 0);
            }
        }
        for (ClusterSnapshotRow r : rows) {
            ClusterRow row = r.row();
            List<String> values = layout.values(row);
            List<String> stateValues = new ArrayList<>(values);
            stateValues.add(row.state().name());
            perState.merge(row.state(), 1, Integer::sum);
            state.add(new MetricFamilySamples.Sample(STATE, stateNames, stateValues, 1));
            problems.add(new MetricFamilySamples.Sample(PROBLEMS, names, values, row.problems()));
            if (row.acknowledged()) {
                acked.add(new MetricFamilySamples.Sample(ACKNOWLEDGED, names, values, 1));
            }
            if (inMaintenance(row)) {
                maintenance.add(new MetricFamilySamples.Sample(IN_MAINTENANCE, names, values, 1));
            }
            silent.add(new MetricFamilySamples.Sample(SILENT_NODES, names, values, r.silentNodes()));
            if (r.drift() > 0) {
                drift.add(new MetricFamilySamples.Sample(DRIFT, names, values, r.drift()));
            }
            if (r.readinessFailures() > 0) {
                readiness.add(new MetricFamilySamples.Sample(READINESS_FAILURES, names, values,
                        r.readinessFailures()));
            }
            if (row.lastReportAt() != null) {
                lastReport.add(new MetricFamilySamples.Sample(LAST_REPORT, names, values,
                        row.lastReportAt().toEpochMilli() / 1000.0));
            }
        }
        List<MetricFamilySamples.Sample> counts = new ArrayList<>();
        if (success) {
            perState.forEach((s, n) -> counts.add(new MetricFamilySamples.Sample(CLUSTERS, List.of("state"),
                    List.of(s.name()), n)));
        }
        List<MetricFamilySamples.Sample> ackedTotal = success ? List.of(new MetricFamilySamples.Sample(
                ACKNOWLEDGED_TOTAL, List.of(), List.of(), acked.size())) : List.of();
        List<MetricFamilySamples.Sample> maintenanceTotal = success ? List.of(new MetricFamilySamples.Sample(
                IN_MAINTENANCE_TOTAL, List.of(), List.of(), maintenance.size())) : List.of();
        List<MetricFamilySamples.Sample> driftingTotal = success ? List.of(new MetricFamilySamples.Sample(
                DRIFTING_TOTAL, List.of(), List.of(), drift.size())) : List.of();
        List<MetricFamilySamples.Sample> notReadyTotal = success ? List.of(new MetricFamilySamples.Sample(
                NOT_READY_TOTAL, List.of(), List.of(), readiness.size())) : List.of();
        List<MetricFamilySamples> out = new ArrayList<>();
        out.add(gauge(SUCCESS, "1 when the clusters' series below were read from the store for this scrape, 0 when "
                + "the store could not be read (they are left out)", withSamples
                ? List.of(new MetricFamilySamples.Sample(SUCCESS, List.of(), List.of(), success ? 1 : 0)) : List.of()));
        out.add(gauge(DURATION, "How long reading the clusters' state from the store took for this scrape",
                withSamples ? List.of(new MetricFamilySamples.Sample(DURATION, List.of(), List.of(), seconds))
                        : List.of()));
        out.add(gauge(CLUSTERS, "Clusters per state, every state present (0 when none is in it)", counts));
        out.add(gauge(ACKNOWLEDGED_TOTAL, "Clusters whose problem an operator acknowledged (not expired)",
                ackedTotal));
        out.add(gauge(IN_MAINTENANCE_TOTAL, "Clusters that a maintenance window covers now", maintenanceTotal));
        out.add(gauge(DRIFTING_TOTAL, "Clusters whose nodes differ in a setting that must be equal", driftingTotal));
        out.add(gauge(NOT_READY_TOTAL, "Clusters with a failing row in a known node's last preflight",
                notReadyTotal));
        out.add(gauge(STATE, "The cluster's current state: one series per cluster, value 1, the state in the label",
                state));
        out.add(gauge(PROBLEMS, "How many problems keep the cluster from OK", problems));
        out.add(gauge(ACKNOWLEDGED, "1 for a cluster whose problem an operator acknowledged (not expired); "
                + "no series for the others", acked));
        out.add(gauge(IN_MAINTENANCE, "1 for a cluster that a maintenance window covers now; no series for "
                + "the others", maintenance));
        out.add(gauge(SILENT_NODES, "Known nodes of the cluster whose latest report is older than "
                + "hulftark.fleet.fresh-for", silent));
        out.add(gauge(LAST_REPORT, "When the newest report of any node of the cluster was received, Unix time "
                + "(absent when none is kept)", lastReport));
        out.add(gauge(DRIFT, "How many settings that must be equal on every node differ between the cluster's "
                + "nodes; no series for a cluster without drift", drift));
        out.add(gauge(READINESS_FAILURES, "How many rows of the last preflight (hulft-ark validate) of the "
                + "cluster's known nodes fail: a standby that could not take over; no series when none does",
                readiness));
        return out;
    }

    private static MetricFamilySamples gauge(String name, String help, List<MetricFamilySamples.Sample> samples) {
        return new MetricFamilySamples(name, Type.GAUGE, help, samples);
    }

    /**
     * The labels that name a cluster's series: {@code names} by {@code valuesOf}, and with {@code agentLabels} the
     * agents' labels too (hulftark.agent.labels, a cluster's as {@link ClusterRow#labels}): every key any cluster
     * of the snapshot has, each named by {@link #labelName}, on every per-cluster series, empty where a cluster has
     * none (to Prometheus the same as absent). Keep them few and stable: each is in every per-cluster series, and
     * a value that changes starts new series.
     */
    public record ClusterLabels(List<String> names, Function<ClusterRow, List<String>> valuesOf, boolean agentLabels) {

        public static final ClusterLabels CLUSTER_ONLY = new ClusterLabels(List.of("cluster"),
                row -> List.of(row.name()));
        /** {@code cluster} and the agents' labels: what /q/metrics exports. */
        public static final ClusterLabels CLUSTER_AND_AGENT_LABELS = new ClusterLabels(List.of("cluster"),
                row -> List.of(row.name()), true);

        public ClusterLabels {
            names = List.copyOf(names);
        }

        public ClusterLabels(List<String> names, Function<ClusterRow, List<String>> valuesOf) {
            this(names, valuesOf, false);
        }

        /** The names of one snapshot's series and each row's values, in that order. */
        record Layout(List<String> names, Function<ClusterRow, List<String>> valuesOf) {
            List<String> values(ClusterRow row) {
                return valuesOf.apply(row);
            }
        }

        Layout layout(List<ClusterSnapshotRow> rows) {
            if (!agentLabels) {
                return new Layout(names, valuesOf);
            }
            // Label name to the agents' key; sorted, so the series' labels keep one order from scrape to scrape.
            java.util.SortedMap<String, String> keys = new java.util.TreeMap<>();
            for (ClusterSnapshotRow r : rows) {
                r.row().labels().keySet().forEach(k -> keys.putIfAbsent(labelName(k), k));
            }
            keys.keySet().removeAll(names); // never one of ours (label_ makes that so; kept safe anyway)
            if (keys.isEmpty()) {
                return new Layout(names, valuesOf);
            }
            List<String> all = new ArrayList<>(names);
            all.addAll(keys.keySet());
            List<String> agentKeys = List.copyOf(keys.values());
            return new Layout(List.copyOf(all), row -> {
                List<String> values = new ArrayList<>(valuesOf.apply(row));
                agentKeys.forEach(k -> values.add(row.labels().getOrDefault(k, "")));
                return values;
            });
        }

        /**
         * A label name from free text, after kube-state-metrics' {@code label_} idiom: {@code label_} then the
         * text with every character outside {@code [a-zA-Z0-9_]} as {@code _}, so it can clash with none of ours
         * and never starts with the reserved {@code __}.
         */
        public static String labelName(String key) {
            StringBuilder b = new StringBuilder("label_");
            key.codePoints().forEach(cp -> b.append(cp < 128 && (Character.isLetterOrDigit(cp) || cp == '_')
                    ? (char) cp : '_'));
            return b.toString();
        }
    }
}
