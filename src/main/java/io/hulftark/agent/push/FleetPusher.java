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
import io.hulftark.wire.Status;
import io.hulftark.wire.Report;
import io.hulftark.wire.ReportValidator;
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
import java.util.NavigableSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sends the agent's full state to the fleet view: at once on a change (coalesced), else every heartbeat.
 * One thread sends, one request at a time. The backlog is the History itself: the events after the last
 * one a 2xx answer covered, of which the newest {@code backlog} are kept; older ones are counted as dropped.
 * So an agent restart during an outage loses nothing either: the journal gives the History back.
 *
 * <p>No content can stop the reports. Before sending, the report is checked by the rule the fleet view applies
 * ({@link ReportValidator}); an answer 4xx that blames the content is never sent again as it was:
 * <ul>
 *   <li>an event the check or the answer names ("(event seq N)") is set aside: counted in {@code dropped},
 *       logged once, still in this agent's journal and API, never sent again by this process;</li>
 *   <li>413, or a 4xx naming no event: the batch is halved and sent again, down to one event, which is then set
 *       aside, unless the state alone is refused as well (then the state is at fault, and the events wait);</li>
 *   <li>401, 403, 404, 405, 406, 407 and 415 speak of the configuration (token, scope, URL): nothing is set aside,
 *       the heartbeat retries and a fix delivers everything; 408, 425 and 429 are waited out (Retry-After).</li>
 * </ul>
 */
public final class FleetPusher implements AgentCore.Listener, AutoCloseable {

