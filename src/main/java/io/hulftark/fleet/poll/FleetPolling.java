package io.hulftark.fleet.poll;

import io.hulftark.app.ServerRole;
import io.hulftark.fleet.FleetConfig;
import io.hulftark.link.LinkConfig;
import io.hulftark.fleet.report.ReportSink;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.interceptor.Interceptor;
import org.jboss.logging.Logger;

import java.util.List;

/** Starts the {@link AgentPoller} in the fleet role when agents to poll are configured (hulftark.fleet.poll.*). */
@ApplicationScoped
public class FleetPolling {

    private static final Logger LOG = Logger.getLogger(FleetPolling.class);

    private final FleetConfig config;
    private final Instance<ReportSink> sink;
    private final LinkConfig link;
    private AgentPoller poller;

    public FleetPolling(FleetConfig config, LinkConfig link, Instance<ReportSink> sink) {
        this.config = config;
        this.link = link;
        this.sink = sink;
    }

    // After the default priority: the ingest (FleetService) has opened its store when the first poll answers.
    void start(@Observes @Priority(Interceptor.Priority.LIBRARY_AFTER) StartupEvent event) {
        if (ServerRole.current() != ServerRole.FLEET || config.poll().isEmpty()) {
            return;
        }
        if (!sink.isResolvable()) {
            LOG.error("hulftark.fleet.poll is set but this fleet view has no report ingest: the agents are not polled");
            return;
        }
        List<AgentPoller.Target> targets = config.poll().entrySet().stream()
                .map(e -> new AgentPoller.Target(e.getKey(), e.getValue().url(), e.getValue().token())).toList();
        poller = new AgentPoller(targets, link.heartbeat(), link.requestTimeout(), sink.get());
        poller.start();
    }

    @PreDestroy
    void stop() throws InterruptedException {
        if (poller != null) {
            poller.close();
        }
    }
}
