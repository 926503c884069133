package io.hulftark.agent;

import io.hulftark.wire.Status;

import io.hulftark.kit.Action;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.ArrayList;
import org.jboss.logging.Logger;
import java.util.concurrent.Semaphore;

/**
 * The node agent without its framework: the resources it watches, their checks (never two of one
 * resource at once), their status with its threshold, the actions asked of it, and the history.
 */
public final class AgentCore implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(AgentCore.class);

    /** What the metrics and the fleet push hear of. */
    public interface Listener {
        default void checked(CheckResult check, Status status) { }

        default void transition(ResourceState.Transition t) { }

        default void actionEnded(ActionRecord record) { }

        /** Every event written to the history (transitions and each step of an action), after it is written. */
        default void recorded(Event event) { }

        /** Tells each of {@code listeners}, in order. */
        static Listener all(Listener... listeners) {
            List<Listener> all = List.of(listeners);
            return new Listener() {
                @Override
                public void checked(CheckResult check, Status status) {
                    all.forEach(l -> l.checked(check, status));
                }

                @Override
                public void transition(ResourceState.Transition t) {
                    all.forEach(l -> l.transition(t));
                }

                @Override
                public void actionEnded(ActionRecord record) {
                    all.forEach(l -> l.actionEnded(record));
                }

                @Override
                public void recorded(Event event) {
                    all.forEach(l -> l.recorded(event));
                }
            };
        }
    }

    /**
     * An action refused before it was queued: 429 when the resource's queue is full, 503 when the
     * journal's disk cannot take more; {@code retryAfterSeconds} for the answer's Retry-After.
     */
    public static final class Refused extends RuntimeException {
        private final int status;
        private final String kind;
        private final long retryAfterSeconds;

        Refused(int status, String kind, long retryAfterSeconds, String detail) {
            super(detail, null, false, false);
            this.status = status;
            this.kind = kind;
            this.retryAfterSeconds = retryAfterSeconds;
        }

        public int status() {
            return status;
        }

        public String kind() {
            return kind;
        }

        public long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }

    private record Queued(ActionRecord record, Action action) { }

    private static final class Slot {
        final ResourceState state;
        // A semaphore, not a lock: the scheduled round takes it and the pool thread that checks gives it back.
        final Semaphore checking = new Semaphore(1);
        final Deque<CheckResult> checks = new ArrayDeque<>();
        // Actions waiting for their turn, guarded by the slot; one runner drains them, so a waiting action holds no thread.
        final Deque<Queued> queue = new ArrayDeque<>();
        int reserved;
        boolean draining;
        long typicalMillis = 5_000; // of this resource's recent actions, for Retry-After

        Slot(ResourceState state) {
            this.state = state;
        }
    }

    private final Map<String, Slot> slots = new LinkedHashMap<>();
    private final Checker checker;
    private final ResourceDirectory directory;
    private final ActionExecutor executor;
    private final History history;
    private final int checksKept;
    private final Clock clock;
    private final Listener listener;
    private final int maxQueued;
    private volatile boolean closed;
    // Orders of the fleet view: "is this id known?" and its first record happen as one step.
    private final Object orders = new Object();
    private final ExecutorService checkPool = Executors.newCachedThreadPool(daemon("agent-check"));
    private final ExecutorService actionPool = Executors.newCachedThreadPool(daemon("agent-action"));

    public AgentCore(List<String> tags, Checker checker, ResourceDirectory directory, ActionExecutor executor,
                     History history, int failuresBeforeFailed, int checksKept, Clock clock, Listener listener) {
        this(tags, checker, directory, executor, history, failuresBeforeFailed, checksKept, 16, clock, listener);
    }

    /** @param maxQueued actions of one resource that may wait for their turn (beyond the one that runs) */
    public AgentCore(List<String> tags, Checker checker, ResourceDirectory directory, ActionExecutor executor,
                     History history, int failuresBeforeFailed, int checksKept, int maxQueued, Clock clock,
                     Listener listener) {
        if (maxQueued < 1) {
            throw new IllegalArgumentException("at least one action must be able to wait, not " + maxQueued);
        }
        this.maxQueued = maxQueued;
        this.checker = checker;
        this.directory = directory;
        this.executor = executor;
        this.history = history;
        this.checksKept = checksKept;
        this.clock = clock;
        this.listener = listener;
        Instant now = clock.instant();
        tags.forEach(t -> slots.put(t, new Slot(new ResourceState(t, failuresBeforeFailed, now))));
    }

    /** Takes back the journal: each resource's last status and since, and what direct actions left. */
    public void restore() throws IOException {
        restore(List.of());
    }

    /**
     * Takes back the journal as {@link #restore()}, then ends every action an earlier agent left QUEUED or
     * RUNNING as INTERRUPTED, with what is known: when it started, and {@code reaped} (the commands of the
     * dead agent that were found still running and ended).
     */
    public void restore(List<String> reaped) throws IOException {
        history.replay().forEach((tag, t) -> {
            Slot s = slots.get(tag);
            if (s != null) {
                s.state.restore(t.to(), t.reason(), t.at());
            }
        });
        for (String tag : slots.keySet()) {
            history.actions(tag, Integer.MAX_VALUE).stream()
                    .filter(a -> "direct".equals(a.mode()) && "SUCCEEDED".equals(a.state()) && !"quickCheck".equals(a.action()))
                    .findFirst()
                    .ifPresent(a -> directory.expect(tag, !"remove".equals(a.action())));
        }
        Instant now = clock.instant();
        for (ActionRecord a : history.unfinished()) {
            List<String> known = new ArrayList<>();
            known.add(a.startedAt() == null
                    ? "the agent stopped before this action held the resource's lock; it did not run"
                    : "the agent stopped while this action ran (from " + a.startedAt() + "); its outcome is unknown:"
                    + " check the resource");
            if (a.startedAt() != null) {
                reaped.forEach(r -> known.add("ended what the stopped agent left running: " + r));
            }
            ActionRecord ended = a.interrupted(now, known);
            history.action(ended, now, true);
        }
    }

    public List<String> tags() {
        return List.copyOf(slots.keySet());
    }

    public boolean manages(String tag) {
        return slots.containsKey(tag);
    }

    /** Checks now, waiting for a check of the same resource that is under way to end first. */
    public CheckResult checkNow(String tag) {
        Slot s = slot(tag);
        s.checking.acquireUninterruptibly();
        try {
            return checkLocked(s, tag);
        } finally {
            s.checking.release();
        }
    }

    /** The scheduled round: every resource in parallel; one whose last check still runs is skipped. */
    public void checkAll() {
        history.retryPending(); // a journal whose disk had no room recovers by itself
        slots.forEach((tag, s) -> {
            if (s.checking.tryAcquire()) {
                try {
                    checkPool.execute(() -> {
                        try {
                            checkLocked(s, tag);
                        } finally {
                            s.checking.release();
                        }
                    });
                } catch (RuntimeException e) {
                    s.checking.release();
                    throw e;
                }
            }
        });
    }

    private CheckResult checkLocked(Slot s, String tag) {
        CheckResult r = checker.check(tag);
        Optional<ResourceState.Transition> t;
        synchronized (s) {
            t = s.state.record(r);
            s.checks.addFirst(r);
            while (s.checks.size() > checksKept) {
                s.checks.removeLast();
            }
        }
        // A check that ends after close() tells no one: the listeners' framework may be gone by then.
        boolean tell = !closed;
        if (tell) {
            listener.checked(r, s.state.status());
        }
        t.ifPresent(tr -> {
            Event e = history.transition(tr);
            if (tell) {
                listener.transition(tr);
                listener.recorded(e);
            }
        });
        return r;
    }

    public List<ResourceView> resources() {
        return slots.keySet().stream().map(t -> resource(t).orElseThrow()).toList();
    }

    public Optional<ResourceView> resource(String tag) {
        Slot s = slots.get(tag);
        if (s == null) {
            return Optional.empty();
        }
        synchronized (s) {
            CheckResult last = s.checks.peekFirst();
            return Optional.of(new ResourceView(tag, last == null ? null : last.service(), s.state.status(),
                    s.state.since(), s.state.reason(), last == null ? "unknown" : last.role(), last));
        }
    }

    public List<CheckResult> checks(String tag, int limit) {
        Slot s = slot(tag);
        synchronized (s) {
            return s.checks.stream().limit(limit).toList();
        }
    }

    public History history() {
        return history;
    }

    /**
     * Records the request (on disk, or PENDING in memory when the journal's disk is full), then queues it behind
     * the resource's other actions; the record says how it goes. Refused when {@code maxQueued} already wait,
     * or when the journal is full and could not keep the request even in memory.
     */
    public ActionRecord submit(String tag, Action action, String reason, String caller) {
        return enqueue(UUID.randomUUID().toString(), tag, action, reason, caller, false);
    }

    /**
     * An order of the fleet view, as {@link #submit(String, Action, String, String)} but with the order's {@code id}
     * and run at most once: an id this agent already knows (in memory, or from its journal after a restart) answers
     * with the record it has and runs nothing. The QUEUED record is on disk before the action can run: while the
     * journal's disk cannot take it the order is refused (503) and nothing is recorded or run.
     */
    public ActionRecord submit(String id, String tag, Action action, String reason, String caller) {
        synchronized (orders) {
            Optional<ActionRecord> known = history.actionById(id);
            if (known.isPresent()) {
                return known.get();
            }
            return enqueue(id, tag, action, reason, caller, true);
        }
    }

    /**
     * An order of the fleet view that is not taken (fleet actions not allowed, an unknown tag, a bad order): kept
     * as a REFUSED action with {@code why} as its message, so the fleet view learns it from the reports, and
     * remembered by its id like any other (a known id answers with the record it has).
     */
    public ActionRecord refuse(String id, String tag, Action action, String reason, String caller, String why) {
        synchronized (orders) {
            Optional<ActionRecord> known = history.actionById(id);
            if (known.isPresent()) {
                return known.get();
            }
            Instant now = clock.instant();
            Event e = history.action(ActionRecord.refused(id, tag, action.word(), reason, caller,
                    executor.mode(action), now, why), now, true);
            // Not actionEnded: the metrics count actions that ran, by tag, and an unknown tag must not become a meter.
            listener.recorded(e);
            return e.action();
        }
    }

    /** The action of {@code id} as last recorded, if this agent knows it. */
    public Optional<ActionRecord> known(String id) {
        return history.actionById(id);
    }

    private ActionRecord enqueue(String id, String tag, Action action, String reason, String caller,
                                 boolean durableOnly) {
        Slot s = slot(tag);
        synchronized (s) {
            if (closed) {
                throw new Refused(503, "stopping", 10, "the agent is stopping");
            }
            if (s.queue.size() + s.reserved >= maxQueued) {
                long after = Math.max(1, Math.min(3_600, (s.queue.size() + 1) * s.typicalMillis / 1000));
                throw new Refused(429, "queue-full", after, maxQueued + " actions of " + tag
                        + " already wait for their turn (hulftark.agent.max-queued-actions)");
            }
            s.reserved++;
        }
        // After the queue's bound: a refused burst never waits on the journal's lock (an fsync may hold it).
        History.JournalState journal = history.journalState();
        if (!journal.writable() && (durableOnly || journal.memoryFull())) {
            synchronized (s) {
                s.reserved--;
            }
            throw new Refused(503, "journal-full", 60, journal.reason() + "; " + journal.pending()
                    + (durableOnly ? " records wait in memory: no order of the fleet view is taken until the journal "
                    + "can keep it (it must run at most once)"
                    : " records wait in memory: no more actions until the journal's disk has room"));
        }
        Instant now = clock.instant();
        ActionRecord queued = new ActionRecord(id, tag, action.word(), reason, caller,
                executor.mode(action), ActionRecord.QUEUED, now, null, null, null, null, List.of());
        Event e;
        try {
            e = history.action(queued, now, true);
        } catch (RuntimeException ex) {
            synchronized (s) {
                s.reserved--;
            }
            throw ex;
        }
        listener.recorded(e);
        if (durableOnly && ActionRecord.PENDING.equals(e.action().journal())) {
            // The disk failed just now: a restart would not know this id, so it must not run; it ends here.
            synchronized (s) {
                s.reserved--;
            }
            Instant at = clock.instant();
            Event ended = history.action(ActionRecord.refused(id, tag, action.word(), reason, caller,
                    queued.mode(), at, "the journal could not keep this order on disk, so it did not run: "
                            + history.journalState().reason()), at, true);
            listener.recorded(ended);
            return ended.action();
        }
        synchronized (s) {
            s.reserved--;
            s.queue.addLast(new Queued(e.action(), action));
            if (!s.draining) {
                s.draining = true;
                actionPool.execute(() -> drain(s));
            }
        }
        return e.action();
    }

    /** The resource's one runner: its actions in the order asked, until none waits. */
    private void drain(Slot s) {
        while (true) {
            Queued q;
            synchronized (s) {
                q = closed ? null : s.queue.pollFirst();
                if (q == null) {
                    s.draining = false;
                    return;
                }
            }
            long t0 = System.nanoTime();
            try {
                run(q.record(), q.action());
            } catch (RuntimeException e) {
                LOG.errorf(e, "the action %s of %s did not end cleanly", q.record().id(), q.record().tag());
            } catch (Error e) {
                synchronized (s) {
                    s.draining = false;
                }
                throw e;
            }
            synchronized (s) {
                s.typicalMillis = (s.typicalMillis + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)) / 2;
            }
        }
    }

    private void run(ActionRecord queued, Action action) {
        AtomicReference<ActionRecord> running = new AtomicReference<>();
        Runnable lockHeld = () -> {
            ActionRecord r = queued.started(clock.instant());
            running.set(r);
            // Not forced to the disk: a crash after this leaves QUEUED, which a restart ends as INTERRUPTED too.
            listener.recorded(history.action(r, r.startedAt(), false));
        };
        ActionExecutor.Outcome outcome;
        Error fatal = null;
        try {
            outcome = executor.execute(action, queued.tag(), lockHeld);
        } catch (RuntimeException e) {
            outcome = new ActionExecutor.Outcome(1, List.of("the action failed: " + e.getMessage()));
        } catch (Error e) {
            // Still close the record, so that no action stays RUNNING forever; then let the error go on.
            fatal = e;
            outcome = new ActionExecutor.Outcome(1, List.of("the action failed: " + e));
        }
        if (outcome.exitCode() == 0 && "direct".equals(queued.mode()) && action != Action.QUICK_CHECK) {
            directory.expect(queued.tag(), action != Action.REMOVE);
        }
        ActionRecord from = running.get() == null ? queued : running.get();
        ActionRecord ended = from.ended(clock.instant(), outcome.exitCode(), outcome.messages());
        Event endedEvent = history.action(ended, ended.endedAt(), true);
        listener.actionEnded(endedEvent.action());
        listener.recorded(endedEvent);
        if (fatal != null) {
            throw fatal;
        }
        if (!closed) {
            checkNow(queued.tag()); // the status should show the action's effect at once
        }
    }

    /** Actions of {@code tag} waiting for their turn (not the one that runs). */
    public int queued(String tag) {
        Slot s = slot(tag);
        synchronized (s) {
            return s.queue.size();
        }
    }

    private Slot slot(String tag) {
        Slot s = slots.get(tag);
        if (s == null) {
            throw new IllegalArgumentException("not a resource of this agent: " + tag);
        }
        return s;
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        // What waits will not run: say so now rather than leave it QUEUED for the next start to find.
        Instant now = clock.instant();
        for (Slot s : slots.values()) {
            List<Queued> left;
            synchronized (s) {
                left = List.copyOf(s.queue);
                s.queue.clear();
            }
            for (Queued q : left) {
                history.action(q.record().interrupted(now,
                        List.of("the agent stopped before this action held the resource's lock; it did not run")),
                        now, true);
            }
        }
        checkPool.shutdownNow();
        actionPool.shutdown();
        actionPool.awaitTermination(5, TimeUnit.SECONDS);
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
