package io.hulftark.fleet;

import io.hulftark.wire.Report;
import io.hulftark.fleet.store.FleetStore;
import io.hulftark.fleet.store.IngestResult;
import io.hulftark.fleet.view.AckView;
import io.hulftark.fleet.view.ClusterDetail;
import io.hulftark.fleet.view.ClusterPage;
import io.hulftark.fleet.view.ClusterQuery;
import io.hulftark.fleet.view.EventQuery;
import io.hulftark.fleet.view.FleetEvent;
import io.hulftark.fleet.view.MaintenanceView;
import io.hulftark.fleet.view.Summary;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class EventFeedTest {

    /** The events part of a store, whose events become visible in any order, as commits of concurrent transactions do. */
    static final class Events implements FleetStore {
        final List<FleetEvent> visible = new ArrayList<>();

        void commit(long id) {
            visible.add(new FleetEvent(id, Instant.EPOCH, "c", "n", FleetEvent.STATE, null, "event " + id, null));
        }

        @Override
        public List<FleetEvent> events(EventQuery q) {
            return visible.stream().filter(e -> e.id() > q.afterId()).sorted(Comparator.comparingLong(FleetEvent::id))
                    .limit(q.limit()).toList();
        }

        @Override
        public long lastEventId() {
            return visible.stream().mapToLong(FleetEvent::id).max().orElse(0);
        }

        @Override public IngestResult ingest(Report r, Instant t) { throw new UnsupportedOperationException(); }
        @Override public int reevaluateDue(Instant now) { throw new UnsupportedOperationException(); }
        @Override public Summary summary(Instant now) { throw new UnsupportedOperationException(); }
        @Override public ClusterPage clusters(ClusterQuery q, Instant now) { throw new UnsupportedOperationException(); }
        @Override public Optional<ClusterDetail> cluster(String n, int h, Instant now) { throw new UnsupportedOperationException(); }
        @Override public AckView acknowledge(String c, String b, String m, Instant u, boolean s, Instant n) { throw new UnsupportedOperationException(); }
        @Override public boolean removeAcknowledgement(String c, long id, String b, Instant n) { throw new UnsupportedOperationException(); }
        @Override public MaintenanceView addMaintenance(String c, io.hulftark.fleet.state.Maintenance w, String b, Instant n) { throw new UnsupportedOperationException(); }
        @Override public boolean removeMaintenance(String c, long id, String b, Instant n) { throw new UnsupportedOperationException(); }
        @Override public boolean forgetNode(String c, String n, String b, Instant now) { throw new UnsupportedOperationException(); }
        @Override public long prune(Instant before) { throw new UnsupportedOperationException(); }
        @Override public void close() { }
        @Override public List<io.hulftark.fleet.view.ClusterSnapshotRow> snapshot(Instant now) { throw new UnsupportedOperationException(); }
    }

    static final class Collector implements EventFeed.Subscriber {
        final List<Long> ids = new ArrayList<>();
        boolean open = true;

        @Override
        public boolean deliver(FleetEvent event) {
            ids.add(event.id());
            return open;
        }

        @Override
        public boolean ping() {
            return open;
        }
    }

    static final class StepClock extends Clock {
        Instant now = Instant.parse("2026-11-25T10:00:00Z");

        @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    }

    final Events store = new Events();
    final StepClock clock = new StepClock();

    @Test
    void startsAfterWhatIsAlreadyKeptAndDeliversEachNewEventOnce() {
        store.commit(1);
        store.commit(2);
        EventFeed feed = new EventFeed(store, clock, Duration.ofSeconds(2));
        Collector c = new Collector();
        feed.subscribe(c);
        store.commit(3);
        store.commit(4);
        feed.poll();
        feed.poll();
        assertThat(c.ids).containsExactly(3L, 4L);
    }

    @Test
    void aLateCommitBelowTheNewestIdIsStillDelivered() {
        EventFeed feed = new EventFeed(store, clock, Duration.ofSeconds(2));
        Collector c = new Collector();
        feed.subscribe(c);
        store.commit(1);
        store.commit(3); // 2 is still in flight
        feed.poll();
        assertThat(c.ids).containsExactly(1L, 3L);
        assertThat(feed.watermark()).isEqualTo(1);
        store.commit(2);
        feed.poll();
        assertThat(c.ids).containsExactly(1L, 3L, 2L);
        assertThat(feed.watermark()).isEqualTo(3);
    }

    @Test
    void anIdThatNeverCommitsIsGivenUpAfterThePatience() {
        EventFeed feed = new EventFeed(store, clock, Duration.ofSeconds(2));
        Collector c = new Collector();
        feed.subscribe(c);
        store.commit(2); // 1 rolled back
        feed.poll();
        clock.now = clock.now.plusSeconds(3);
        feed.poll();
        assertThat(feed.watermark()).isEqualTo(2);
        store.commit(3);
        feed.poll();
        assertThat(c.ids).containsExactly(2L, 3L);
    }

    @Test
    void moreThanOneBatchIsReadInOneRound() {
        EventFeed feed = new EventFeed(store, clock, Duration.ofSeconds(2));
        Collector c = new Collector();
        feed.subscribe(c);
        for (long id = 1; id <= EventFeed.BATCH * 2 + 5; id++) {
            store.commit(id);
        }
        assertThat(feed.poll()).isEqualTo(EventFeed.BATCH * 2 + 5);
        assertThat(c.ids).hasSize(EventFeed.BATCH * 2 + 5);
    }

    @Test
    void aClosedStreamIsForgotten() {
        EventFeed feed = new EventFeed(store, clock, Duration.ofSeconds(2));
        Collector gone = new Collector();
        Collector alive = new Collector();
        feed.subscribe(gone);
        feed.subscribe(alive);
        gone.open = false;
        store.commit(1);
        feed.poll();
        assertThat(feed.subscribers()).isEqualTo(1);
        feed.pingAll();
        assertThat(feed.subscribers()).isEqualTo(1);
        alive.open = false;
        feed.pingAll();
        assertThat(feed.subscribers()).isZero();
    }

    @Test
    void replayGivesWhatAReconnectingStreamMissed() {
        store.commit(1);
        store.commit(2);
        store.commit(3);
        EventFeed feed = new EventFeed(store, clock, Duration.ofSeconds(2));
        List<Long> got = new ArrayList<>();
        assertThat(feed.replay(1, Optional.empty(), e -> got.add(e.id()))).isEqualTo(3);
        assertThat(got).containsExactly(2L, 3L);
    }

    @Test
    void idsTheStoreLostWhenItCouldNotWriteAreDeliveredWhenTheyComeAgain() {
        EventFeed feed = new EventFeed(store, clock, Duration.ofSeconds(2));
        Collector c = new Collector();
        feed.subscribe(c);
        store.commit(1);
        store.commit(2); // seen, then lost: H2 closed the database before it was written
        feed.poll();
        store.visible.removeIf(e -> e.id() == 2);
        feed.rewind(store.lastEventId());
        store.commit(2); // the reopened database hands id 2 out again, to another event
        feed.poll();
        assertThat(c.ids).containsExactly(1L, 2L, 2L);
        assertThat(feed.watermark()).isEqualTo(2);
    }
}
