package io.hulftark.fleet.store;

import io.hulftark.fleet.view.InventoryNode;
import io.hulftark.wire.NodeFacts;
import io.hulftark.wire.Report;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The read model's rules on an injected clock, loader and background (issue 13): no store, no sleeps. */
class InventoryReadModelTest {

    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final AtomicInteger loads = new AtomicInteger();
    /** What the next load returns (the agent version of one node a1), or a failure. */
    private final AtomicReference<String> version = new AtomicReference<>("1.0.0");
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    /** Background work handed over but not yet run. */
    private final List<Runnable> background = new ArrayList<>();

    private final InventoryReadModel model = new InventoryReadModel(previous -> {
        loads.incrementAndGet();
        if (failure.get() != null) {
            throw failure.get();
        }
        return List.of(row("a1", version.get(), Map.of("site", "osaka")));
    }, clock::get, (work, delay) -> background.add(work), Duration.ofSeconds(2),
            Duration.ofSeconds(10), Duration.ZERO);

    private static InventoryReadModel.Row row(String node, String agentVersion, Map<String, String> labels) {
        return new InventoryReadModel.Row(new InventoryNode("alpha", node, Instant.EPOCH, false, agentVersion, null,
                null, null, null, null, null, null, labels, null, null, 0, false), null, null, "[]",
                new StoreInventory.Facts());
    }

    private void advance(Duration d) {
        clock.addAndGet(d.toNanos());
    }

    private String shown() {
        return model.read().rows().get(0).node().agentVersion();
    }

    private void runBackground() {
        List<Runnable> work = new ArrayList<>(background);
        background.clear();
        work.forEach(Runnable::run);
    }

    private Report report(String node, String agentVersion, Map<String, String> labels, NodeFacts facts) {
        return new Report("alpha", node, agentVersion, Instant.EPOCH, 1, Instant.EPOCH, List.of(), List.of(), 0, null,
                labels, null, null, facts);
    }

    @Test
    void aSnapshotIsReadOnceAndServedUntilItIsOld() {
        assertThat(shown()).isEqualTo("1.0.0");
        version.set("2.0.0");
        advance(Duration.ofMillis(1999));
        assertThat(shown()).isEqualTo("1.0.0");
        assertThat(loads).hasValue(1);
        assertThat(background).isEmpty();
    }

    @Test
    void anOldSnapshotIsServedWhileOneRefresherReadsTheNext() {
        shown();
        version.set("2.0.0");
        advance(Duration.ofSeconds(3));
        // Many readers: each gets the previous snapshot at once, one refresh only is handed to the background.
        for (int i = 0; i < 5; i++) {
            assertThat(shown()).isEqualTo("1.0.0");
        }
        assertThat(background).hasSize(1);
        assertThat(loads).hasValue(1);
        runBackground();
        assertThat(loads).hasValue(2);
        assertThat(shown()).isEqualTo("2.0.0");
        // The refresher is free again: the next old snapshot is refreshed too.
        advance(Duration.ofSeconds(3));
        shown();
        assertThat(background).hasSize(1);
    }

    @Test
    void noSnapshotOlderThanTheBoundIsServed() {
        shown();
        version.set("2.0.0");
        advance(Duration.ofMillis(10_001));
        assertThat(shown()).isEqualTo("2.0.0"); // read in the reader's thread, not handed over
        assertThat(loads).hasValue(2);
    }

    @Test
    void theStoreDownIsRefusedOnceTheSnapshotIsPastTheBound() {
        shown();
        failure.set(new FleetStoreException("the store cannot be read", null));
        advance(Duration.ofSeconds(5));
        assertThat(shown()).isEqualTo("1.0.0"); // within the bound
        runBackground(); // fails, logged: the snapshot stays
        assertThat(loads).hasValue(2);
        assertThat(shown()).isEqualTo("1.0.0");
        advance(Duration.ofSeconds(6));
        assertThatThrownBy(this::shown).isInstanceOf(FleetStoreException.class);
        failure.set(null);
        version.set("2.0.0");
        assertThat(shown()).isEqualTo("2.0.0");
    }

