package io.hulftark.agent;

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
import java.util.concurrent.Semaphore;

/**
 * The node agent without its framework: the resources it watches, their checks (never two of one
 * resource at once), their status with its threshold, the actions asked of it, and the history.
 */
public final class AgentCore implements AutoCloseable {

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

    private static final class Slot {
        final ResourceState state;
        // A semaphore, not a lock: the scheduled round takes it and the pool thread that checks gives it back.
        final Semaphore checking = new Semaphore(1);
        final Deque<CheckResult> checks = new ArrayDeque<>();

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
    private volatile boolean closed;
    private final ExecutorService checkPool = Executors.newCachedThreadPool(daemon("agent-check"));
    private final ExecutorService actionPool = Executors.newCachedThreadPool(daemon("agent-action"));

    public AgentCore(List<String> tags, Checker checker, ResourceDirectory directory, ActionExecutor executor,
                     History history, int failuresBeforeFailed, int checksKept, Clock clock, Listener listener) {
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

    /** Records the request on disk, then runs the action in the background; the record says how it goes. */
    public ActionRecord submit(String tag, Action action, String reason, String caller) {
        slot(tag);
        Instant now = clock.instant();
        ActionRecord queued = new ActionRecord(UUID.randomUUID().toString(), tag, action.word(), reason, caller,
                executor.mode(action), "QUEUED", now, null, null, null, null, List.of());
        listener.recorded(history.action(queued, now, true));
        actionPool.execute(() -> run(queued, action));
        return queued;
    }

    private void run(ActionRecord queued, Action action) {
        ActionRecord running = queued.started(clock.instant());
        listener.recorded(history.action(running, running.startedAt(), false));
        ActionExecutor.Outcome outcome;
        Error fatal = null;
        try {
            outcome = executor.execute(action, queued.tag());
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
        ActionRecord ended = running.ended(clock.instant(), outcome.exitCode(), outcome.messages());
        Event endedEvent = history.action(ended, ended.endedAt(), true);
        listener.actionEnded(ended);
        listener.recorded(endedEvent);
        if (fatal != null) {
            throw fatal;
        }
        checkNow(queued.tag()); // the status should show the action's effect at once
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
