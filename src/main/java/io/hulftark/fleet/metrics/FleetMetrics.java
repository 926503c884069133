package io.hulftark.fleet.metrics;

import io.hulftark.app.ServerRole;
import io.hulftark.fleet.FleetService;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The fleet view's metrics for Prometheus (fleet role only): the clusters' state from one snapshot per scrape
 * ({@link ClusterMetrics}, registered with the Prometheus registry behind {@code /q/metrics}) and every report
 * that was not taken, by reason ({@link ReportFailures}).
 */
@ApplicationScoped
public class FleetMetrics {

    static final String REPORTS = "/api/v1/fleet/reports";
    static final String FAILURES = "hulftark.fleet.report.failures";
    private static final Logger LOG = Logger.getLogger(FleetMetrics.class);

    private final FleetService fleet;
    private final Instance<PrometheusMeterRegistry> prometheus;
    private final MeterRegistry registry;
    private final Map<String, Counter> failures = new ConcurrentHashMap<>();

    public FleetMetrics(FleetService fleet, Instance<PrometheusMeterRegistry> prometheus, MeterRegistry registry) {
        this.fleet = fleet;
        this.prometheus = prometheus;
        this.registry = registry;
    }

    void start(@Observes StartupEvent event) {
        if (ServerRole.current() != ServerRole.FLEET) {
            return;
        }
        if (prometheus.isResolvable()) {
            // The store is read when scraped: before FleetService has started it, that is a failed snapshot.
            new ClusterMetrics(now -> fleet.store().snapshot(now), Clock.systemUTC(),
                    ClusterMetrics.ClusterLabels.CLUSTER_AND_AGENT_LABELS).register(prometheus.get().getPrometheusRegistry());
        } else {
            LOG.warn("fleet metrics: no Prometheus registry, the clusters' state is not exported");
        }
        // Present from the start at 0, so that rate() sees the first failure of each reason.
        for (int status : new int[] {400, 401, 403, 408, 413, 415, 422, 429, 503, 500, 499}) {
            counter(ReportFailures.reason(status));
        }
        counter(ReportFailures.RESET);
    }

    /** Every exchange of the report endpoint, whoever answers it (authentication, the body gate, REST). */
    void install(@Observes Router router) {
        if (ServerRole.current() != ServerRole.FLEET) {
            return;
        }
        router.route(HttpMethod.POST, REPORTS).order(Integer.MIN_VALUE).handler(this::watch);
    }

    private void watch(RoutingContext ctx) {
        ctx.addEndHandler(done -> {
            String reason = done.succeeded() ? ReportFailures.reason(ctx.response().getStatusCode())
                    : ReportFailures.RESET;
            if (reason != null) {
                counter(reason).increment();
            }
        });
        ctx.next();
    }

    private Counter counter(String reason) {
        return failures.computeIfAbsent(reason, r -> Counter.builder(FAILURES).tag("reason", r)
                .tag("fault", ReportFailures.ours(r) ? "fleet" : "sender")
                .description("Reports not taken, by reason (fault=sender: refused; fault=fleet: the fleet view failed)")
                .register(registry));
    }
}
