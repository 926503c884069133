package io.hulftark.demo;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The demo's stand-in for LifeKeeper: for each two-node cluster it keeps HULFT in service on one node. It watches
 * both agents; when the active node's resource is FAILED it runs {@code remove} there and {@code restore} on the
 * other node (a failover), falling back to the first node if that restore fails; when HULFT also runs on the
 * standby (split) it removes it there. One thread per cluster, so a hung action holds up only its own cluster.
 *
 * <p>It never fights the fleet view: HULFT that an operator moved (stopped on the active node, running on the
 * other) is adopted where it runs, and while the fleet view acts on a cluster (and for a while after its last step,
 * which a switchover's next step or its wait for OK follows) the cluster is left alone: no failover, no split
 * repair, no fault.
 */
public final class DemoClusterManager implements AutoCloseable {

    static final String REASON = "demo LifeKeeper";

    /** After a failover that failed on both nodes, LifeKeeper waits this long before trying again. */
    static final Duration RETRY_AFTER_DOUBLE_FAILURE = Duration.ofSeconds(30);
    static final int PLACE_ATTEMPTS = 3;
    /**
     * How long after a fleet action's step a cluster is still left alone: longer than the fleet view takes to learn
     * a step's end and deliver the next one, and than a switchover's wait for the cluster to be OK on its target.
     */
    static final Duration FLEET_GRACE = Duration.ofSeconds(30);

    /** One cluster: its name, its two nodes, and which of them should serve HULFT. */
    public static final class Cluster {
        private final String name;
        private final List<Node> nodes;
        private volatile int active;
        private volatile boolean steady;
        /** Since when steady without a break; null while not steady. */
        private volatile Instant steadySince;
        /** The last fault injected; null before the first. */
        private volatile Instant disturbedAt;
        /** Seen not steady since the last fault: LifeKeeper (this demo) has reacted to it. */
        private volatile boolean reacted;
        private volatile Instant quietUntil = Instant.MIN;
        /** The fleet view acts on it (or did a moment ago): hands off. */
        private volatile boolean fleetActing;
        private final Map<String, Boolean> reachable = new LinkedHashMap<>();

        public Cluster(String name, List<Node> nodes) {
            if (nodes.size() != 2) {
                throw new IllegalArgumentException("a demo cluster has two nodes, not " + nodes.size());
            }
            this.name = Objects.requireNonNull(name);
            this.nodes = List.copyOf(nodes);
        }

        public String name() {
            return name;
        }

        public Node active() {
            return nodes.get(active);
        }

        public Node standby() {
            return nodes.get(1 - active);
        }

        /** HULFT runs on the active node only, both agents answer, and nothing is being done about it. */
        public boolean steady() {
            return steady;
        }

        /** Whether the fleet view acts on the cluster now (or did a moment ago): no fault, no reaction. */
        public boolean fleetActing() {
            return fleetActing;
        }

        /** Since when the cluster has been steady without a break; null while it is not. */
        public Instant steadySince() {
            return steadySince;
        }

        /** When the last fault was injected; null before the first. */
        public Instant disturbedAt() {
            return disturbedAt;
        }

        /**
         * The last fault has run its course: the cluster was seen disturbed after it and is steady again (or, for a
         * fault that nobody could see, has stayed steady for {@code unseenAfter}).
         */
        public boolean settled(Instant now, Duration unseenAfter) {
            Instant since = steadySince;
            return disturbedAt != null && steady && since != null
                    && (reacted || !now.isBefore(disturbedAt.plus(unseenAfter)));
        }

        private void observedSteady(boolean nowSteady, Instant now) {
            if (nowSteady && steadySince == null) {
                steadySince = now;
            } else if (!nowSteady) {
                steadySince = null;
                if (disturbedAt != null) {
                    reacted = true;
                }
            }
            steady = nowSteady;
        }
    }

    private final List<Cluster> clusters;
    private final DemoLog log;
    private final Clock clock;
    private final Duration interval;
    private ExecutorService loops;

    public DemoClusterManager(List<Cluster> clusters, DemoLog log, Clock clock, Duration interval) {
        this.clusters = List.copyOf(clusters);
        this.log = log;
        this.clock = clock;
        this.interval = interval;
    }

    public List<Cluster> clusters() {
        return clusters;
    }

    /** Brings every cluster into service on its first node and out of service on the second, all clusters at once. */
    public boolean placeAll() throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(clusters.size());
        try {
            List<java.util.concurrent.Future<Boolean>> done = new ArrayList<>();
            for (Cluster c : clusters) {
                done.add(pool.submit(() -> placeWithRetries(c)));
            }
            boolean all = true;
            for (var f : done) {
                try {
                    all &= f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    all = false;
                }
            }
            return all;
        } finally {
            pool.shutdownNow();
        }
    }

    /** A young agent on a busy machine may not answer at first: the first placement is tried three times. */
    private boolean placeWithRetries(Cluster c) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            if (place(c)) {
                return true;
            }
            if (attempt == PLACE_ATTEMPTS) {
                return false;
            }
            Duration pause = interval.multipliedBy(5);
            log.line("trying " + c.name + " again in " + pause.toSeconds() + " s");
            Thread.sleep(pause.toMillis());
        }
    }

    private boolean place(Cluster c) {
        Node.Outcome removed = c.standby().act("remove", REASON + ": " + c.standby().name() + " is the standby");
        Node.Outcome restored = c.active().act("restore", REASON + ": bring " + c.name + " into service");
        c.active().checkNow();
        c.standby().checkNow();
        if (!restored.succeeded() || !removed.succeeded()) {
            log.line("cannot bring " + c.name + " into service on " + c.active().name() + ": "
                    + (restored.succeeded() ? "remove on " + c.standby().name() + " " + removed.detail()
                    : "restore " + restored.detail()));
            return false;
        }
        return true;
    }

    /** Watches every cluster on its own thread until {@link #close()}. */
    public synchronized void start() {
        loops = Executors.newFixedThreadPool(clusters.size(), r -> {
            Thread t = new Thread(r, "demo-lifekeeper");
            t.setDaemon(true);
            return t;
        });
        for (Cluster c : clusters) {
            loops.submit(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    step(c);
                    try {
                        Thread.sleep(interval.toMillis());
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }
    }

    /** The injector calls this before it disturbs a cluster, so it is not chosen again until it is steady. */
    public void disturbed(Cluster c) {
        c.steady = false;
        c.steadySince = null;
        c.reacted = false;
        c.disturbedAt = clock.instant();
    }

    /** One look at a cluster and, when needed, LifeKeeper's reaction. Package-visible for the tests. */
    void step(Cluster c) {
        Instant now = clock.instant();
        boolean acting = c.nodes.stream().anyMatch(n -> n.fleetActing(now, FLEET_GRACE));
        if (acting != c.fleetActing) {
            log.line(acting ? "the fleet view acts on " + c.name + ": LifeKeeper (this demo) leaves it alone meanwhile"
                    : "the fleet view is done with " + c.name + ": LifeKeeper (this demo) watches it again");
            c.fleetActing = acting;
        }
        if (acting) {
            return;
        }
        Node active = c.active();
        Node standby = c.standby();
        Node.Observation a = observe(c, active);
        Node.Observation s = observe(c, standby);
        if (s.is("RUNNING") && a.is("STOPPED")) {
            // Moved by an operator (a switchover, or remove and restore): HULFT is in service where it runs now.
            c.active = 1 - c.active;
            log.line(c.name + " is served by " + standby.name() + " now (stopped on " + active.name()
                    + "): LifeKeeper (this demo) keeps it there");
            c.observedSteady(true, clock.instant());
        } else if (a.is("FAILED")) {
            c.observedSteady(false, clock.instant());
            if (clock.instant().isBefore(c.quietUntil)) {
                return;
            }
            log.line("detected " + c.name + ": " + active.name() + " FAILED (" + a.reason() + ")");
            failover(c, active, standby);
        } else if (s.is("RUNNING")) {
            c.observedSteady(false, clock.instant());
            log.line("detected " + c.name + ": HULFT runs on " + active.name() + " and " + standby.name()
                    + " (split); removing it from the standby " + standby.name());
            Node.Outcome r = standby.act("remove", REASON + ": split, " + active.name() + " is active");
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
            standby.checkNow();
            log.line(r.succeeded() ? "split " + c.name + " resolved: HULFT removed from " + standby.name() + " ("
                    + r.detail() + ")" : "remove on " + c.name + "/" + standby.name() + " failed: " + r.detail());
        } else {
            c.observedSteady(a.is("RUNNING") && s.is("STOPPED"), clock.instant());
        }
    }

    private void failover(Cluster c, Node from, Node to) {
        Node.Outcome removed = from.act("remove", REASON + ": failover to " + to.name());
        if (Thread.currentThread().isInterrupted()) {
            return; // the demo ends: an interrupted action is no failure to report
        }
        if (!removed.succeeded()) {
            // LifeKeeper goes on: the other node's restore is what brings the service back.
            log.line("remove on " + c.name + "/" + from.name() + " failed (" + removed.detail() + "); going on");
        }
        Node.Outcome restored = to.act("restore", REASON + ": failover from " + from.name());
        if (Thread.currentThread().isInterrupted()) {
            return;
        }
        if (restored.succeeded()) {
            c.active = 1 - c.active;
            from.checkNow();
            to.checkNow();
            log.line("failover " + c.name + ": " + from.name() + " → " + to.name() + " (restore " + restored.detail() + ")");
            return;
        }
        log.line("failover " + c.name + " to " + to.name() + " failed (restore " + restored.detail()
                + "); restoring on " + from.name() + " again");
        to.act("remove", REASON + ": failed restore");
        Node.Outcome back = from.act("restore", REASON + ": failover to " + to.name() + " failed");
        if (Thread.currentThread().isInterrupted()) {
            return;
        }
        from.checkNow();
        to.checkNow();
        if (back.succeeded()) {
            log.line("recovered " + c.name + " on " + from.name() + " (restore " + back.detail() + ")");
        } else {
            c.quietUntil = clock.instant().plus(RETRY_AFTER_DOUBLE_FAILURE);
            log.line(c.name + " is down: restore failed on both nodes (" + back.detail() + "); trying again in "
                    + RETRY_AFTER_DOUBLE_FAILURE.toSeconds() + " s");
        }
    }

    private Node.Observation observe(Cluster c, Node n) {
        Node.Observation o = n.observe();
        if (Thread.currentThread().isInterrupted()) {
            return o; // the demo ends: a look cut short says nothing about the agent
        }
        boolean up = !o.is(Node.Observation.UNREACHABLE);
        Boolean before;
        synchronized (c.reachable) {
            before = c.reachable.put(n.name(), up);
        }
        if (before != null && before != up) {
            log.line(up ? "agent " + c.name + "/" + n.name() + " answers again"
                    : "agent " + c.name + "/" + n.name() + " does not answer: " + o.reason());
        }
        return o;
    }

    @Override
    public synchronized void close() {
        if (loops != null) {
            loops.shutdownNow();
        }
    }
}
