package io.hulftark.agent;

import io.hulftark.agent.facts.FactsCollector;
import io.hulftark.agent.facts.KitSettings;
import io.hulftark.agent.facts.Readiness;
import io.hulftark.agent.journal.LineJournal;
import io.hulftark.agent.orders.OrderChannel;
import io.hulftark.agent.orders.OrderTaker;
import io.hulftark.agent.push.AgentReports;
import io.hulftark.agent.push.FleetPusher;
import io.hulftark.app.KitConfig;
import io.hulftark.app.KitContext;
import io.hulftark.app.Preflight;
import io.hulftark.app.ServerRole;
import io.hulftark.link.LinkConfig;
import io.hulftark.kit.Kit;
import io.hulftark.platform.FileActionLocks;
import io.hulftark.platform.ProcessCommandRunner;
import io.hulftark.platform.StartType;
import io.hulftark.wire.NodeFacts;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The agent's framework side: wires {@link AgentCore} from configuration and drives its checks. */
@ApplicationScoped
public class AgentService {

    private static final Logger LOG = Logger.getLogger(AgentService.class);
    private final KitContext context;
    private final AgentConfig config;
    private final AgentCore core;
    private final LineJournal journal;
    private final AgentConfig.ActionMode mode;
    private final String node;
    private final AgentReports reports;
    private final FleetPusher pusher;
    private final Map<String, String> labels;
    private final OrderTaker orders;
    private final OrderChannel channel;
    private final Clock clock;
    private final Instant started;
    private final Readiness readiness;
    private final FactsCollector facts;
    private volatile Instant lastRound = Instant.now();

