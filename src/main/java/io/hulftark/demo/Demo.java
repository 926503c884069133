package io.hulftark.demo;

import io.hulftark.http.security.Role;
import io.hulftark.cli.SimSettings;
import io.hulftark.fleet.FleetConfig;
import io.hulftark.sim.SimInstallation;
import io.hulftark.sim.SimSpec;
import io.smallrye.config.WithDefault;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * The one-command demo: a fleet view, several simulated two-node HULFT clusters with a real agent per node, a
 * stand-in LifeKeeper that fails over, and a fault now and then. {@link #close()} ends every process it started
 * (also from a shutdown hook, on Ctrl-C) and removes its folder.
 */
public final class Demo implements AutoCloseable {

    static final String TAG = "hulft";
    static final String LOOPBACK_A = "127.0.0.1";
    static final String LOOPBACK_B = "127.0.0.2";
    static final List<String> NODES = List.of("node-a", "node-b");
    static final Duration CHECK_INTERVAL = Duration.ofSeconds(2);
    /**
     * LKHULFT_TIMEOUT of the simulated nodes: bounds the hung start's failover. A plain restore takes 7 to 13 s on
     * a busy two-core machine; at 15 s ordinary failovers timed out and fell back, and the extra serving changes
     * made clusters flap.
     */
    static final int KIT_TIMEOUT_SECONDS = 30;
    /**
     * LKHULFT_TIMEOUT of the drifted node (node-b of the last cluster, with three clusters or more): a difference the
     * fleet view shows as drift from the start. Longer than {@link #KIT_TIMEOUT_SECONDS}, so it still bounds a hung
     * start well within the stand-in LifeKeeper's wait.
     */
    static final int DRIFTED_TIMEOUT_SECONDS = 45;
    /** With fewer clusters none drifts: a short demo (or its test) shows every cluster OK. */
    static final int DRIFT_FROM_CLUSTERS = 3;
    /**
     * How often each agent runs its preflight (hulftark.agent.validate-interval, 10 min by default): short, so that a
     * standby made unready (and its repair) shows on the dashboard within seconds.
     */
    static final Duration VALIDATE_INTERVAL = Duration.ofSeconds(20);
    /**
     * The fleet view's flapping rule as the demo's fleet view runs it: its defaults, passed to it explicitly so that
     * the demo's fault cadence and the fleet view agree whatever the environment says.
     */
    static final Duration FLAP_WINDOW = Duration.parse("PT" + fleetDefault("flapWindow").toUpperCase(Locale.ROOT));
    static final int FLAP_CHANGES = Integer.parseInt(fleetDefault("flapChanges"));
    /**
     * A cluster's next fault comes once it has been in service this long: longer than the flapping window (by the
     * time an agent's report takes to change the fleet view's serving nodes, and then some), so the serving changes
     * of its previous fault have aged out and the demo never makes a cluster flap.
     */
    static final Duration SETTLE = FLAP_WINDOW.plusSeconds(30);
    static final Duration STARTUP_BOUND = Duration.ofSeconds(180);
    /** The agents' memory settings of deploy/linux/hulft-ark-agent.service. */
    static final List<String> AGENT_JVM = List.of("-Xmx48m", "-Xss256k", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-XX:ReservedCodeCacheSize=16m", "-XX:MaxDirectMemorySize=16m");
    static final List<String> FLEET_JVM = List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    /**
     * @param clusters       how many two-node clusters
     * @param fleet          whether to run the fleet view (without it the agents report nowhere)
     * @param faultKinds     the kinds to choose from; empty: no faults
     * @param dir            where to lay everything out; null: a new temporary folder
     * @param app            quarkus-run.jar of this build, which every child runs
     */
    public record Settings(int clusters, boolean fleet, int fleetPort, int firstAgentPort, List<FaultKind> faultKinds,
                           Duration minGap, Duration maxGap, Path dir, boolean keep, Path app, String java) {
    }

    /** One node: its simulated HULFT and its agent's port. */
    record DemoNode(String cluster, String name, String address, SimInstallation sim, int agentPort) {
        String id() {
            return cluster + "/" + name;
        }
    }

    private final Settings s;
    private final DemoLog log;
    private final Clock clock;
    private final ChildProcesses children;
    private final List<DemoNode> nodes = new ArrayList<>();
    private final CountDownLatch ended = new CountDownLatch(1);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean childDied = new AtomicBoolean();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Path dir;
    private DemoClusterManager manager;
    private Thread injector;

    public Demo(Settings settings, DemoLog log, Clock clock) {
        this.s = settings;
        this.log = log;
        this.clock = clock;
        this.children = new ChildProcesses(this::died);
    }

    /** Thrown for a condition that stops the demo before it starts, with its one-line reason. */
    public static final class CannotStart extends Exception {
        public CannotStart(String reason) {
            super(reason);
        }
    }

    /** Checks the ports and the loopback addresses; nothing is started or written before this passes. */
    public void preflight() throws CannotStart {
        if (s.fleet()) {
            requireFree(s.fleetPort(), "the fleet view's port", "--port");
        }
        for (int i = 0; i < s.clusters() * 2; i++) {
            requireFree(s.firstAgentPort() + i, "an agent's port", "--agent-ports");
        }
        try (ServerSocket b = new ServerSocket()) {
            b.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK_B), 0));
        } catch (IOException e) {
            throw new CannotStart("cannot listen on " + LOOPBACK_B + ", where the second node of each cluster runs: "
                    + e.getMessage());
        }
        if (!Files.isRegularFile(s.app())) {
            throw new CannotStart("cannot find this build's quarkus-run.jar at " + s.app());
        }
    }

    private static void requireFree(int port, String what, String option) throws CannotStart {
        if (port < 1 || port > 65535) {
            throw new CannotStart(what + " " + port + " is not a port (1 to 65535); choose another with " + option);
        }
        try (ServerSocket b = new ServerSocket()) {
            b.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK_A), port));
        } catch (IOException e) {
            throw new CannotStart("port " + port + " (" + what + ") is taken; free it or choose another with " + option);
        }
    }

    /**
     * Starts everything, then runs until {@code duration} is over (forever when empty), the fleet view dies, or the
     * thread is interrupted. Returns 0, or 1 when something did not start or a child died.
     */
    public int run(Optional<Duration> duration) throws IOException, InterruptedException {
        makeDir();
        // Credentials first: the person's operator token, one reporter token per cluster, the stand-in's token.
        Path fleetTokens = dir.resolve("fleet").resolve("tokens");
        String operator = DemoTokens.add(fleetTokens, "demo-operator", Role.OPERATOR);
        Path agentTokens = dir.resolve("agent-tokens");
        String lifeKeeperToken = DemoTokens.add(agentTokens, "demo-lifekeeper", Role.OPERATOR);
        Map<String, String> reporters = new LinkedHashMap<>();
        for (int i = 1; i <= s.clusters(); i++) {
            String cluster = "demo-" + i;
            reporters.put(cluster, DemoTokens.addReporter(fleetTokens, cluster + "-agents", cluster));
        }
        banner(operator);

        layOut();
        ChildProcesses.Child fleet = s.fleet() ? startFleet(fleetTokens) : null;
        List<ChildProcesses.Child> agents = new ArrayList<>();
        for (DemoNode n : nodes) {
            agents.add(startAgent(n, agentTokens, reporters.get(n.cluster())));
        }
        log.line("started " + (fleet == null ? "" : "the fleet view (pid " + fleet.process().pid() + ") and ")
                + agents.size() + " agents (pids " + agents.stream().map(c -> Long.toString(c.process().pid()))
                .collect(Collectors.joining(" ")) + "); waiting for them to answer");
        long until = System.nanoTime() + STARTUP_BOUND.toNanos();
        if (fleet != null && !awaitLive(fleet, s.fleetPort(), until)) {
            return 1;
        }
        for (int i = 0; i < nodes.size(); i++) {
            if (!awaitLive(agents.get(i), nodes.get(i).agentPort(), until)) {
                return 1;
            }
        }

        List<DemoClusterManager.Cluster> clusters = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i += 2) {
            clusters.add(new DemoClusterManager.Cluster(nodes.get(i).cluster(),
                    List.of(agentNode(nodes.get(i), lifeKeeperToken), agentNode(nodes.get(i + 1), lifeKeeperToken))));
        }
        manager = new DemoClusterManager(clusters, log, clock, Duration.ofSeconds(1));
        log.line("LifeKeeper (played by this demo) brings HULFT into service on node-a of every cluster");
        if (!manager.placeAll()) {
            return 1;
        }
        manager.start();
        if (!s.faultKinds().isEmpty()) {
            Map<String, FaultTarget> targets = new LinkedHashMap<>();
            nodes.forEach(n -> targets.put(n.id(), new SimFaults(n.sim())));
            injector = new Thread(new FaultInjector(manager, FaultInjector.of(targets), s.faultKinds(), s.minGap(),
                    s.maxGap(), SETTLE, new Random(), log, clock), "demo-faults");
            injector.setDaemon(true);
            injector.start();
        }
        log.line("ready: " + s.clusters() + " clusters served by node-a" + (s.faultKinds().isEmpty() ? ""
                : "; a fault every " + s.minGap().toSeconds() + (s.maxGap().equals(s.minGap()) ? ""
                : "-" + s.maxGap().toSeconds()) + " s to a cluster in service for " + FaultInjector.human(SETTLE)
                + " since its last one ("
                + s.faultKinds().stream().map(FaultKind::word).collect(Collectors.joining(", ")) + ")"));
        if (duration.isPresent()) {
            ended.await(duration.get().toMillis(), TimeUnit.MILLISECONDS);
        } else {
            ended.await();
        }
        return childDied.get() ? 1 : 0;
    }

    private static String fleetDefault(String method) {
        try {
            return FleetConfig.class.getMethod(method).getAnnotation(WithDefault.class).value();
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("FleetConfig has no " + method, e);
        }
    }

    private void banner(String operator) {
        log.plain("hulft-ark demo: " + s.clusters() + " simulated two-node HULFT clusters, a real agent on every node"
                + (s.fleet() ? ", and the fleet view." : " (no fleet view)."));
        if (s.fleet()) {
            log.plain("  Dashboard:       http://" + LOOPBACK_A + ":" + s.fleetPort() + "/");
            log.plain("  Operator token:  " + operator + "   (sign in with it; it lives as long as the demo)");
        }
        log.plain("  Each cluster demo-N has node-a (" + LOOPBACK_A + ") and node-b (" + LOOPBACK_B + "), agents on ports "
                + s.firstAgentPort() + "-" + (s.firstAgentPort() + 2 * s.clusters() - 1) + ".");
        log.plain("  This demo plays LifeKeeper: it keeps HULFT on one node per cluster, fails over when that node's");
        log.plain("  agent reports FAILED, and removes HULFT from a standby that runs it too (SPLIT). Faults it injects:");
        log.plain("  crash (HULFT killed), refused port, hung start (a failover that hangs until LKHULFT_TIMEOUT), split,");
        log.plain("  unready standby;");
        log.plain("  a cluster gets its next fault once it has been in service for " + FaultInjector.human(SETTLE)
                + " (longer than the fleet view's flapping window).");
        log.plain("  On the dashboard: OK, DOWN while nothing serves, SPLIT, then OK again on the other node.");
        if (s.clusters() >= DRIFT_FROM_CLUSTERS) {
            String last = "demo-" + s.clusters();
            log.plain("  " + last + " is DEGRADED from the start: drift, LKHULFT_TIMEOUT is " + KIT_TIMEOUT_SECONDS
                    + " on node-a and " + DRIFTED_TIMEOUT_SECONDS + " on node-b (see its page's settings table).");
        }
        log.plain("  The fault unready-standby makes a standby's conf_file unreadable: its cluster turns DEGRADED (\"failover");
        log.plain("  to node-b would fail\") within one preflight (every " + VALIDATE_INTERVAL.toSeconds()
                + " s) and OK again when repaired. Try your own:");
        log.plain("    java -jar " + s.app() + " sim fault " + dir.resolve("demo-1").resolve("node-b").resolve("hulft")
                + " conf-unreadable");
        log.plain("  (or port-held, or drift; then clear to undo).");
        log.plain("  Switch a cluster over from its page (\"Switch over to node-b\") and watch it move; the agents allow");
        log.plain("  fleet actions and carry labels (site=tokyo or site=osaka, env=demo) to filter and batch by.");
        log.plain("  Working folder: " + dir + (s.keep() ? " (kept)" : " (removed at the end)")
                + ". Ctrl-C ends the demo and every process it started.");
    }

    /** Creates the working folder (--dir, or a new temporary one). */
    Path makeDir() throws IOException {
        dir = s.dir() != null ? Files.createDirectories(s.dir()).toAbsolutePath()
                : Files.createTempDirectory("hulft-ark-demo").toAbsolutePath();
        return dir;
    }

    /** Every node's simulated HULFT, as {@link #layOut()} made them. */
    List<DemoNode> nodes() {
        return List.copyOf(nodes);
    }

    /** Lays out every node's simulated HULFT and LifeKeeper defaults in the working folder; starts nothing. */
    void layOut() throws IOException {
        int agentPort = s.firstAgentPort();
        for (int i = 1; i <= s.clusters(); i++) {
            String cluster = "demo-" + i;
            // Both nodes use the same HULFT ports, each on its own loopback address, as two hosts would.
            Map<String, Integer> ports = freePorts(SimSpec.PORT_KEYS);
            for (int j = 0; j < NODES.size(); j++) {
                String node = NODES.get(j);
                String address = j == 0 ? LOOPBACK_A : LOOPBACK_B;
                SimSpec spec = SimSpec.builder().ports(ports).myhostname(address).nodeName(node)
                        .resource(TAG, SimSpec.DEFAULT_SERVICE_NAME).build();
                SimInstallation sim = SimInstallation.create(dir.resolve(cluster).resolve(node).resolve("hulft"), spec);
                // Written as the site wrote it, not as a sim fault: a repair (fault clear) does not undo it.
                Files.writeString(sim.lkDefaultsFile(), drifted(i, j)
                        ? "# drifted on purpose: the other node has " + KIT_TIMEOUT_SECONDS + "\nLKHULFT_TIMEOUT="
                        + DRIFTED_TIMEOUT_SECONDS + "\n"
                        : "# the demo's: a hung start ends the restore within " + KIT_TIMEOUT_SECONDS
                        + " s\nLKHULFT_TIMEOUT=" + KIT_TIMEOUT_SECONDS + "\n");
                nodes.add(new DemoNode(cluster, node, address, sim, agentPort++));
            }
        }
    }

    /** Whether node {@code nodeIndex} of cluster {@code cluster} (1-based) starts drifted: node-b of the last one. */
    boolean drifted(int cluster, int nodeIndex) {
        return s.clusters() >= DRIFT_FROM_CLUSTERS && cluster == s.clusters() && nodeIndex == 1;
    }

    private Map<String, Integer> freePorts(List<String> keys) throws IOException {
        Map<String, Integer> ports = new LinkedHashMap<>();
        List<ServerSocket> held = new ArrayList<>();
        try {
            while (ports.size() < keys.size()) {
                ServerSocket a = new ServerSocket();
                held.add(a);
                a.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK_A), 0));
                try (ServerSocket b = new ServerSocket()) {
                    b.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK_B), a.getLocalPort()));
                    ports.put(keys.get(ports.size()), a.getLocalPort());
                } catch (IOException takenOnB) {
                    // try another
                }
            }
        } finally {
            for (ServerSocket h : held) {
                h.close();
            }
        }
        return ports;
    }

    /** What differs between two simulated nodes on one machine by construction (see {@link #startFleet}). */
    public static final String SAME_MACHINE_KEYS = "$exe_path,$conf_file,hulenv.*";

    private ChildProcesses.Child startFleet(Path tokens) throws IOException {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("quarkus.http.host", LOOPBACK_A);
        p.put("quarkus.http.port", Integer.toString(s.fleetPort()));
        p.put("quarkus.management.port", "0"); // health and metrics: any free port (the demo waits on the API's)
        p.put("hulftark.fleet.store", "embedded");
        p.put("hulftark.state-dir", dir.resolve("fleet").toString());
        p.put("hulftark.security.tokens-file", tokens.toString());
        p.put("hulftark.fleet.flap-window", FaultInjector.human(FLAP_WINDOW));
        p.put("hulftark.fleet.flap-changes", Integer.toString(FLAP_CHANGES));
        // Every demo node is a simulated HULFT of its own on this one machine: its folders, ports and host address
        // differ from its partner's by construction (on a real cluster they are one installation path and one
        // hulenv.cnf). Declared per node, so that the drift the demo shows is the one it injects.
        p.put("hulftark.fleet.readiness.per-node-keys", SAME_MACHINE_KEYS);
        return children.start("the fleet view", command(FLEET_JVM, p, "fleet"), Map.of("MALLOC_ARENA_MAX", "2"),
                dir.resolve("fleet").resolve("fleet.log"));
    }

    private ChildProcesses.Child startAgent(DemoNode n, Path tokens, String reporterToken) throws IOException {
        Path home = dir.resolve(n.cluster()).resolve(n.name());
        Map<String, String> p = new LinkedHashMap<>(SimSettings.of(n.sim(), home.resolve("state")));
        p.put("quarkus.http.host", LOOPBACK_A);
        p.put("quarkus.http.port", Integer.toString(n.agentPort()));
        p.put("quarkus.management.port", "0");
        p.put("hulftark.cluster", n.cluster());
        p.put("hulftark.node", n.name());
        p.put("hulftark.probe", "tcp");
        p.put("hulftark.probe-timeout", "2s");
        p.put("hulftark.agent.tags", TAG);
        p.put("hulftark.agent.action-mode", "direct");
        p.put("hulftark.agent.check-interval", CHECK_INTERVAL.toSeconds() + "s");
        p.put("hulftark.agent.validate-interval", VALIDATE_INTERVAL.toSeconds() + "s");
        p.put("hulftark.agent.failures-before-failed", "2");
        p.put("hulftark.security.tokens-file", tokens.toString());
        // Several demo agents on one machine: none takes the machine's fast-check socket (no launcher asks here).
        p.put("hulftark.agent.fast-check.enabled", "false");
        // The dashboard's switchover and batches act through these agents; the labels give its filters something.
        p.put("hulftark.agent.fleet-actions.enabled", "true");
        p.put("hulftark.agent.labels", labels(n.cluster()));
        Map<String, String> env = new LinkedHashMap<>();
        env.put("MALLOC_ARENA_MAX", "2");
        if (s.fleet()) {
            p.put("hulftark.fleet.url", "http://" + LOOPBACK_A + ":" + s.fleetPort());
            // In the environment, not on the command line, where every user of the machine could read it.
            env.put("HULFTARK_FLEET_TOKEN", reporterToken);
        }
        return children.start("the agent of " + n.id(), command(AGENT_JVM, p, "agent"), env,
                home.resolve("agent.log"));
    }

    /** Odd clusters in Tokyo, even ones in Osaka: "site=tokyo,env=demo". */
    static String labels(String cluster) {
        int number = Integer.parseInt(cluster.substring(cluster.lastIndexOf('-') + 1));
        return "site=" + (number % 2 == 1 ? "tokyo" : "osaka") + ",env=demo";
    }

    private List<String> command(List<String> jvm, Map<String, String> properties, String subcommand) {
        List<String> cmd = new ArrayList<>();
        cmd.add(s.java());
        cmd.addAll(jvm);
        properties.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.addAll(List.of("-jar", s.app().toString(), subcommand));
        return cmd;
    }

    private AgentNode agentNode(DemoNode n, String token) {
        // The kit bounds an action by LKHULFT_TIMEOUT; the wait here is only a backstop.
        return new AgentNode(n.name(), URI.create("http://" + LOOPBACK_A + ":" + n.agentPort()), token, TAG,
                Duration.ofSeconds(KIT_TIMEOUT_SECONDS * 4L));
    }

    private boolean awaitLive(ChildProcesses.Child c, int port, long untilNanos) throws InterruptedException {
        // Quarkus opens the API's port once started; any answer there (a 401 without a token) means it is up.
        URI uri = URI.create("http://" + LOOPBACK_A + ":" + port + "/api/v1");
        while (System.nanoTime() < untilNanos) {
            if (!c.process().isAlive()) {
                log.line("cannot start the demo: " + c.label() + " exited with " + c.process().exitValue() + ": "
                        + c.lastLogLine());
                return false;
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() < 500) {
                    return true;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        log.line("cannot start the demo: " + c.label() + " did not answer on port " + port + " within "
                + STARTUP_BOUND.toSeconds() + " s: " + c.lastLogLine());
        return false;
    }

    private void died(ChildProcesses.Child c) {
        childDied.set(true);
        log.line(c.label() + " ended unexpectedly (exit " + c.process().exitValue() + "): " + c.lastLogLine());
        if (c.label().equals("the fleet view")) {
            log.line("the demo ends: without the fleet view there is nothing to watch");
            ended.countDown();
        }
    }

    /** Ends every process the demo started (whole trees, the simulated HULFT services too) and removes its folder. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        ended.countDown();
        if (injector != null) {
            injector.interrupt();
        }
        if (manager != null) {
            manager.close();
        }
        // Agents first (with whatever action they run), so that nothing starts a service after the sweep below.
        int stopped = children.stopAll(Duration.ofSeconds(10));
        for (DemoNode n : nodes) {
            try {
                stopped += n.sim().processes().size();
                n.sim().stopNow();
            } catch (RuntimeException e) {
                log.line("cannot stop the simulated HULFT of " + n.id() + ": " + e.getMessage());
            }
        }
        List<ProcessHandle> left = leftovers();
        left.forEach(ProcessHandle::destroyForcibly);
        if (!left.isEmpty()) {
            log.line("killed " + left.size() + " more processes of the demo: " + left.stream()
                    .map(h -> Long.toString(h.pid())).collect(Collectors.joining(" ")));
        }
        if (dir != null && !s.keep()) {
            deleteTree(dir);
        }
        log.line("stopped " + stopped + " processes" + (dir == null ? "" : s.keep() ? "; kept " + dir
                : "; removed " + dir));
    }

    /** Any process still running whose command line names the demo's folder. */
    private List<ProcessHandle> leftovers() {
        if (dir == null) {
            return List.of();
        }
        String d = dir.toString();
        // This process and its ancestors (a shell or a test that named the folder in --dir) are not leftovers.
        java.util.Set<Long> mine = new java.util.HashSet<>();
        for (Optional<ProcessHandle> h = Optional.of(ProcessHandle.current()); h.isPresent(); h = h.get().parent()) {
            mine.add(h.get().pid());
        }
        return ProcessHandle.allProcesses().filter(h -> !mine.contains(h.pid()))
                .filter(h -> h.info().arguments().map(a -> String.join(" ", a)).orElse("").contains(d))
                .toList();
    }

    private static void deleteTree(Path root) {
        try (var walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder left behind is harmless
        }
    }
}
