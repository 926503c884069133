package io.hulftark.demo;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;

/**
 * Now and then disturbs one steady cluster with a fault of a kind chosen at random, and says so in one line.
 *
 * <p>The demo must show OK → DOWN/SPLIT → OK, never a cluster the fleet view calls flapping because of the demo's
 * own faults. The fleet view calls a cluster flapping when its serving nodes changed more than a few times within
 * its flapping window; one fault changes them about twice (down, then served elsewhere; or split, then one again).
 * So a cluster gets a new fault only once it has been steady for longer than that window ({@code settle}): the
 * changes of its last fault have then aged out, whatever the fault cost. Once LifeKeeper (this demo) has reacted
 * and the cluster is steady again, its nodes are repaired (their kept faults cleared, as an operator would), so a
 * refused port or a hung start left behind never fails a later failover back to that node.
 */
public final class FaultInjector implements Runnable {

    /** How often the injector looks at the clusters (repairs, and whether the next fault is due). */
    static final Duration TICK = Duration.ofSeconds(1);
    /** A fault nobody saw (the cluster stayed steady): its nodes are repaired after this long. */
    static final Duration UNSEEN_AFTER = Duration.ofMinutes(2);

    private final DemoClusterManager manager;
    private final Function<String, FaultTarget> targets;
    private final List<FaultKind> kinds;
    private final Duration minGap;
    private final Duration maxGap;
    private final Duration settle;
    private final Random random;
    private final DemoLog log;
    private final Clock clock;
    /** Disturbed and not repaired yet. */
    private final Set<String> unrepaired = new LinkedHashSet<>();
    private boolean saidWaiting;

    /**
     * @param targets "CLUSTER/NODE" to that node's simulated HULFT
     * @param minGap  the shortest wait before a fault (also before the first one)
     * @param settle  how long a cluster that had a fault must have been steady before its next one: longer than
     *                the fleet view's flapping window
     */
    public FaultInjector(DemoClusterManager manager, Function<String, FaultTarget> targets, List<FaultKind> kinds,
                         Duration minGap, Duration maxGap, Duration settle, Random random, DemoLog log, Clock clock) {
        if (kinds.isEmpty()) {
            throw new IllegalArgumentException("no fault kinds to choose from");
        }
        if (maxGap.compareTo(minGap) < 0) {
            throw new IllegalArgumentException("the longest gap between faults is shorter than the shortest");
        }
        this.manager = manager;
        this.targets = targets;
        this.kinds = List.copyOf(kinds);
        this.minGap = minGap;
        this.maxGap = maxGap;
        this.settle = settle;
        this.random = random;
        this.log = log;
        this.clock = clock;
    }

    /** Repairs and injects until interrupted. */
    @Override
    public void run() {
        Instant due = clock.instant().plus(nextGap());
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(TICK.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            try {
                due = tick(due);
            } catch (RuntimeException e) {
                log.line("fault injection failed: " + e.getMessage());
                due = clock.instant().plus(nextGap());
            }
        }
    }

    /** One look: repairs what settled and, when the fault is due, injects one; returns when the next is due. */
    Instant tick(Instant due) {
        repairSettled();
        if (!clock.instant().isBefore(due) && injectOne()) {
            return clock.instant().plus(nextGap());
        }
        return due;
    }

    /**
     * May this cluster have a fault now: steady, repaired since its last fault, and steady for longer than
     * {@code settle} since then (a cluster never disturbed only needs to be steady).
     */
    boolean eligible(DemoClusterManager.Cluster c, Instant now) {
        if (!c.steady() || c.fleetActing() || unrepaired.contains(c.name())) {
            return false;
        }
        Instant since = c.steadySince();
        return c.disturbedAt() == null || since != null && now.isAfter(since.plus(settle));
    }

    /** Clears the kept faults of both nodes of every disturbed cluster that has settled; returns how many. */
    int repairSettled() {
        int repaired = 0;
        Instant now = clock.instant();
        for (DemoClusterManager.Cluster c : manager.clusters()) {
            if (unrepaired.contains(c.name()) && c.settled(now, UNSEEN_AFTER)) {
                targets.apply(c.name() + "/" + c.active().name()).clearFaults();
                targets.apply(c.name() + "/" + c.standby().name()).clearFaults();
                unrepaired.remove(c.name());
                repaired++;
                log.line("repaired " + c.name() + ": its faults are cleared; its next fault comes after "
                        + human(settle) + " in service (longer than the fleet view's flapping window)");
            }
        }
        return repaired;
    }

    Duration nextGap() {
        long spread = maxGap.toMillis() - minGap.toMillis();
        return minGap.plusMillis(spread == 0 ? 0 : (long) (random.nextDouble() * spread));
    }

    /** Disturbs one eligible cluster; returns false (and says so once) when none is. */
    boolean injectOne() {
        Instant now = clock.instant();
        List<DemoClusterManager.Cluster> steady = manager.clusters().stream().filter(c -> eligible(c, now)).toList();
        if (steady.isEmpty()) {
            if (!saidWaiting) {
                log.line("no fault for now: the next goes to a cluster once it has been in service for "
                        + human(settle) + " since its last fault");
                saidWaiting = true;
            }
            return false;
        }
        saidWaiting = false;
        DemoClusterManager.Cluster c = steady.get(random.nextInt(steady.size()));
        FaultKind kind = kinds.get(random.nextInt(kinds.size()));
        String activeName = c.active().name();
        String standbyName = c.standby().name();
        FaultTarget active = targets.apply(c.name() + "/" + activeName);
        FaultTarget standby = targets.apply(c.name() + "/" + standbyName);
        manager.disturbed(c);
        unrepaired.add(c.name());
        active.clearFaults();
        standby.clearFaults();
        switch (kind) {
            case CRASH -> {
                log.line("fault: crash on " + c.name() + "/" + activeName + " (its HULFT service is killed)");
                active.crash();
            }
            case REFUSED_PORT -> {
                int port = active.refusePort();
                log.line("fault: refused port " + port + " on " + c.name() + "/" + activeName);
            }
            case HUNG_START -> {
                standby.hangStart();
                log.line("fault: hung start on " + c.name() + "/" + standbyName + ", then a crash on " + activeName
                        + " (the failover's restore will hang until LKHULFT_TIMEOUT)");
                active.crash();
            }
            case SPLIT -> {
                log.line("fault: split on " + c.name() + ": HULFT started on the standby " + standbyName + " too");
                standby.startService();
            }
            case UNREADY_STANDBY -> {
                // Nothing fails now, so LifeKeeper (this demo) sees nothing: the standby's preflight tells the fleet
                // view, which marks the cluster DEGRADED until the repair (UNSEEN_AFTER) puts the file back.
                java.nio.file.Path conf = standby.makeConfUnreadable();
                log.line("fault: unready standby on " + c.name() + "/" + standbyName + ": its conf_file " + conf
                        + " cannot be read now, so a failover to it would fail (repaired in " + human(UNSEEN_AFTER)
                        + ")");
            }
        }
        return true;
    }

    /** PT10M30S → 10m30s. */
    static String human(Duration d) {
        return d.toString().substring(2).toLowerCase(Locale.ROOT);
    }

    /** For the tests: a map of targets as the lookup. */
    static Function<String, FaultTarget> of(Map<String, FaultTarget> targets) {
        return key -> {
            FaultTarget t = targets.get(key);
            if (t == null) {
                throw new IllegalArgumentException("no node " + key);
            }
            return t;
        };
    }
}
