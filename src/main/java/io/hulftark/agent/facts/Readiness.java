package io.hulftark.agent.facts;

import io.hulftark.wire.NodeFacts.PreflightRow;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The readiness of this node: the preflight of each watched resource ({@code hulft-ark validate}), run every
 * {@code hulftark.agent.validate-interval} and on demand, on one worker thread of its own (never a check thread:
 * a preflight waits on service queries and DNS). Keeps each tag's last rows, start type and when they were taken.
 */
public final class Readiness implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Readiness.class);
    /** The shortest interval: a preflight queries the service manager, which must not be hammered. */
    public static final Duration MIN_INTERVAL = Duration.ofSeconds(10);
    /** The first run after start: soon, but after the agent's first checks. */
    static final Duration FIRST_RUN = Duration.ofSeconds(2);

    /** One tag's preflight: its rows and the start type it saw (absent when it could not be told). */
    public record Outcome(List<PreflightRow> rows, Optional<String> startType) {
        public Outcome {
            rows = List.copyOf(rows);
        }
    }

    /** One tag's last preflight and when it ran. */
    public record Result(String tag, Outcome outcome, Instant at) { }

    private final Supplier<List<String>> tags;
    private final Function<String, Outcome> preflight;
    private final Clock clock;
    private final Runnable changed;
    private final ScheduledThreadPoolExecutor worker;
    private final ThreadPoolExecutor onDemand;
    private final Map<String, Result> results = new LinkedHashMap<>();
    private volatile Instant validatedAt;

    /**
     * @param preflight runs one tag's preflight (never throws: a failure is a FAIL row)
     * @param changed   told after every run (the push sends the new facts at once)
     */
    public Readiness(Supplier<List<String>> tags, Function<String, Outcome> preflight, Clock clock, Runnable changed) {
        this.tags = tags;
        this.preflight = preflight;
        this.clock = clock;
        this.changed = changed;
        this.worker = new ScheduledThreadPoolExecutor(1, r -> daemon(r, "agent-validate"));
        this.worker.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        // Runs on demand go through one more thread, bounded: callers beyond a few wait for a 503, not in a queue.
        this.onDemand = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(4),
                r -> daemon(r, "agent-validate-now"), new ThreadPoolExecutor.AbortPolicy());
    }

    /** Every {@code interval} (at least {@link #MIN_INTERVAL}), the first run soon. */
    public void start(Duration interval) {
        if (interval.compareTo(MIN_INTERVAL) < 0) {
            throw new IllegalArgumentException("hulftark.agent.validate-interval must be at least 10s, not " + interval);
        }
        worker.scheduleWithFixedDelay(this::runQuietly, FIRST_RUN.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /**
     * Runs every tag's preflight now (one at a time with the scheduled runs) and answers the results, within
     * {@code bound}.
     *
     * @throws TimeoutException when it did not end within {@code bound} (it goes on, and its results are kept)
     */
    public List<Result> runNow(Duration bound) throws TimeoutException, InterruptedException {
        Future<List<Result>> run;
        try {
            run = onDemand.submit(() -> worker.submit(this::runAll).get());
        } catch (java.util.concurrent.RejectedExecutionException e) {
            throw new TimeoutException("too many preflights are already waiting");
        }
        try {
            return run.get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the preflight failed: " + e.getCause(), e.getCause());
        }
    }

    /** Each tag's last preflight, in tag order; a tag not yet validated is absent. */
    public synchronized List<Result> results() {
        return List.copyOf(results.values());
    }

    /** When the last run ended, or null before the first. */
    public Instant validatedAt() {
        return validatedAt;
    }

    private void runQuietly() {
        try {
            runAll();
        } catch (RuntimeException e) {
            // Never into the scheduler: a bug here must not end the validation for good.
            LOG.warnf("the scheduled preflight failed: %s", e);
        }
    }

    private List<Result> runAll() {
        List<String> now = tags.get();
        Map<String, Result> fresh = new LinkedHashMap<>();
        for (String tag : now) {
            Outcome outcome;
            try {
                outcome = preflight.apply(tag);
            } catch (RuntimeException e) {
                outcome = new Outcome(List.of(new PreflightRow("preflight", PreflightRow.FAIL,
                        "cannot run: " + e)), Optional.empty());
            }
            fresh.put(tag, new Result(tag, outcome, clock.instant()));
        }
        synchronized (this) {
            results.clear();
            results.putAll(fresh);
        }
        validatedAt = clock.instant();
        changed.run();
        return List.copyOf(fresh.values());
    }

    @Override
    public void close() throws InterruptedException {
        onDemand.shutdownNow();
        worker.shutdownNow();
        worker.awaitTermination(2, TimeUnit.SECONDS);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