    /** Where and how to push: LinkConfig, resolved. */
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
    /** Answers that blame the configuration (token, scope, address), not what the report holds. */
    static final Set<Integer> CONFIGURATION = Set.of(401, 403, 404, 405, 406, 407, 415);
    /** Answers that ask to come back later. */
    static final Set<Integer> LATER = Set.of(408, 425, 429);
    private static final Pattern EVENT_SEQ = Pattern.compile("\\(event seq (\\d{1,18})\\)");
    private static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(5);
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
    /** Events set aside (refused for their content), not yet behind {@code acked}. */
    private final NavigableSet<Long> aside = new java.util.concurrent.ConcurrentSkipListSet<>();
    /** Events a report may carry now: halved while the fleet view refuses a batch, doubled back on success. */
    private int batchLimit = AgentReports.MAX_EVENTS;
    /** The one event suspected after a batch of it alone was refused: the state alone is tried before it is set aside. */
    private Long suspect;
    /** The digest of the last facts a 2xx took (or the fleet view refused): facts with it are not sent again. */
    private volatile String factsTaken;

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
        List<Event> pending = history.since(e -> e.seq() > acked && !aside.contains(e.seq()), Integer.MAX_VALUE);
        int skip = Math.max(0, pending.size() - settings.backlog());
        long firstKept = skip < pending.size() ? pending.get(skip).seq() : history.lastSeq() + 1;
        if (firstKept - 1 > acked) {
            // Beyond the bound, or gone from the History's memory: lost for the fleet view, said so in 'dropped'
            // (those already set aside are counted once).
            dropped += firstKept - 1 - acked - aside.subSet(acked, false, firstKept, false).size();
            acked = firstKept - 1;
            aside.headSet(acked, true).clear();
        }
        // While one event is suspected, the state goes alone: does the fleet view refuse it too?
        List<Event> batch = suspect != null ? List.of()
                : pending.subList(skip, Math.min(pending.size(), skip + batchLimit));
        // Facts go until a 2xx took them: on start, after each change, and again after a failed push.
        Report report = reports.report(batch, dropped, factsTaken);
        // The fleet view's own check, here: what it would refuse is never sent.
        Optional<ReportValidator.Fault> fault = ReportValidator.fault(report);
        if (fault.isPresent()) {
            Long seq = fault.get().eventSeq();
            if (seq != null && batch.stream().anyMatch(e -> e.seq() == seq)) {
                setAside(List.of(seq), "this agent's own check: " + fault.get().detail());
                return Duration.ZERO;
            }
            if (report.facts() != null && ReportValidator.fault(report.withFacts(null)).isEmpty()) {
                // The facts alone are at fault: the state goes without them until they change.
                factsTaken = report.facts().digest();
                return failure("this node's facts are not valid and are not sent until they change: "
                        + fault.get().detail(), Duration.ZERO);
            }
            // The state itself (a name in the configuration): nothing to set aside; it is logged once.
            return failure("this agent's report is not valid and is not sent (fix the configuration): "
                    + fault.get().detail(), settings.heartbeat());
        }
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
            if (suspect != null) {
                // The state alone is taken: the one event sent alone before was what the fleet view refused.
                long s = suspect;
                suspect = null;
                setAside(List.of(s), "the fleet view refused it alone and took the state without it");
            }
            if (!batch.isEmpty()) {
                acked = Math.max(acked, batch.get(batch.size() - 1).seq());
            }
            // Events set aside right after it are behind us too (else the newest one set aside looks pending).
            while (aside.contains(acked + 1)) {
                acked++;
            }
            aside.headSet(acked, true).clear();
            batchLimit = Math.min(AgentReports.MAX_EVENTS, batchLimit * 2);
            if (report.facts() != null) {
                factsTaken = report.facts().digest();
            }
            tookIt();
            // More waiting (a long outage's backlog, or a batch cut short): the rest go at once.
            return history.lastSeq() > acked ? Duration.ZERO : settings.heartbeat();
        }
        String detail = detail(response.body());
        String cause = "the fleet view answered " + code + " to " + endpoint + detail;
        if (code / 100 != 4 || CONFIGURATION.contains(code)) {
            // 5xx may pass; a configuration fault is fixed by a person: the heartbeat is soon enough for both.
            suspect = null;
            return failure(cause, code / 100 == 4 ? settings.heartbeat() : backoff());
        }
        if (LATER.contains(code)) {
            return failure(cause, retryAfter(response).orElseGet(this::backoff));
        }
        return refused(code, cause, detail, batch, report);
    }

    /** A 4xx that blames what the report holds: never send the same content again. */
    private Duration refused(int code, String cause, String detail, List<Event> batch, Report report) {
        failed.incrementAndGet();
        Matcher m = EVENT_SEQ.matcher(detail);
        if (m.find()) {
            long seq = Long.parseLong(m.group(1));
            if (batch.stream().anyMatch(e -> e.seq() == seq)) {
                setAside(List.of(seq), cause);
                return Duration.ZERO;
            }
        }
        if (batch.isEmpty() && report.facts() != null) {
            // The state with the facts is refused: the facts may be at fault. They are not sent again until they
            // change, and the event under suspicion is tried again with the state.
            factsTaken = report.facts().digest();
            suspect = null;
            return failure("this node's facts were refused and are sent again when they change: " + cause,
                    Duration.ZERO);
        }
        if (suspect != null) {
            // The state alone is refused too: the state is at fault, not the event. Keep every event; retry.
            suspect = null;
            return failure(cause, settings.heartbeat());
        }
        if (batch.size() > 1) {
            // Find the part that is refused: half the batch at a time (413: smaller requests).
            batchLimit = Math.max(1, batch.size() / 2);
            LOG.infof("the fleet view answered %d to a report with %d events: sending at most %d a report", code,
                    batch.size(), batchLimit);
            return Duration.ZERO;
        }
        if (batch.size() == 1) {
            suspect = batch.get(0).seq();
            return Duration.ZERO;
        }
        // The state alone is refused: nothing to set aside; once a heartbeat, logged once.
        return failure(cause, settings.heartbeat());
    }

    /** Sets events aside for good (for this process): counted as dropped, logged once, kept in the journal. */
    private void setAside(List<Long> seqs, String why) {
        aside.addAll(seqs);
        dropped += seqs.size();
        LOG.warnf("event %s set aside, not sent to the fleet view again (it stays in this agent's history): %s",
                seqs.size() == 1 ? seqs.get(0) : seqs, why);
    }

    /** Retry-After in seconds, bounded. */
    private static Optional<Duration> retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").filter(v -> v.matches("\\d{1,9}"))
                .map(v -> Duration.ofSeconds(Long.parseLong(v)))
                .map(d -> d.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : d);
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
                return ": " + io.hulftark.wire.WireText.neutralise(d.asText(), 300);
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
        return Math.min(settings.backlog(),
                history.since(e -> e.seq() > a && !aside.contains(e.seq()), Integer.MAX_VALUE).size());
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
