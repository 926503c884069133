package io.hulftark.fleet.metrics;

import io.hulftark.fleet.view.ClusterSnapshotRow;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;

import java.time.Clock;
import java.util.List;

/** For benchmarks outside the package: the exposition /q/metrics writes of these rows. */
public final class ClusterMetricsProbe {

    private ClusterMetricsProbe() {
    }

    public static String exposition(List<ClusterSnapshotRow> rows) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new ClusterMetrics(now -> rows, Clock.systemUTC(), ClusterMetrics.ClusterLabels.CLUSTER_ONLY)
                .register(registry.getPrometheusRegistry());
        return registry.scrape();
    }
}
