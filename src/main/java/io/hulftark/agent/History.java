package io.hulftark.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.hulftark.agent.journal.LineJournal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import org.jboss.logging.Logger;

/**
 * Transitions and actions: the last {@code keep} in memory for the API, all of them in the journal,
 * from which a restarted agent takes them back.
 * <p>When the journal cannot be written (a full disk) nothing is refused and nothing thrown: the
 * event is kept in memory, in order, marked {@code PENDING} where it is an action's, and written
 * with those after it at the next write or {@link #retryPending()} that succeeds. Beyond
 * {@code maxPending} waiting events the oldest waiting transitions are dropped (counted), never
 * an action's record.
 */
public final class History {

    static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private static final Logger LOG = Logger.getLogger(History.class);
    /** Who asked, for an order of the fleet view: {@code fleet:alice}. */
    public static final String FLEET = "fleet:";
    /** Orders of the fleet view remembered by id (each a few hundred bytes). */
    static final int ORDERS_KEPT = 4096;
    private final LineJournal journal;
    private final int keep;
    private final Deque<Event> events = new ArrayDeque<>();
    private final Map<String, ActionRecord> actions;
    /**
     * The fleet view's orders by id, beyond the {@code keep} newest actions: what makes an order run at most once
     * however late it is delivered again (the journal's replay fills it after a restart).
     */
    private final Map<String, ActionRecord> orders = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ActionRecord> eldest) {
            return size() > ORDERS_KEPT;
        }
    };
    private final Deque<Pending> pending = new ArrayDeque<>();
    private final int maxPending;
    private long seq;
    private int unreadable;
    private String failure;
    private Instant failingSince;
    private long dropped;
    private Instant lastWarning;
    private static final java.time.Duration WARN_EVERY = java.time.Duration.ofMinutes(10);

    private record Pending(Event event, boolean durable) { }

    /** What the journal's disk allows: {@code writable} false while events wait in memory (and why). */
    public record JournalState(boolean writable, String reason, Instant failingSince, int pending, long dropped,
                               String dir, boolean memoryFull) { }

    public History(LineJournal journal, int keep) {
        this(journal, keep, 10_000);
    }

    public History(LineJournal journal, int keep, int maxPending) {
        this.journal = journal;
        this.keep = keep;
        this.maxPending = maxPending;
        this.actions = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, ActionRecord> eldest) {
                return size() > keep;
            }
        };
    }

    /** Takes back what the journal holds; returns the last transition of each resource. */
    public synchronized Map<String, ResourceState.Transition> replay() throws IOException {
        Map<String, ResourceState.Transition> last = new LinkedHashMap<>();
        for (String line : journal.replay()) {
            Event e;
            e = read(line);
            if (e == null) {
                unreadable++;
                continue;
            }
            if (e.action() != null) {
                e = new Event(e.seq(), e.type(), e.at(), e.tag(), e.transition(), e.action().journaled(true));
            }
            remember(e);
            seq = Math.max(seq, e.seq());
            if (e.transition() != null) {
                last.put(e.tag(), e.transition());
            }
        }
        return last;
    }

    /**
     * One record; a line where an earlier agent glued a good record to a torn fragment (before the
     * journal cut failed appends back) gives back the record at its end.
     */
    private static Event read(String line) {
        try {
            return JSON.readValue(line, Event.class);
        } catch (JsonProcessingException ex) {
            int last = line.lastIndexOf("{\"seq\":");
            if (last > 0) {
                try {
                    return JSON.readValue(line.substring(last), Event.class);
                } catch (JsonProcessingException stillNot) {
                    return null;
                }
            }
            return null;
        }
    }

    /** Lines of the journal that could not be read back at the last replay (torn, garbled). */
    public synchronized int unreadable() {
        return unreadable + journal.skipped();
    }

    public synchronized Event transition(ResourceState.Transition t) {
        return write(new Event(++seq, Event.TRANSITION, t.at(), t.tag(), t, null), false);
    }

    /** Records an action's step; a durable one is on disk when this returns. */
    public synchronized Event action(ActionRecord r, Instant at, boolean durable) {
        Event e = new Event(++seq, Event.ACTION, at, r.tag(), null, r.journaled(true));
        return write(e, durable);
    }

    /** Writes {@code e} after whatever waits; returns it as remembered (an action's record PENDING if it waits). */
    private Event write(Event e, boolean durable) {
        if (flush() && append(e, durable)) {
            recovered();
            remember(e);
            return e;
        }
        if (e.action() != null) {
            e = new Event(e.seq(), e.type(), e.at(), e.tag(), null, e.action().journaled(false));
        }
        pending.addLast(new Pending(e, durable));
        while (pending.size() > maxPending && dropOldestTransition()) {
            dropped++;
        }
        remember(e);
        return e;
    }

    private boolean dropOldestTransition() {
        for (java.util.Iterator<Pending> it = pending.iterator(); it.hasNext(); ) {
            if (it.next().event().transition() != null) {
                it.remove();
                return true;
            }
        }
        return false;
    }

    private boolean append(Event e, boolean durable) {
        try {
            journal.append(JSON.writeValueAsString(e), durable);
            return true;
        } catch (IOException | UncheckedIOException ex) {
            if (failure == null) {
                failingSince = Instant.now();
                // Once per outage, and at most every ten minutes: a disk that fills again and again must not
                // also fill the log.
                if (lastWarning == null || failingSince.isAfter(lastWarning.plus(WARN_EVERY))) {
                    lastWarning = failingSince;
                    LOG.warnf("cannot write the journal in %s: %s; events wait in memory and are written when it "
                            + "can be", journal.dir(), ex.getMessage());
                }
            }
            failure = "cannot write the journal in " + journal.dir() + ": " + ex.getMessage();
            return false;
        }
    }

    /** Nothing waits any more: the outage is over. */
    private void recovered() {
        if (failure != null && pending.isEmpty()) {
            LOG.infof("the journal in %s is written again; nothing waits in memory", journal.dir());
            failure = null;
            failingSince = null;
        }
    }

    /** Writes what waits, in order; true when nothing waits any more. */
    private boolean flush() {
        while (!pending.isEmpty()) {
            Pending p = pending.peekFirst();
            Event written = p.event();
            if (written.action() != null) {
                written = new Event(written.seq(), written.type(), written.at(), written.tag(), null,
                        written.action().journaled(true));
            }
            if (!append(written, p.durable())) {
                return false;
            }
            pending.removeFirst();
            ActionRecord a = written.action();
            if (a != null && actions.containsKey(a.id()) && actions.get(a.id()).state().equals(a.state())) {
                actions.put(a.id(), a);
            }
            if (a != null && orders.containsKey(a.id()) && orders.get(a.id()).state().equals(a.state())) {
                orders.put(a.id(), a);
            }
        }
        return true;
    }

    /** Tries again to write what waits (the check round calls it, so space that returns is used by itself). */
    public synchronized boolean retryPending() {
        if (!flush()) {
            return false;
        }
        recovered();
        return true;
    }

    public synchronized JournalState journalState() {
        return new JournalState(failure == null && pending.isEmpty(), failure, failingSince, pending.size(), dropped,
                journal.dir().toString(), pending.size() >= maxPending);
    }

    /** The newest record of every action not ended (QUEUED or RUNNING), oldest first. */
    public synchronized List<ActionRecord> unfinished() {
        return actions.values().stream().filter(a -> !a.finished()).toList();
    }

    private void remember(Event e) {
        events.addLast(e);
        while (events.size() > keep) {
            events.removeFirst();
        }
        if (e.action() != null) {
            actions.put(e.action().id(), e.action());
            if (fromFleet(e.action())) {
                orders.put(e.action().id(), e.action());
            }
        }
    }

    static boolean fromFleet(ActionRecord a) {
        return a.requestedBy() != null && a.requestedBy().startsWith(FLEET);
    }

    /** The action's latest record: one of the newest {@code keep}, or an order of the fleet view. */
    public synchronized Optional<ActionRecord> actionById(String id) {
        ActionRecord a = actions.get(id);
        return Optional.ofNullable(a != null ? a : orders.get(id));
    }

    /** The newest {@code limit} actions of a resource, newest first, each in its latest state. */
    public synchronized List<ActionRecord> actions(String tag, int limit) {
        List<ActionRecord> all = new ArrayList<>(actions.values());
        List<ActionRecord> out = new ArrayList<>();
        for (int i = all.size() - 1; i >= 0 && out.size() < limit; i--) {
            if (tag.equals(all.get(i).tag())) {
                out.add(all.get(i));
            }
        }
        return out;
    }

    public synchronized List<Event> since(Predicate<Event> after, int limit) {
        return events.stream().filter(after).limit(limit).toList();
    }

    public synchronized long lastSeq() {
        return seq;
    }
}
