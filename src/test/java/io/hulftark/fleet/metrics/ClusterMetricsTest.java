package io.hulftark.fleet.metrics;

import io.hulftark.app.Promtool;
import io.hulftark.fleet.state.ClusterState;
import io.hulftark.fleet.view.ClusterRow;
import io.hulftark.fleet.view.ClusterSnapshotRow;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** The clusters' series as Prometheus reads them: written by the same registry as /q/metrics, checked by promtool. */
class ClusterMetricsTest {

    static final Instant NOW = Instant.parse("2026-12-06T20:00:00Z");

    static final class TestClock extends Clock {
        final AtomicReference<Instant> now = new AtomicReference<>(NOW);

        void advance(Duration d) {
            now.updateAndGet(t -> t.plus(d));
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    static ClusterSnapshotRow row(String name, ClusterState state, int problems, boolean acked, int silent,
                                  Instant lastReport) {
        return row(name, state, problems, acked, silent, lastReport, false);
    }

    static ClusterSnapshotRow row(String name, ClusterState state, int problems, boolean acked, int silent,
                                  Instant lastReport, boolean inWindow) {
        return new ClusterSnapshotRow(new ClusterRow(name, state, NOW.minusSeconds(60), "why", problems, false, acked,
                List.of("n1", "n2"), List.of(), lastReport, acked ? "otto" : null, null, false, inWindow,
                inWindow ? NOW.plusSeconds(3600) : null), silent);
    }

    static PrometheusMeterRegistry registry(ClusterMetrics metrics) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        metrics.register(registry.getPrometheusRegistry());
        return registry;
    }

    @Test
    void eachClusterIsOneSeriesOfItsCurrentStateAndEveryStateIsCounted() throws Exception {
        List<ClusterSnapshotRow> rows = List.of(
                row("demo-1", ClusterState.DOWN, 2, true, 1, Instant.parse("2026-12-06T19:59:50.250Z")),
                row("demo-2", ClusterState.OK, 0, false, 0, NOW),
                row("demo-3", ClusterState.DOWN, 1, false, 2, null, true));
        String text = registry(new ClusterMetrics(now -> rows, new TestClock(),
                ClusterMetrics.ClusterLabels.CLUSTER_ONLY)).scrape();

        assertThat(text.lines()).contains(
                "hulftark_fleet_snapshot_success 1.0",
                "hulftark_fleet_cluster_state{cluster=\"demo-1\",state=\"DOWN\",} 1.0",
                "hulftark_fleet_cluster_state{cluster=\"demo-2\",state=\"OK\",} 1.0",
                "hulftark_fleet_cluster_state{cluster=\"demo-3\",state=\"DOWN\",} 1.0",
                "hulftark_fleet_clusters{state=\"DOWN\",} 2.0",
                "hulftark_fleet_clusters{state=\"SPLIT\",} 0.0",
                "hulftark_fleet_cluster_problems{cluster=\"demo-1\",} 2.0",
                "hulftark_fleet_cluster_acknowledged{cluster=\"demo-1\",} 1.0",
                "hulftark_fleet_clusters_acknowledged 1.0",
                "hulftark_fleet_clusters_in_maintenance 1.0",
                "hulftark_fleet_cluster_in_maintenance{cluster=\"demo-3\",} 1.0",
                "hulftark_fleet_cluster_silent_nodes{cluster=\"demo-3\",} 2.0",
                "hulftark_fleet_cluster_last_report_timestamp_seconds{cluster=\"demo-1\",} 1.79658719025E9",
                "# TYPE hulftark_fleet_cluster_state gauge");
        // Only the current state: no zero series of the other five.
        assertThat(text.lines().filter(l -> l.startsWith("hulftark_fleet_cluster_state{cluster=\"demo-1\"")))
                .hasSize(1);
        assertThat(text).doesNotContain("last_report_timestamp_seconds{cluster=\"demo-3\"",
                "hulftark_fleet_cluster_acknowledged{cluster=\"demo-2\"", "in_maintenance{cluster=\"demo-1\"",
                "state=\"MAINTENANCE\"");
        assertThat(Promtool.check(text)).isEmpty();
    }