    @Test
    void factsANewNodeOtherLabelsOrAnotherAgentInvalidateAHeartbeatDoesNot() {
        shown();
        version.set("2.0.0");
        model.ingested(report("a1", "1.0.0", Map.of("site", "osaka"), null));
        assertThat(shown()).as("a heartbeat alone").isEqualTo("1.0.0");

        NodeFacts facts = new NodeFacts("1", null, null, "Linux", "9", "21", "h", "linux", false, null, List.of(), null);
        model.ingested(report("a1", "1.0.0", Map.of("site", "osaka"), facts));
        assertThat(shown()).as("facts").isEqualTo("2.0.0");

        version.set("3.0.0");
        model.ingested(report("a2", "1.0.0", Map.of("site", "osaka"), null));
        assertThat(shown()).as("a node it does not know").isEqualTo("3.0.0");

        version.set("4.0.0");
        model.ingested(report("a1", "1.0.0", Map.of("site", "tokyo"), null));
        assertThat(shown()).as("other labels").isEqualTo("4.0.0");

        version.set("5.0.0");
        model.ingested(report("a1", "9.9.9", Map.of("site", "osaka"), null));
        assertThat(shown()).as("another agent version").isEqualTo("5.0.0");

        version.set("6.0.0");
        model.invalidate();
        assertThat(shown()).as("forgetting a node").isEqualTo("6.0.0");
        assertThat(loads).hasValue(6);
    }

    @Test
    void aRefreshThatReadBeforeAWriteDoesNotHideIt() {
        AtomicReference<InventoryReadModel> self = new AtomicReference<>();
        AtomicInteger n = new AtomicInteger();
        InventoryReadModel racing = new InventoryReadModel(previous -> {
            String shown = n.incrementAndGet() + ".0.0";
            if (n.get() == 2) {
                self.get().invalidate(); // the write commits while the background refresh reads what was before it
            }
            return List.of(row("a1", shown, Map.of()));
        }, clock::get, (work, delay) -> background.add(work), Duration.ofSeconds(2),
            Duration.ofSeconds(10), Duration.ZERO);
        self.set(racing);
        assertThat(racing.read().rows().get(0).node().agentVersion()).isEqualTo("1.0.0");
        advance(Duration.ofSeconds(3));
        racing.read();
        runBackground(); // read 2.0.0, outdated by the write meanwhile
        assertThat(racing.read().rows().get(0).node().agentVersion()).isEqualTo("3.0.0");
    }

    @Test
    void whileItIsReadTheRefresherKeepsItWarmThenStops() {
        List<Long> delays = new ArrayList<>();
        InventoryReadModel warm = new InventoryReadModel(previous -> {
            loads.incrementAndGet();
            return List.of(row("a1", version.get(), Map.of()));
        }, clock::get, (work, delay) -> {
            delays.add(delay);
            background.add(work);
        }, Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(60));
        warm.read();
        assertThat(delays).containsExactly(Duration.ofSeconds(2).toNanos());
        for (int i = 0; i < 3; i++) {
            advance(Duration.ofSeconds(2));
            runBackground();
        }
        assertThat(loads).hasValue(4); // the first read and three refreshes, none of them waited for by a reader
        assertThat(background).hasSize(1);
        version.set("2.0.0");
        advance(Duration.ofSeconds(2));
        runBackground();
        assertThat(warm.read().rows().get(0).node().agentVersion()).isEqualTo("2.0.0");
        assertThat(loads).hasValue(5);
        // No read for a minute: the refresher stops after its next read.
        advance(Duration.ofSeconds(61));
        runBackground();
        assertThat(background).isEmpty();
        assertThat(loads).hasValue(6);
    }

    @Test
    void readersWaitingForTheSameRefreshShareOneRead() throws Exception {
        CountDownLatch loading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger slowLoads = new AtomicInteger();
        InventoryReadModel slow = new InventoryReadModel(previous -> {
            slowLoads.incrementAndGet();
            loading.countDown();
            try {
                assertThat(release.await(5, TimeUnit.SECONDS)).isTrue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return List.of(row("a1", "1.0.0", Map.of()));
        }, clock::get, (work, delay) -> { }, Duration.ofSeconds(2),
                Duration.ofSeconds(10), Duration.ZERO);
        List<Thread> readers = new ArrayList<>();
        AtomicInteger served = new AtomicInteger();
        for (int i = 0; i < 8; i++) {
            Thread t = new Thread(() -> {
                slow.read();
                served.incrementAndGet();
            });
            t.start();
            readers.add(t);
        }
        assertThat(loading.await(5, TimeUnit.SECONDS)).isTrue();
        release.countDown();
        for (Thread t : readers) {
            t.join(5000);
        }
        assertThat(served).hasValue(8);
        assertThat(slowLoads).hasValue(1);
    }
}
