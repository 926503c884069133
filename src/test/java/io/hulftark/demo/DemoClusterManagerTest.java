package io.hulftark.demo;

import io.hulftark.demo.DemoFakes.Calls;
import io.hulftark.demo.DemoFakes.FakeNode;
import io.hulftark.demo.DemoFakes.Lines;
import io.hulftark.demo.DemoFakes.MutableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DemoClusterManagerTest {

    final Calls calls = new Calls();
    final MutableClock clock = new MutableClock();
    final Lines out = new Lines(clock);
    FakeNode a;
    FakeNode b;
    DemoClusterManager.Cluster cluster;
    DemoClusterManager manager;

    @BeforeEach
    void placed() throws Exception {
        a = new FakeNode("node-a", calls);
        b = new FakeNode("node-b", calls);
        cluster = new DemoClusterManager.Cluster("demo-1", List.of(a, b));
        manager = new DemoClusterManager(List.of(cluster), out.log, clock, Duration.ofMillis(20));
        assertThat(manager.placeAll()).isTrue();
        assertThat(calls.list).containsExactly("remove node-b", "restore node-a");
        calls.list.clear();
    }

    @Test
    void aSteadyClusterIsLeftAlone() {
        manager.step(cluster);
        assertThat(calls.list).isEmpty();
        assertThat(cluster.steady()).isTrue();
        assertThat(out.lines()).isEmpty();
    }

    @Test
    void aFailedActiveNodeFailsOverToTheStandby() {
        a.status = "FAILED";
        manager.step(cluster);
        assertThat(calls.list).containsExactly("remove node-a", "restore node-b");
        assertThat(cluster.active()).isSameAs(b);
        assertThat(out.lines()).anyMatch(l -> l.startsWith("detected demo-1: node-a FAILED"))
                .anyMatch(l -> l.startsWith("failover demo-1: node-a → node-b"));
        manager.step(cluster);
        assertThat(cluster.steady()).isTrue();
    }

    @Test
    void aFailedRestoreOnTheStandbyGoesBackToTheFirstNode() {
        a.status = "FAILED";
        b.outcomes.add(false);
        manager.step(cluster);
        assertThat(calls.list).containsExactly("remove node-a", "restore node-b", "remove node-b", "restore node-a");
        assertThat(cluster.active()).isSameAs(a);
        assertThat(out.lines()).anyMatch(l -> l.startsWith("failover demo-1 to node-b failed (restore exit 1"))
                .anyMatch(l -> l.startsWith("recovered demo-1 on node-a"));
    }

    @Test
    void whenBothNodesFailLifeKeeperWaitsBeforeTryingAgain() {
        a.status = "FAILED";
        b.outcomes.add(false);
        a.outcomes.addAll(List.of(true, false));
        manager.step(cluster);
        assertThat(out.lines()).anyMatch(l -> l.startsWith("demo-1 is down: restore failed on both nodes"));
        a.status = "FAILED";
        calls.list.clear();
        clock.advance(Duration.ofSeconds(29));
        manager.step(cluster);
        assertThat(calls.list).isEmpty();
        assertThat(cluster.steady()).isFalse();
        clock.advance(Duration.ofSeconds(2));
        manager.step(cluster);
        assertThat(calls.list).containsExactly("remove node-a", "restore node-b");
        assertThat(cluster.active()).isSameAs(b);
    }

    @Test
    void aStandbyThatRunsHulftTooIsRemovedThere() {
        b.status = "RUNNING";
        manager.step(cluster);
        assertThat(calls.list).containsExactly("remove node-b");
        assertThat(cluster.active()).isSameAs(a);
        assertThat(out.lines()).anyMatch(l -> l.contains("(split)")).anyMatch(l -> l.startsWith("split demo-1 resolved"));
    }

    @Test
    void anAgentThatStopsAnsweringIsToldOnceAndNothingIsDone() {
        manager.step(cluster);
        b.status = Node.Observation.UNREACHABLE;
        manager.step(cluster);
        manager.step(cluster);
        assertThat(cluster.steady()).isFalse();
        b.status = "STOPPED";
        manager.step(cluster);
        assertThat(calls.list).isEmpty();
        assertThat(out.lines()).containsExactly("agent demo-1/node-b does not answer: fake UNREACHABLE",
                "agent demo-1/node-b answers again");
        assertThat(cluster.steady()).isTrue();
    }

    @Test
    void hulftThatAnOperatorMovedToTheStandbyIsKeptThere() {
        // A switchover in direct mode: remove on node-a, then restore on node-b.
        a.status = "STOPPED";
        manager.step(cluster);
        b.status = "RUNNING";
        manager.step(cluster);
        assertThat(calls.list).as("no split repair, no move back").isEmpty();
        assertThat(cluster.active()).isSameAs(b);
        assertThat(cluster.steady()).isTrue();
        assertThat(out.lines()).anyMatch(l -> l.startsWith("demo-1 is served by node-b now (stopped on node-a)"));
        // Served by node-b from now on: its failure fails over to node-a.
        b.status = "FAILED";
        manager.step(cluster);
        assertThat(calls.list).containsExactly("remove node-b", "restore node-a");
    }

    @Test
    void whileTheFleetViewActsOnAClusterItIsNeitherFailedOverNorRepaired() {
        b.fleetActing = true;
        a.status = "FAILED";
        manager.step(cluster);
        b.status = "RUNNING";
        manager.step(cluster);
        assertThat(calls.list).isEmpty();
        assertThat(cluster.fleetActing()).isTrue();
        assertThat(out.lines()).containsExactly(
                "the fleet view acts on demo-1: LifeKeeper (this demo) leaves it alone meanwhile");
        // Done, and still split: LifeKeeper takes over again.
        b.fleetActing = false;
        a.status = "RUNNING";
        manager.step(cluster);
        assertThat(cluster.fleetActing()).isFalse();
        assertThat(calls.list).containsExactly("remove node-b");
        assertThat(out.lines()).contains("the fleet view is done with demo-1: LifeKeeper (this demo) watches it again");
    }

    @Test
    void aFailedPlacementSaysWhyAndIsTriedThreeTimes() throws Exception {
        a.outcomes.addAll(List.of(false, false, false));
        assertThat(manager.placeAll()).isFalse();
        assertThat(out.lines()).filteredOn(l -> l.startsWith("cannot bring demo-1 into service on node-a: restore exit 1"))
                .hasSize(3);
        assertThat(out.lines()).filteredOn(l -> l.startsWith("trying demo-1 again")).hasSize(2);
    }

    @Test
    void aPlacementThatFailsOnceSucceedsTheSecondTime() throws Exception {
        a.outcomes.add(false);
        assertThat(manager.placeAll()).isTrue();
        assertThat(out.lines()).anyMatch(l -> l.startsWith("trying demo-1 again"));
    }
}
