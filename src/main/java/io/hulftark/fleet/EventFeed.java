package io.hulftark.fleet;

import io.hulftark.fleet.store.FleetStore;
import io.hulftark.fleet.view.EventQuery;
import io.hulftark.fleet.view.FleetEvent;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Tails the store's events and hands each new one to every subscriber (the SSE streams). Tailing the store,
 * not the ingest path, is what lets a stream on one fleet-view instance show reports taken by another.
 *
 * <p>Ids come from one sequence but transactions commit in any order, so id 41 may appear after 42 was read.
 * The feed keeps a watermark below which it has seen every id, reads everything above it, delivers each id once,
 * and gives a missing id up (a rolled-back transaction, or a sequence gap) after {@code gapPatience}.
 */
public final class EventFeed {

    static final int BATCH = 1000;

    /** A stream; {@code deliver} must not block. Returns false when the stream is gone. */
    public interface Subscriber {
        boolean deliver(FleetEvent event);

        /** Keeps an idle stream open through proxies; false when the stream is gone. */
        boolean ping();
    }

    private final FleetStore store;
    private final Clock clock;
    private final Duration gapPatience;
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private final TreeSet<Long> seenAbove = new TreeSet<>();
    private long watermark;
    private Instant gapSince;

    public EventFeed(FleetStore store, Clock clock, Duration gapPatience) {
        this.store = store;
        this.clock = clock;
        this.gapPatience = gapPatience;
        this.watermark = store.lastEventId();
    }

    public void subscribe(Subscriber s) {
        subscribers.add(s);
    }

    public void unsubscribe(Subscriber s) {
        subscribers.remove(s);
    }

    public int subscribers() {
        return subscribers.size();
    }

    /** One round: reads what is new and delivers it. Called by one thread at a time. */
    public synchronized int poll() {
        int delivered = 0;
        long from = watermark; // from the watermark first: late commits below the newest id are found there
        List<FleetEvent> batch;
        do {
            batch = store.events(new EventQuery(from, Optional.empty(), Optional.empty(), BATCH));
            for (FleetEvent e : batch) {
                if (e.id() > watermark && seenAbove.add(e.id())) {
                    delivered++;
                    deliver(e);
                }
            }
            if (!batch.isEmpty()) {
                from = batch.get(batch.size() - 1).id();
            }
        } while (batch.size() == BATCH);
        advance();
        return delivered;
    }

    /**
     * After the store could not write (H2 closed its database on a full disk): ids above {@code lastKept} were
     * never kept, and the store may hand them out again; they are read and delivered as new.
     */
    public synchronized void rewind(long lastKept) {
        watermark = Math.min(watermark, lastKept);
        seenAbove.removeIf(id -> id > lastKept);
    }

    /** Pings every subscriber and forgets the streams that are gone. */
    public void pingAll() {
        for (Subscriber s : subscribers) {
            boolean alive;
            try {
                alive = s.ping();
            } catch (RuntimeException ex) {
                alive = false;
            }
            if (!alive) {
                subscribers.remove(s);
            }
        }
    }

    long watermark() {
        return watermark;
    }

    private void deliver(FleetEvent e) {
        for (Subscriber s : subscribers) {
            boolean alive;
            try {
                alive = s.deliver(e);
            } catch (RuntimeException ex) {
                alive = false;
            }
            if (!alive) {
                subscribers.remove(s);
            }
        }
    }

    private void advance() {
        while (!seenAbove.isEmpty() && seenAbove.first() == watermark + 1) {
            watermark = seenAbove.pollFirst();
        }
        if (seenAbove.isEmpty()) {
            gapSince = null;
            return;
        }
        Instant now = clock.instant();
        if (gapSince == null) {
            gapSince = now;
        } else if (!now.isBefore(gapSince.plus(gapPatience))) {
            // The ids below the first one seen are given up: they never committed.
            watermark = seenAbove.first() - 1;
            gapSince = null;
            advance();
        }
    }

    /** Runs {@code task} for each new event after a client's Last-Event-ID; the replay a reconnecting stream needs. */
    public long replay(long afterId, Optional<String> cluster, Consumer<FleetEvent> task) {
        long last = afterId;
        List<FleetEvent> batch = store.events(new EventQuery(afterId, Optional.empty(), cluster, BATCH));
        for (FleetEvent e : batch) {
            task.accept(e);
            last = Math.max(last, e.id());
        }
        return last;
    }
}