    @Test
    void driftAndFailingPreflightRowsAreASeriesOnlyWhereNonZeroWithTheirTotals() throws Exception {
        ClusterRow drifting = row("drifting", ClusterState.DEGRADED, 2, false, 0, NOW).row();
        ClusterRow notReady = row("not-ready", ClusterState.DEGRADED, 1, false, 0, NOW).row();
        ClusterRow both = row("both", ClusterState.DOWN, 4, true, 0, NOW).row();
        List<ClusterSnapshotRow> rows = List.of(new ClusterSnapshotRow(drifting, 0, 2, 0),
                new ClusterSnapshotRow(notReady, 0, 0, 1), new ClusterSnapshotRow(both, 0, 1, 3),
                row("clean", ClusterState.OK, 0, false, 0, NOW));
        String text = registry(new ClusterMetrics(now -> rows, new TestClock(),
                ClusterMetrics.ClusterLabels.CLUSTER_ONLY)).scrape();

        assertThat(text.lines()).contains(
                "hulftark_fleet_cluster_drift{cluster=\"drifting\",} 2.0",
                "hulftark_fleet_cluster_drift{cluster=\"both\",} 1.0",
                "hulftark_fleet_cluster_readiness_failures{cluster=\"not-ready\",} 1.0",
                "hulftark_fleet_cluster_readiness_failures{cluster=\"both\",} 3.0",
                "hulftark_fleet_clusters_drifting 2.0",
                "hulftark_fleet_clusters_readiness_failing 2.0",
                "# TYPE hulftark_fleet_cluster_drift gauge");
        assertThat(text).doesNotContain("hulftark_fleet_cluster_drift{cluster=\"not-ready\"",
                "hulftark_fleet_cluster_drift{cluster=\"clean\"",
                "hulftark_fleet_cluster_readiness_failures{cluster=\"drifting\"",
                "hulftark_fleet_cluster_readiness_failures{cluster=\"clean\"");
        assertThat(Promtool.check(text)).isEmpty();

        // A fleet without any: the totals say 0, no per-cluster series.
        String calm = registry(new ClusterMetrics(now -> List.of(row("clean", ClusterState.OK, 0, false, 0, NOW)),
                new TestClock(), ClusterMetrics.ClusterLabels.CLUSTER_ONLY)).scrape();
        assertThat(calm.lines()).contains("hulftark_fleet_clusters_drifting 0.0",
                "hulftark_fleet_clusters_readiness_failing 0.0");
        assertThat(calm).doesNotContain("hulftark_fleet_cluster_drift{", "hulftark_fleet_cluster_readiness_failures{");
    }

    @Test
    void anyTextInAClusterNameIsEscapedInBothFormats() throws Exception {
        String name = "we\"ird\\name\nnext line ☃ {x=\"1\"}";
        ClusterMetrics metrics = new ClusterMetrics(now -> List.of(row(name, ClusterState.SPLIT, 1, false, 0, NOW)),
                new TestClock(), ClusterMetrics.ClusterLabels.CLUSTER_ONLY);
        PrometheusMeterRegistry registry = registry(metrics);
        String escaped = "cluster=\"we\\\"ird\\\\name\\nnext line ☃ {x=\\\"1\\\"}\"";

        String text = registry.scrape();
        assertThat(text).contains("hulftark_fleet_cluster_state{" + escaped + ",state=\"SPLIT\",} 1.0\n");
        assertThat(text.lines().filter(l -> l.contains("next line"))).allMatch(l -> l.startsWith("hulftark_"));
        assertThat(Promtool.check(text)).isEmpty();

        String open = registry.scrape("application/openmetrics-text; version=1.0.0; charset=utf-8");
        assertThat(open).contains("hulftark_fleet_cluster_state{" + escaped + ",state=\"SPLIT\"} 1.0\n")
                .endsWith("# EOF\n");
    }

