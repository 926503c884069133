package io.hulftark.agent.push;

import io.hulftark.app.RoleOpenApiFilter;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.media.SchemaProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.hulftark.agent.AgentCore;
import io.hulftark.agent.CheckResult;
import io.hulftark.agent.Event;
import io.hulftark.agent.History;
import io.hulftark.agent.Status;
import io.hulftark.fleet.report.Report;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jboss.logging.Logger;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends the agent's full state to the fleet view: at once on a change (coalesced), else every heartbeat.
 * One thread sends, one request at a time. The backlog is the History itself: the events after the last
 * one a 2xx answer covered, of which the newest {@code backlog} are kept; older ones are counted as dropped.
 * So an agent restart during an outage loses nothing either: the journal gives the History back.
 */
public final class FleetPusher implements AgentCore.Listener, AutoCloseable {

    /** Where and how to push: FleetConfig's agent side, resolved. */
    public record Settings(URI url, String token, Duration heartbeat, int backlog, Duration requestTimeout) {
        public Settings {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(token, "token");
            if (!("http".equalsIgnoreCase(url.getScheme()) || "https".equalsIgnoreCase(url.getScheme()))
                    || url.getHost() == null) {
                throw new IllegalArgumentException("hulftark.fleet.url must be http://HOST:PORT or https://HOST:PORT, not "
                        + url);
            }
            if (heartbeat.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("hulftark.fleet.heartbeat must be at least 1s, not " + heartbeat);
            }
            if (backlog < 1) {
                throw new IllegalArgumentException("hulftark.fleet.backlog must be at least 1, not " + backlog);
            }
            if (requestTimeout.isNegative() || requestTimeout.isZero()) {
                throw new IllegalArgumentException("hulftark.fleet.request-timeout must be positive, not " + requestTimeout);
            }
        }
    }

    static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    static final String PATH = "/api/v1/fleet/reports";
    private static final Logger LOG = Logger.getLogger(FleetPusher.class);
    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final Settings settings;
    private final URI endpoint;
    private final AgentReports reports;
    private final History history;
    private final Clock clock;
    private final ScheduledExecutorService thread;
    private final ExecutorService httpThreads;
    private final HttpClient http;
    private final Map<String, String> roles = new ConcurrentHashMap<>();
    private final AtomicLong succeeded = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    // Guarded by this.
    private ScheduledFuture<?> next;
    private long generation;
    private boolean dueNow;
    private boolean running;
    private boolean changed;
    private boolean started;
    private boolean closed;
    private int failures;
    private String lastCause;

    // Only touched by the push thread (and read by metrics).
    private volatile long acked;
    private volatile long dropped;
    private volatile Instant lastSuccess;