    public AgentService(KitConfig kitConfig, AgentConfig config, AgentMetrics metrics, LinkConfig fleet) {
        if (config.checkInterval().compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("hulftark.agent.check-interval must be at least 1s, not "
                    + config.checkInterval());
        }
        if (config.validateInterval().compareTo(Readiness.MIN_INTERVAL) < 0) {
            throw new IllegalArgumentException("hulftark.agent.validate-interval must be at least 10s, not "
                    + config.validateInterval());
        }
        this.config = config;
        this.labels = Labels.parse(config.labels().orElse(null)); // a bad value stops the start: one line names the key
        this.clock = agentClock(config.testOnlyClockOffset().orElse(Duration.ZERO));
        this.started = clock.instant();
        this.context = KitContext.create(kitConfig, System.getenv(), new PrintWriter(System.err, true));
        this.node = kitConfig.node().orElseGet(AgentService::hostName);
        List<String> tags = config.tags().orElseGet(() -> new ArrayList<>(config.service().keySet()));
        ResourceDirectory directory = new ResourceDirectory(config.service(),
                context.lkroot().isPresent() || kitConfig.lifekeeper().insList().isPresent()
                        ? Optional.of(context.serviceNames()) : Optional.empty());
        Optional<Path> performAction = config.performAction()
                .or(() -> context.lkroot().map(r -> LifeKeeperExecutor.defaultPath(r, context.platform().windows())));
        this.mode = config.actionMode().orElse(performAction.filter(Files::isRegularFile).isPresent()
                ? AgentConfig.ActionMode.LIFEKEEPER : AgentConfig.ActionMode.DIRECT);
        ActionExecutor direct = new DirectExecutor(context);
        ActionExecutor executor = mode == AgentConfig.ActionMode.DIRECT ? direct
                : new LifeKeeperExecutor(performAction.orElseThrow(() -> new IllegalArgumentException(
                        "hulftark.agent.action-mode=lifekeeper needs LKROOT or hulftark.agent.perform-action")),
                        ProcessCommandRunner.untracked(), context.parameters().timeout().plusSeconds(60), direct);
        Checker checker = new Checker(context.parameters(), context.platform().services(),
                Kit.probe(context.parameters(), context.platform().commands()), directory, clock);
        try {
            this.journal = new LineJournal(context.stateDir().resolve("journal"), config.journal().maxFileBytes(),
                    config.journal().files());
            // The push backlog is the History's memory: it must hold at least the backlog, replay included.
            int kept = fleet.url().isPresent() ? Math.max(config.journal().eventsInMemory(), fleet.backlog())
                    : config.journal().eventsInMemory();
            History history = new History(journal, kept);
            this.reports = kitConfig.cluster().filter(c -> !c.isBlank())
                    .map(c -> new AgentReports(c, node, version(), started, this::resources, history, clock, labels,
                            config.fleetActions().enabled(), mode(), this::facts))
                    .orElse(null);
            this.pusher = pusher(fleet, reports, clock);
            this.core = new AgentCore(tags, checker, directory, executor, history, config.failuresBeforeFailed(),
                    config.checksKept(), config.maxQueuedActions(), clock,
                    pusher == null ? metrics : AgentCore.Listener.all(metrics, pusher));
            // Before any action: what a killed agent left running is ended, and its actions are INTERRUPTED.
            core.restore(new FileActionLocks(context.stateDir()).reapOrphans());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the agent's journal under " + context.stateDir() + ": "
                    + e.getMessage(), e);
        }
        metrics.watch(core);
        FleetPusher push = pusher;
        this.readiness = new Readiness(core::tags, this::preflight, clock, () -> {
            if (push != null) {
                push.changed(); // the new rows go with the next report, at once
            }
        });
        this.facts = new FactsCollector(FactsCollector.Node.ofThisJvm(version(), hostName(), context.platform().name()),
                new FactsCollector.Sources(context.lkroot(), context.defaultsFile(), performAction,
                        context.parameters(), kitConfig.confFileShared()), this::services, KitSettings.harmless(kitConfig, config, mode()),
                readiness, clock);
        this.orders = new OrderTaker(core, kitConfig.cluster().filter(c -> !c.isBlank()).orElse(null), node,
                config.fleetActions().enabled());
        readiness.start(config.validateInterval());
        if (pusher != null) {
            metrics.watch(pusher);
            pusher.start(); // after the replay: the backlog starts with what the journal gave back
        }
        // Only an agent that pushes and allows fleet actions asks for orders: the fleet view refuses the others
        // up front, by the flag in their reports.
        this.channel = pusher != null && config.fleetActions().enabled()
                ? new OrderChannel(new OrderChannel.Settings(fleet.url().get(), fleet.token().get(), node,
                OrderChannel.WAIT), orders, pusher::changed, clock) : null;
        if (channel != null) {
            channel.start(); // after the replay: every order this agent already took is known by its id
        }
    }

    /** The fleet push, or null when it is not configured or cannot be (one log line says why). */
    private static FleetPusher pusher(LinkConfig fleet, AgentReports reports, Clock clock) {
        if (fleet.url().isEmpty()) {
            return null;
        }
        if (reports == null) {
            LOG.error("hulftark.fleet.url is set but hulftark.cluster is not: this agent does not push to the fleet "
                    + "view until hulftark.cluster names its cluster");
            return null;
        }
        if (fleet.token().filter(t -> !t.isBlank()).isEmpty()) {
            LOG.error("hulftark.fleet.url is set but hulftark.fleet.token is not: this agent does not push to the "
                    + "fleet view without a reporter token ('hulft-ark token new --role reporter --cluster C' there)");
            return null;
        }
        return new FleetPusher(new FleetPusher.Settings(fleet.url().get(), fleet.token().get(), fleet.heartbeat(),
                fleet.backlog(), fleet.requestTimeout()), reports, clock);
    }

    /**
     * The agent's clock: the machine's, or for tests only shifted by {@code hulftark.agent.test-only-clock-offset}
     * (e.g. 24h), which proves that a fleet view survives an agent whose clock runs ahead. No site sets it; the
     * agent says so loudly when it is set.
     */
    private static Clock agentClock(Duration offset) {
        if (!offset.isZero()) {
            LOG.warnf("hulftark.agent.test-only-clock-offset=%s: this agent's clock is shifted (a test-only setting)",
                    offset);
        }
        return Clock.offset(Clock.systemUTC(), offset);
    }

    private List<ResourceView> resources() {
        return core.resources();
    }

    /** Tag to service name, in the order the agent watches them. */
    private Map<String, String> services() {
        Map<String, String> services = new LinkedHashMap<>();
        core.resources().forEach(r -> services.put(r.tag(), r.service()));
        return services;
    }

    /** One tag's preflight, as {@code hulft-ark validate} runs it, on the readiness worker. */
    private Readiness.Outcome preflight(String tag) {
        Preflight preflight = new Preflight(context);
        List<NodeFacts.PreflightRow> rows = preflight.run(tag).stream()
                .map(r -> new NodeFacts.PreflightRow(r.check(), r.result().name(), r.detail())).toList();
        return new Readiness.Outcome(rows, preflight.startType().map(StartType::word));
    }

    /** This node's facts now (files only: cheap). */
    public NodeFacts facts() {
        return facts.collect();
    }

    /** The preflights of this node's resources. */
    public Readiness readiness() {
        return readiness;
    }

    // Started by AgentHealth in the agent role only; in the fleet view's role the bean is never built.
    @Scheduled(every = "${hulftark.agent.check-interval:10s}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = ServerRole.NotAgent.class)
    void round() {
        lastRound = Instant.now();
        core.checkAll();
    }

    public AgentCore core() {
        return core;
    }

    public KitContext context() {
        return context;
    }

    public AgentConfig config() {
        return config;
    }

    /** Reports of this node for the fleet view; empty when hulftark.cluster is not set. */
    public Optional<AgentReports> reports() {
        return Optional.ofNullable(reports);
    }

    /** This node's labels (hulftark.agent.labels). */
    public Map<String, String> labels() {
        return labels;
    }

    /** Whether this agent runs the fleet view's orders (hulftark.agent.fleet-actions.enabled). */
    public boolean fleetActions() {
        return orders.enabled();
    }

    /** Where the fleet view's orders are taken, however they come. */
    public OrderTaker orders() {
        return orders;
    }

    /** The connection on which the fleet view's orders come, when it is held. */
    public Optional<OrderChannel> orderChannel() {
        return Optional.ofNullable(channel);
    }

    /** The fleet push, when it runs. */
    public Optional<FleetPusher> pusher() {
        return Optional.ofNullable(pusher);
    }

    public static String version() {
        String v = AgentService.class.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
    }

    public String node() {
        return node;
    }

    public String mode() {
        return mode.name().toLowerCase(java.util.Locale.ROOT);
    }

    public Instant started() {
        return started;
    }

    public Instant lastRound() {
        return lastRound;
    }

    @PreDestroy
    void stop() throws Exception {
        if (channel != null) {
            channel.close(); // first: no order is taken while the agent stops
        }
        if (pusher != null) {
            pusher.close();
        }
        readiness.close();
        core.close();
        journal.close();
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return Optional.ofNullable(System.getenv("COMPUTERNAME")).orElse("localhost");
        }
    }
}