    @Test
    void oneReadServesEveryScrapeWithinASecond() {
        AtomicInteger reads = new AtomicInteger();
        TestClock clock = new TestClock();
        ClusterMetrics metrics = new ClusterMetrics(now -> {
            reads.incrementAndGet();
            return List.of(row("a", ClusterState.OK, 0, false, 0, now));
        }, clock, ClusterMetrics.ClusterLabels.CLUSTER_ONLY);
        PrometheusMeterRegistry registry = registry(metrics);
        assertThat(reads).hasValue(0); // registering asks describe(), not the store

        registry.scrape();
        clock.advance(Duration.ofMillis(999));
        registry.scrape();
        assertThat(reads).hasValue(1);
        clock.advance(Duration.ofMillis(1));
        registry.scrape();
        assertThat(reads).hasValue(2);
    }

    @Test
    void aStoreThatCannotBeReadLeavesTheClustersOutAndSaysSo() throws Exception {
        TestClock clock = new TestClock();
        AtomicReference<RuntimeException> failure = new AtomicReference<>(
                new IllegalStateException("fleet store: metrics snapshot failed: Connection refused"));
        ClusterMetrics metrics = new ClusterMetrics(now -> {
            if (failure.get() != null) {
                throw failure.get();
            }
            return List.of(row("a", ClusterState.DOWN, 1, false, 0, now));
        }, clock, ClusterMetrics.ClusterLabels.CLUSTER_ONLY);
        PrometheusMeterRegistry registry = registry(metrics);

        String text = registry.scrape();
        assertThat(text).contains("hulftark_fleet_snapshot_success 0.0\n")
                .doesNotContain("hulftark_fleet_cluster_state{", "hulftark_fleet_clusters{",
                        "\nhulftark_fleet_clusters_acknowledged ", "\nhulftark_fleet_clusters_drifting ");
        assertThat(Promtool.check(text)).isEmpty();

        failure.set(null);
        clock.advance(Duration.ofSeconds(1));
        assertThat(registry.scrape()).contains("hulftark_fleet_snapshot_success 1.0\n",
                "hulftark_fleet_cluster_state{cluster=\"a\",state=\"DOWN\",} 1.0\n");
    }

    @Test
    void theOnePlaceThatSaysInMaintenance() {
        assertThat(ClusterMetrics.inMaintenance(row("a", ClusterState.DOWN, 1, false, 0, NOW, true).row())).isTrue();
        assertThat(ClusterMetrics.inMaintenance(row("a", ClusterState.DOWN, 1, false, 0, NOW).row())).isFalse();
    }

    @Test
    void agentLabelsBecomeValidLabelNamesOfTheirOwn() {
        assertThat(ClusterMetrics.ClusterLabels.labelName("site")).isEqualTo("label_site");
        assertThat(ClusterMetrics.ClusterLabels.labelName("data-center.zone")).isEqualTo("label_data_center_zone");
        assertThat(ClusterMetrics.ClusterLabels.labelName("__name__")).isEqualTo("label___name__");
        assertThat(ClusterMetrics.ClusterLabels.labelName("東京")).isEqualTo("label___");
        // A site's label beside cluster: each series carries it, and promtool takes the result.
        ClusterMetrics.ClusterLabels withSite = new ClusterMetrics.ClusterLabels(
                List.of("cluster", ClusterMetrics.ClusterLabels.labelName("site")), r -> List.of(r.name(), "tokyo"));
        String text = registry(new ClusterMetrics(now -> List.of(row("a", ClusterState.OK, 0, false, 0, NOW)),
                new TestClock(), withSite)).scrape();
        assertThat(text).contains("hulftark_fleet_cluster_state{cluster=\"a\",label_site=\"tokyo\",state=\"OK\",} 1.0");
    }

