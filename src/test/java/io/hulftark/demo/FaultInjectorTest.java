package io.hulftark.demo;

import io.hulftark.demo.DemoFakes.Calls;
import io.hulftark.demo.DemoFakes.FakeNode;
import io.hulftark.demo.DemoFakes.FakeTarget;
import io.hulftark.demo.DemoFakes.Lines;
import io.hulftark.demo.DemoFakes.MutableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FaultInjectorTest {

    final Calls calls = new Calls();
    final Calls faults = new Calls();
    final MutableClock clock = new MutableClock();
    final Lines out = new Lines(clock);
    DemoClusterManager.Cluster cluster;
    DemoClusterManager manager;

    @BeforeEach
    void steadyCluster() throws Exception {
        cluster = new DemoClusterManager.Cluster("demo-1", List.of(new FakeNode("node-a", calls), new FakeNode("node-b", calls)));
        manager = new DemoClusterManager(List.of(cluster), out.log, clock, Duration.ofSeconds(1));
        manager.placeAll();
        manager.step(cluster);
        assertThat(cluster.steady()).isTrue();
    }

    FaultInjector injector(FaultKind kind) {
        return new FaultInjector(manager, FaultInjector.of(Map.of("demo-1/node-a", new FakeTarget("node-a", faults),
                "demo-1/node-b", new FakeTarget("node-b", faults))), List.of(kind), Duration.ofSeconds(20),
                Duration.ofSeconds(40), SETTLE, new Random(7), out.log, clock);
    }

    static final Duration SETTLE = Duration.ofMinutes(10).plusSeconds(30);

    @Test
    void aCrashHitsTheActiveNodeAfterBothAreRepaired() {
        assertThat(injector(FaultKind.CRASH).injectOne()).isTrue();
        assertThat(faults.list).containsExactly("clearFaults node-a", "clearFaults node-b", "crash node-a");
        assertThat(out.lines()).containsExactly("fault: crash on demo-1/node-a (its HULFT service is killed)");
        assertThat(cluster.steady()).isFalse();
    }

    @Test
    void aClusterTheFleetViewActsOnGetsNoFault() {
        ((FakeNode) cluster.active()).fleetActing = true;
        manager.step(cluster);
        assertThat(injector(FaultKind.CRASH).injectOne()).isFalse();
        assertThat(faults.list).isEmpty();
        ((FakeNode) cluster.active()).fleetActing = false;
        manager.step(cluster);
        assertThat(injector(FaultKind.CRASH).injectOne()).isTrue();
    }

    @Test
    void aRefusedPortHitsTheActiveNode() {
        injector(FaultKind.REFUSED_PORT).injectOne();
        assertThat(faults.list).endsWith("refusePort node-a");
        assertThat(out.lines()).containsExactly("fault: refused port 30000 on demo-1/node-a");
    }

    @Test
    void aHungStartIsSetOnTheStandbyBeforeTheActiveNodeCrashes() {
        injector(FaultKind.HUNG_START).injectOne();
        assertThat(faults.list).endsWith("hangStart node-b", "crash node-a");
    }

    @Test
    void aSplitStartsHulftOnTheStandby() {
        injector(FaultKind.SPLIT).injectOne();
        assertThat(faults.list).endsWith("startService node-b");
        assertThat(out.lines()).containsExactly("fault: split on demo-1: HULFT started on the standby node-b too");
    }

    @Test
    void anUnreadyStandbyHasItsConfFileMadeUnreadableAndIsRepairedWhenNobodySawIt() {
        FaultInjector injector = injector(FaultKind.UNREADY_STANDBY);
        assertThat(injector.injectOne()).isTrue();
        assertThat(faults.list).containsExactly("clearFaults node-a", "clearFaults node-b", "makeConfUnreadable node-b");
        assertThat(out.lines()).containsExactly("fault: unready standby on demo-1/node-b: its conf_file "
                + "/demo/node-b/hulft/etc/hulenv.cnf cannot be read now, so a failover to it would fail (repaired in 2m)");
        faults.list.clear();

        // LifeKeeper sees nothing (the standby stays STOPPED): the node is repaired once UNSEEN_AFTER has passed.
        manager.step(cluster);
        assertThat(cluster.steady()).isTrue();
        assertThat(injector.repairSettled()).isZero();
        clock.advance(FaultInjector.UNSEEN_AFTER);
        manager.step(cluster);
        assertThat(injector.repairSettled()).isOne();
        assertThat(faults.list).containsExactly("clearFaults node-a", "clearFaults node-b");
    }

    @Test
    void aClusterThatIsNotSteadyIsLeftAlone() {
        FaultInjector injector = injector(FaultKind.CRASH);
        injector.injectOne();
        faults.list.clear();
        assertThat(injector.injectOne()).isFalse();
        assertThat(faults.list).isEmpty();
        assertThat(out.lines()).last().isEqualTo("no fault for now: the next goes to a cluster once it has been in "
                + "service for 10m30s since its last fault");
        injector.injectOne();
        assertThat(out.lines().stream().filter(l -> l.startsWith("no fault"))).as("said once").hasSize(1);
    }

    @Test
    void aClusterGetsItsNextFaultOnlyAfterBeingInServiceLongerThanTheSettleTimeAndIsRepairedFirst() {
        FaultInjector injector = injector(FaultKind.REFUSED_PORT);
        FakeNode a = (FakeNode) cluster.active();
        assertThat(injector.injectOne()).isTrue();
        faults.list.clear();

        // Still steady in LifeKeeper's eyes (the agent has not seen the refused port yet): not repaired.
        manager.step(cluster);
        assertThat(injector.repairSettled()).isZero();
        // The agent sees it; LifeKeeper fails over to node-b; steady again, so both nodes are repaired.
        a.status = "FAILED";
        manager.step(cluster);
        assertThat(cluster.active().name()).isEqualTo("node-b");
        assertThat(injector.repairSettled()).isZero();  // the failover's step itself left it unsteady
        manager.step(cluster);
        assertThat(cluster.steady()).isTrue();
        assertThat(injector.repairSettled()).isOne();
        assertThat(faults.list).containsExactly("clearFaults node-b", "clearFaults node-a");
        assertThat(out.lines()).last().asString().startsWith("repaired demo-1: its faults are cleared");

        // In service, but not for longer than the settle time yet: no fault.
        clock.advance(SETTLE);
        manager.step(cluster);
        assertThat(injector.injectOne()).isFalse();
        clock.advance(Duration.ofSeconds(1));
        manager.step(cluster);
        assertThat(injector.injectOne()).isTrue();
    }

    @Test
    void aBreakInServiceStartsTheSettleTimeAgain() {
        FaultInjector injector = injector(FaultKind.CRASH);
        injector.injectOne();
        FakeNode a = (FakeNode) cluster.active();
        a.status = "FAILED";
        manager.step(cluster);
        manager.step(cluster);
        injector.repairSettled();
        clock.advance(Duration.ofMinutes(6));
        manager.step(cluster);
        // node-b's HULFT stops on its own for a moment: the settle time counts from its return.
        FakeNode b = (FakeNode) cluster.active();
        b.status = "FAILED";
        manager.step(cluster);
        manager.step(cluster);
        clock.advance(Duration.ofMinutes(6));
        manager.step(cluster);
        assertThat(injector.injectOne()).isFalse();
        clock.advance(SETTLE);
        manager.step(cluster);
        assertThat(injector.injectOne()).isTrue();
    }

    @Test
    void theGapIsWithinItsBounds() {
        FaultInjector injector = injector(FaultKind.CRASH);
        for (int i = 0; i < 100; i++) {
            assertThat(injector.nextGap()).isBetween(Duration.ofSeconds(20), Duration.ofSeconds(40));
        }
    }

    @Test
    void badSettingsAreRefused() {
        assertThatThrownBy(() -> new FaultInjector(manager, key -> null, List.of(), Duration.ofSeconds(1),
                Duration.ofSeconds(2), SETTLE, new Random(), out.log, clock)).hasMessageContaining("no fault kinds");
        assertThatThrownBy(() -> new FaultInjector(manager, key -> null, List.of(FaultKind.CRASH), Duration.ofSeconds(2),
                Duration.ofSeconds(1), SETTLE, new Random(), out.log, clock)).hasMessageContaining("shorter than the shortest");
    }

    /** A node's simulated HULFT as the fakes see it: each fault changes what its fake node reports. */
    record LinkedTarget(FakeNode node) implements FaultTarget {
        @Override
        public void crash() {
            node.status = "FAILED";
        }

        @Override
        public int refusePort() {
            node.status = "FAILED";
            return 30000;
        }

        @Override
        public void hangStart() {
            node.outcomes.add(false);  // its next restore fails, as one stopped at LKHULFT_TIMEOUT
        }

        @Override
        public void startService() {
            node.status = "RUNNING";
        }

        @Override
        public java.nio.file.Path makeConfUnreadable() {
            // nothing its agent's check sees (a stopped standby): only its preflight would
            return java.nio.file.Path.of("hulenv.cnf");
        }

        @Override
        public void clearFaults() {
            node.outcomes.clear();
        }
    }

    @Test
    void inHalfAnHourWithTheDefaultsNoClusterChangesItsServingNodesOftenEnoughToFlap() throws Exception {
        Map<String, FaultTarget> targets = new java.util.HashMap<>();
        List<DemoClusterManager.Cluster> clusters = new java.util.ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            FakeNode a = new FakeNode("node-a", calls);
            FakeNode b = new FakeNode("node-b", calls);
            clusters.add(new DemoClusterManager.Cluster("demo-" + i, List.of(a, b)));
            targets.put("demo-" + i + "/node-a", new LinkedTarget(a));
            targets.put("demo-" + i + "/node-b", new LinkedTarget(b));
        }
        DemoClusterManager lk = new DemoClusterManager(clusters, out.log, clock, Duration.ofSeconds(1));
        lk.placeAll();
        FaultInjector injector = new FaultInjector(lk, FaultInjector.of(targets), List.of(FaultKind.values()),
                Duration.ofSeconds(20), Duration.ofSeconds(40), Demo.SETTLE, new Random(11), out.log, clock);

        // One second at a time, as the demo's threads run: LifeKeeper looks at every cluster, then the injector.
        Map<String, List<java.time.Instant>> changes = new java.util.HashMap<>();
        Map<String, List<String>> serving = new java.util.HashMap<>();
        java.time.Instant start = clock.instant();
        java.time.Instant due = start.plus(injector.nextGap());
        while (clock.instant().isBefore(start.plus(Duration.ofMinutes(30)))) {
            for (DemoClusterManager.Cluster c : clusters) {
                lk.step(c);
                List<String> now = java.util.stream.Stream.of(c.active(), c.standby())
                        .filter(n -> ((FakeNode) n).status.equals("RUNNING")).map(Node::name).sorted().toList();
                List<String> before = serving.put(c.name(), now);
                if (before != null && !before.equals(now)) {
                    changes.computeIfAbsent(c.name(), k -> new java.util.ArrayList<>()).add(clock.instant());
                }
            }
            due = injector.tick(due);
            clock.advance(Duration.ofSeconds(1));
        }

        // The fleet view's rule: more than FLAP_CHANGES serving changes within FLAP_WINDOW is flapping.
        for (DemoClusterManager.Cluster c : clusters) {
            List<java.time.Instant> times = changes.getOrDefault(c.name(), List.of());
            for (java.time.Instant t : times) {
                long inWindow = times.stream().filter(x -> !x.isBefore(t) && x.isBefore(t.plus(Demo.FLAP_WINDOW))).count();
                assertThat(inWindow).as(c.name() + " serving changes in the window from " + t).isLessThanOrEqualTo(
                        Demo.FLAP_CHANGES);
            }
            assertThat(c.steady()).as(c.name() + " ends in service").isTrue();
        }
        // And the demo still shows something: every cluster went down (or split) and back, more than once.
        List<String> faultLines = out.lines().stream().filter(l -> l.startsWith("fault: ")).toList();
        for (DemoClusterManager.Cluster c : clusters) {
            assertThat(faultLines.stream().filter(l -> l.contains(" " + c.name() + "/") || l.contains(" " + c.name() + ":")))
                    .as(c.name() + "'s faults in " + faultLines).hasSizeGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void theDemoSettlesLongerThanTheFleetViewsFlappingWindow() {
        assertThat(Demo.FLAP_WINDOW).isEqualTo(Duration.ofMinutes(10));
        assertThat(Demo.FLAP_CHANGES).isEqualTo(4);
        assertThat(Demo.SETTLE).isGreaterThan(Demo.FLAP_WINDOW);
    }
}
