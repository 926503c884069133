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

/**
 * Transitions and actions: the last {@code keep} in memory for the API, all of them in the journal,
 * from which a restarted agent takes them back.
 */
public final class History {

    static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final LineJournal journal;
    private final int keep;
    private final Deque<Event> events = new ArrayDeque<>();
    private final Map<String, ActionRecord> actions;
    private long seq;
    private int unreadable;

    public History(LineJournal journal, int keep) {
        this.journal = journal;
        this.keep = keep;
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
            try {
                e = JSON.readValue(line, Event.class);
            } catch (JsonProcessingException ex) {
                unreadable++;
                continue;
            }
            remember(e);
            seq = Math.max(seq, e.seq());
            if (e.transition() != null) {
                last.put(e.tag(), e.transition());
            }
        }
        return last;
    }

    /** Lines of the journal that could not be read back at the last replay (torn, garbled). */
    public synchronized int unreadable() {
        return unreadable + journal.skipped();
    }

    public synchronized Event transition(ResourceState.Transition t) {
        Event e = new Event(++seq, Event.TRANSITION, t.at(), t.tag(), t, null);
        write(e, false);
        return e;
    }

    /** Records an action's step; a durable one is on disk when this returns. */
    public synchronized Event action(ActionRecord r, Instant at, boolean durable) {
        Event e = new Event(++seq, Event.ACTION, at, r.tag(), null, r);
        write(e, durable);
        return e;
    }

    private void write(Event e, boolean durable) {
        try {
            journal.append(JSON.writeValueAsString(e), durable);
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot write the journal: " + ex.getMessage(), ex);
        }
        remember(e);
    }

    private void remember(Event e) {
        events.addLast(e);
        while (events.size() > keep) {
            events.removeFirst();
        }
        if (e.action() != null) {
            actions.put(e.action().id(), e.action());
        }
    }

    public synchronized Optional<ActionRecord> actionById(String id) {
        return Optional.ofNullable(actions.get(id));
    }

    /** The newest {@code limit} actions of a resource, newest first, each in its latest state. */
    public synchronized List<ActionRecord> actions(String tag, int limit) {
        List<ActionRecord> all = new ArrayList<>(actions.values());
        List<ActionRecord> out = new ArrayList<>();
        for (int i = all.size() - 1; i >= 0 && out.size() < limit; i--) {
            if (all.get(i).tag().equals(tag)) {
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