    static ClusterSnapshotRow labelled(String name, ClusterState state, java.util.Map<String, String> labels) {
        ClusterRow r = row(name, state, 0, false, 0, NOW).row();
        return new ClusterSnapshotRow(new ClusterRow(r.name(), r.state(), r.since(), r.reason(), r.problems(),
                r.flapping(), r.acknowledged(), r.nodes(), r.serving(), r.lastReportAt(), r.acknowledgedBy(),
                r.acknowledgedUntil(), r.acknowledgedSticky(), r.inMaintenance(), r.maintenanceUntil(), labels), 0);
    }

    @Test
    void theAgentsLabelsOfEachClusterAreOnItsSeriesAsTheSnapshotHasThem() throws Exception {
        AtomicReference<List<ClusterSnapshotRow>> snapshot = new AtomicReference<>(List.of(
                labelled("a", ClusterState.OK, java.util.Map.of("site", "osaka", "env", "prod")),
                labelled("b", ClusterState.DOWN, java.util.Map.of("site", "kobe,osaka", "rack", "r\"1\\")),
                labelled("c", ClusterState.OK, java.util.Map.of())));
        TestClock clock = new TestClock();
        PrometheusMeterRegistry registry = registry(new ClusterMetrics(now -> snapshot.get(), clock,
                ClusterMetrics.ClusterLabels.CLUSTER_AND_AGENT_LABELS));

        String text = registry.scrape();
        // Every key of the snapshot on every per-cluster series, in one order; empty where a cluster has none.
        assertThat(text).contains(
                "hulftark_fleet_cluster_state{cluster=\"a\",label_env=\"prod\",label_rack=\"\",label_site=\"osaka\","
                        + "state=\"OK\",} 1.0\n",
                "hulftark_fleet_cluster_state{cluster=\"b\",label_env=\"\",label_rack=\"r\\\"1\\\\\","
                        + "label_site=\"kobe,osaka\",state=\"DOWN\",} 1.0\n",
                "hulftark_fleet_cluster_problems{cluster=\"c\",label_env=\"\",label_rack=\"\",label_site=\"\",} 0.0\n");
        // The counts per state name no cluster: no labels of the agents either.
        assertThat(text).contains("hulftark_fleet_clusters{state=\"DOWN\",} 1.0\n");
        assertThat(Promtool.check(text)).isEmpty();

        // The keys follow the fleet: when no agent has labels any more, the series have none of them.
        snapshot.set(List.of(labelled("a", ClusterState.OK, java.util.Map.of())));
        clock.advance(Duration.ofSeconds(2));
        String later = registry.scrape();
        assertThat(later).contains("hulftark_fleet_cluster_state{cluster=\"a\",state=\"OK\",} 1.0\n")
                .doesNotContain("label_");
        assertThat(Promtool.check(later)).isEmpty();
    }

    /** The size the issue bounds (2 MB at 5,000 clusters), with the benchmark's names: a fact of the format. */
    @Test
    void fiveThousandClustersStayWithinTwoMegabytes() throws Exception {
        List<ClusterSnapshotRow> rows = new ArrayList<>();
        ClusterState[] states = ClusterState.values();
        for (int c = 0; c < 5000; c++) {
            rows.add(row(String.format(Locale.ROOT, "c%05d", c), states[c % states.length], c % 3, c % 7 == 0,
                    c % 2, NOW.minusMillis(c * 7L)));
        }
        PrometheusMeterRegistry registry = registry(new ClusterMetrics(now -> rows, new TestClock(),
                ClusterMetrics.ClusterLabels.CLUSTER_ONLY));
        int bytes = registry.scrape().getBytes(StandardCharsets.UTF_8).length;
        System.out.printf("5,000 clusters: %d bytes of cluster series%n", bytes);
        assertThat(bytes).isLessThan(2_000_000);
    }
}
