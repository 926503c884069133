package io.hulftark.fleet.poll;

import io.hulftark.app.ServerRole;
import io.hulftark.fleet.actions.OrderBook;
import io.hulftark.fleet.actions.OrderPlaced;
import io.hulftark.fleet.FleetConfig;
import io.hulftark.link.LinkConfig;
import io.hulftark.fleet.report.ReportSink;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.enterprise.inject.Instance;
import jakarta.interceptor.Interceptor;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.List;

/**
 * Starts the {@link AgentPoller} in the fleet role when agents to poll are configured (hulftark.fleet.poll.*), and
 * the {@link PolledDelivery} of fleet actions to those of them with an action token.
 */
@ApplicationScoped
public class FleetPolling {

    private static final Logger LOG = Logger.getLogger(FleetPolling.class);

    private final FleetConfig config;
    private final Instance<ReportSink> sink;
    private final LinkConfig link;
    private final Instance<OrderBook> book;
    private volatile AgentPoller poller;
    private volatile PolledDelivery delivery;

    public FleetPolling(FleetConfig config, LinkConfig link, Instance<ReportSink> sink, Instance<OrderBook> book) {
        this.config = config;
        this.link = link;
        this.sink = sink;
        this.book = book;
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
        List<PolledDelivery.Target> withActions = config.poll().entrySet().stream()
                .filter(e -> e.getValue().actionToken().isPresent())
                .map(e -> new PolledDelivery.Target(e.getKey(), e.getValue().url(), e.getValue().actionToken().get()))
                .toList();
        if (withActions.isEmpty()) {
            return;
        }
        if (!book.isResolvable()) {
            LOG.warn("hulftark.fleet.poll.*.action-token is set but this fleet view has no order book: no actions");
            return;
        }
        AgentPoller p = poller;
        delivery = new PolledDelivery(withActions, p::reportsAs, book.get(), link.requestTimeout(), Clock.systemUTC());
        delivery.start();
        LOG.infof("handing fleet actions to polled agents %s", withActions.stream().map(PolledDelivery.Target::name).toList());
    }

    /**
     * True when this fleet view polls the node (an agent under hulftark.fleet.poll reported as it); such a node gets
     * actions only when {@link #takesActions} says so. Known from the agent's first polled report on.
     */
    public boolean polls(OrderBook.NodeKey node) {
        AgentPoller p = poller;
        return p != null && config.poll().keySet().stream().anyMatch(name -> p.reportsAs(name).filter(node::equals).isPresent());
    }

    /** True when the node is polled and its agent has an action token here (hulftark.fleet.poll."NAME".action-token). */
    public boolean takesActions(OrderBook.NodeKey node) {
        AgentPoller p = poller;
        return p != null && delivery != null && config.poll().entrySet().stream()
                .anyMatch(e -> e.getValue().actionToken().isPresent()
                        && p.reportsAs(e.getKey()).filter(node::equals).isPresent());
    }

    void placed(@Observes OrderPlaced event) {
        PolledDelivery d = delivery;
        if (d != null) {
            d.placed(new OrderBook.NodeKey(event.cluster(), event.node()));
        }
    }

    void placedAsync(@ObservesAsync OrderPlaced event) {
        placed(event);
    }

    @PreDestroy
    void stop() throws InterruptedException {
        if (delivery != null) {
            delivery.close();
        }
        if (poller != null) {
            poller.close();
        }
    }
}
