package io.hulftark.demo;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * Now and then disturbs one steady cluster with a fault of a kind chosen at random, and says so in one line.
 * Before it disturbs a cluster it repairs both of its nodes (clears the faults an earlier round left), as an
 * operator would have done in the meantime.
 */
public final class FaultInjector implements Runnable {

    private final DemoClusterManager manager;
    private final Function<String, FaultTarget> targets;
    private final List<FaultKind> kinds;
    private final Duration minGap;
    private final Duration maxGap;
    private final Random random;
    private final DemoLog log;

    /**
     * @param targets "CLUSTER/NODE" to that node's simulated HULFT
     * @param minGap  the shortest wait before a fault (also before the first one)
     */
    public FaultInjector(DemoClusterManager manager, Function<String, FaultTarget> targets, List<FaultKind> kinds,
                         Duration minGap, Duration maxGap, Random random, DemoLog log) {
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
        this.random = random;
        this.log = log;
    }

    /** Injects until interrupted. */
    @Override
    public void run() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(nextGap().toMillis());
            } catch (InterruptedException e) {
                return;
            }
            try {
                injectOne();
            } catch (RuntimeException e) {
                log.line("fault injection failed: " + e.getMessage());
            }
        }
    }

    Duration nextGap() {
        long spread = maxGap.toMillis() - minGap.toMillis();
        return minGap.plusMillis(spread == 0 ? 0 : (long) (random.nextDouble() * spread));
    }

    /** Disturbs one steady cluster; returns false (and says so) when none is steady. */
    boolean injectOne() {
        List<DemoClusterManager.Cluster> steady = manager.clusters().stream().filter(DemoClusterManager.Cluster::steady)
                .toList();
        if (steady.isEmpty()) {
            log.line("no fault this round: no cluster is steady yet");
            return false;
        }
        DemoClusterManager.Cluster c = steady.get(random.nextInt(steady.size()));
        FaultKind kind = kinds.get(random.nextInt(kinds.size()));
        String activeName = c.active().name();
        String standbyName = c.standby().name();
        FaultTarget active = targets.apply(c.name() + "/" + activeName);
        FaultTarget standby = targets.apply(c.name() + "/" + standbyName);
        manager.disturbed(c);
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
        }
        return true;
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
