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
                Duration.ofSeconds(40), new Random(7), out.log);
    }

    @Test
    void aCrashHitsTheActiveNodeAfterBothAreRepaired() {
        assertThat(injector(FaultKind.CRASH).injectOne()).isTrue();
        assertThat(faults.list).containsExactly("clearFaults node-a", "clearFaults node-b", "crash node-a");
        assertThat(out.lines()).containsExactly("fault: crash on demo-1/node-a (its HULFT service is killed)");
        assertThat(cluster.steady()).isFalse();
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
    void aClusterThatIsNotSteadyIsLeftAlone() {
        FaultInjector injector = injector(FaultKind.CRASH);
        injector.injectOne();
        faults.list.clear();
        assertThat(injector.injectOne()).isFalse();
        assertThat(faults.list).isEmpty();
        assertThat(out.lines()).last().isEqualTo("no fault this round: no cluster is steady yet");
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
                Duration.ofSeconds(2), new Random(), out.log)).hasMessageContaining("no fault kinds");
        assertThatThrownBy(() -> new FaultInjector(manager, key -> null, List.of(FaultKind.CRASH), Duration.ofSeconds(2),
                Duration.ofSeconds(1), new Random(), out.log)).hasMessageContaining("shorter than the shortest");
    }
}