    public FleetPusher(Settings settings, AgentReports reports, Clock clock) {
        this.settings = settings;
        String base = settings.url().toString();
        this.endpoint = URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + PATH);
        this.reports = reports;
        this.history = reports.history();
        this.clock = clock;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "fleet-push"));
        this.httpThreads = Executors.newCachedThreadPool(r -> daemon(r, "fleet-push-http"));
        this.http = HttpClient.newBuilder().connectTimeout(settings.requestTimeout()).executor(httpThreads)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Starts with every event the History holds (the journal's replay): the fleet view skips those it has. */
    public synchronized void start() {
        if (started || closed) {
            return;
        }
        started = true;
        acked = history.since(e -> true, 1).stream().findFirst().map(e -> e.seq() - 1).orElse(history.lastSeq());
        LOG.infof("pushing this node's state to %s every %s and on every change", endpoint, settings.heartbeat());
        schedule(Duration.ZERO);
    }

    /** A change worth telling at once: sent now, or right after the request under way. */
    public synchronized void changed() {
        changed = true;
        // While failing, the retry's own delay holds: a change does not hammer a fleet view that is down.
        if (!started || closed || running || failures > 0 || dueNow) {
            return;
        }
        schedule(Duration.ZERO);
    }

    @Override
    public void recorded(Event event) {
        changed();
    }

    @Override
    public void checked(CheckResult check, Status status) {
        // The role (active/standby) can move with no status change: a failover seen from LifeKeeper.
        String before = roles.put(check.tag(), String.valueOf(check.role()));
        if (before != null && !before.equals(String.valueOf(check.role()))) {
            changed();
        }
    }

    private void schedule(Duration delay) {
        long g = ++generation;
        if (next != null) {
            next.cancel(false);
        }
        dueNow = delay.isZero();
        next = thread.schedule(() -> cycle(g), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void cycle(long g) {
        synchronized (this) {
            if (g != generation || closed) {
                return;
            }
            running = true;
            changed = false;
            dueNow = false;
        }
        Duration delay;
        try {
            delay = pushOnce();
        } catch (RuntimeException e) {
            // Never into the scheduler: a bug here must not end the pushing for good.
            delay = failure("cannot build or send the report: " + e, settings.heartbeat());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        synchronized (this) {
            running = false;
            if (closed) {
                return;
            }
            schedule(changed && failures == 0 ? Duration.ZERO : delay);
        }
    }

    /** One request; returns when to send the next. */
    private Duration pushOnce() throws InterruptedException {
        List<Event> pending = history.since(e -> e.seq() > acked, Integer.MAX_VALUE);
        int skip = Math.max(0, pending.size() - settings.backlog());
        long firstKept = skip < pending.size() ? pending.get(skip).seq() : history.lastSeq() + 1;
        if (firstKept - 1 > acked) {
            // Beyond the bound, or gone from the History's memory: lost for the fleet view, said so in 'dropped'.
            dropped += firstKept - 1 - acked;
            acked = firstKept - 1;
        }
        List<Event> batch = pending.subList(skip, Math.min(pending.size(), skip + AgentReports.MAX_EVENTS));
        Report report = reports.report(batch, dropped);
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(report);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return failure("cannot write the report as JSON: " + e.getOriginalMessage(), settings.heartbeat());
        }
        HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(settings.requestTimeout())
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + settings.token())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        CompletableFuture<HttpResponse<String>> sent = http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> response;
        try {
            // The client's timeout ends at the answer's headers; this bounds the body too.
            response = sent.get(settings.requestTimeout().toMillis() + 500, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            sent.cancel(true);
            return failure("no answer from " + endpoint + " within " + settings.requestTimeout(), backoff());
        } catch (InterruptedException e) {
            sent.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            return failure(describe(e.getCause()), backoff());
        }
        int code = response.statusCode();
        if (code / 100 == 2) {
            if (!batch.isEmpty()) {
                acked = Math.max(acked, batch.get(batch.size() - 1).seq());
            }
            tookIt();
            // More waiting (a long outage's backlog): the rest go at once.
            return history.lastSeq() > acked ? Duration.ZERO : settings.heartbeat();
        }
        String cause = "the fleet view answered " + code + " to " + endpoint + detail(response.body());
        // 4xx is ours to fix (token, cluster, body): the heartbeat is soon enough; 5xx and 429 may pass.
        return failure(cause, code / 100 == 4 && code != 429 ? settings.heartbeat() : backoff());
    }

    private synchronized void tookIt() {
        succeeded.incrementAndGet();
        lastSuccess = clock.instant();
        if (failures > 0) {
            LOG.infof("pushing to %s again after %d failed attempts", endpoint, failures);
        }
        failures = 0;
        lastCause = null;
    }

    private synchronized Duration failure(String cause, Duration delay) {
        failed.incrementAndGet();
        failures++;
        if (!cause.equals(lastCause)) {
            // One line per distinct cause, not one per retry.
            LOG.warnf("cannot push to the fleet view, retrying (backlog %d events): %s", backlog(), cause);
            lastCause = cause;
        }
        return delay;
    }

    private synchronized Duration backoff() {
        // failures counts this one only after failure(); the first retry waits FIRST_RETRY.
        long factor = 1L << Math.min(failures, 20);
        Duration d = FIRST_RETRY.multipliedBy(factor);
        return d.compareTo(settings.heartbeat()) > 0 ? settings.heartbeat() : d;
    }

    private static String describe(Throwable t) {
        if (t instanceof ConnectException) {
            return "cannot connect (" + (t.getMessage() == null ? "connection refused" : t.getMessage()) + ")";
        }
        if (t instanceof HttpTimeoutException) {
            return "no answer in time (" + t.getMessage() + ")";
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    /** The problem detail's one line, if the answer is one. */
    private static String detail(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        try {
            JsonNode d = JSON.readTree(body).path("detail");
            if (d.isTextual()) {
                String s = d.asText().replaceAll("\\p{Cntrl}", " ");
                return ": " + (s.length() > 200 ? s.substring(0, 200) + "..." : s);
            }
        } catch (java.io.IOException | RuntimeException notJson) {
            // a body that is not a problem detail says nothing we can show on one line
        }
        return "";
    }

    /** What GET /api/v1/node shows of the push. */
    @Schema(name = "FleetPushState", description = "The push to the fleet view", requiredProperties = {"url", "backlog",
            "dropped"}, properties = {
            @SchemaProperty(name = "url", description = "Where it pushes"),
            @SchemaProperty(name = "lastSuccess", description = "When a report was last taken; null before the first", extensions = @Extension(name = RoleOpenApiFilter.NULLABLE, value = "true")),
            @SchemaProperty(name = "lastError", description = "Why the last push failed, one line; null after a success", extensions = @Extension(name = RoleOpenApiFilter.NULLABLE, value = "true")),
            @SchemaProperty(name = "backlog", description = "Events waiting to be sent", minimum = "0"),
            @SchemaProperty(name = "dropped", description = "Events dropped since the agent started", minimum = "0")})
    public record State(URI url, Instant lastSuccess, String lastError, int backlog, long dropped) { }

    public State state() {
        String error;
        synchronized (this) {
            error = lastCause;
        }
        return new State(endpoint, lastSuccess, error, backlog(), dropped);
    }

    /** Events waiting for the fleet view. */
    public int backlog() {
        long a = acked;
        return Math.min(settings.backlog(), history.since(e -> e.seq() > a, Integer.MAX_VALUE).size());
    }

    public long dropped() {
        return dropped;
    }

    public long succeeded() {
        return succeeded.get();
    }

    public long failed() {
        return failed.get();
    }

    /** When a report was last taken, or null. */
    public Instant lastSuccess() {
        return lastSuccess;
    }

    public URI endpoint() {
        return endpoint;
    }

    @Override
    public void close() throws InterruptedException {
        synchronized (this) {
            closed = true;
            if (next != null) {
                next.cancel(false);
            }
        }
        thread.shutdownNow();
        if (!thread.awaitTermination(settings.requestTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS)) {
            LOG.warn("the fleet push thread did not end in time");
        }
        httpThreads.shutdownNow();
        httpThreads.awaitTermination(1, TimeUnit.SECONDS);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
