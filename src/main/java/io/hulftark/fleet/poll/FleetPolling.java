package io.hulftark.fleet.poll;

import io.hulftark.fleet.FleetConfig;
import io.hulftark.fleet.report.ReportSink;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.List;

/** Starts the {@link AgentPoller} in the fleet view (hulftark.role=fleet) when agents to poll are configured. */
@ApplicationScoped
public class FleetPolling {

    private static final Logger LOG = Logger.getLogger(FleetPolling.class);

    private final FleetConfig config;
    private final Instance<ReportSink> sink;
    private final String role;
    private AgentPoller poller;

    public FleetPolling(FleetConfig config, Instance<ReportSink> sink,
                        @ConfigProperty(name = "hulftark.role", defaultValue = "agent") String role) {
        this.config = config;
        this.sink = sink;
        this.role = role;
    }

    void start(@Observes StartupEvent event) {
        if (!"fleet".equals(role) || config.poll().isEmpty()) {
            return;
        }
        if (!sink.isResolvable()) {
            LOG.error("hulftark.fleet.poll is set but this fleet view has no report ingest: the agents are not polled");
            return;
        }
        List<AgentPoller.Target> targets = config.poll().entrySet().stream()
                .map(e -> new AgentPoller.Target(e.getKey(), e.getValue().url(), e.getValue().token())).toList();
        poller = new AgentPoller(targets, config.heartbeat(), config.requestTimeout(), sink.get());
        poller.start();
    }

    @PreDestroy
    void stop() throws InterruptedException {
        if (poller != null) {
            poller.close();
        }
    }
}
