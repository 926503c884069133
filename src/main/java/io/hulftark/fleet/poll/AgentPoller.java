package io.hulftark.fleet.poll;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hulftark.fleet.actions.OrderBook;
import io.hulftark.wire.Report;
import io.hulftark.fleet.report.ReportSink;
import io.hulftark.wire.ReportValidator;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The fleet view's side for sites where only the center may open connections: every {@code every} it asks each
 * configured agent for GET /api/v1/report?after=N&factsDigest=D with a viewer token and hands the report to the same
 * sink as a pushed one. N is the highest event seq the sink took from that agent, so each event comes once (the
 * store skips the few a restart sends again); D is the digest of the facts the sink last took from it, so the agent
 * sends its facts only when they differ (absent after the fleet view restarts: the agent then sends them again). One request in flight per agent; one log line per change of cause.
 * An event the wire's rule refuses ({@link ReportValidator}) is set aside here, logged once and counted in the
 * report's {@code dropped}, and polling goes on after it: no event can block an agent's polling.
 */
public final class AgentPoller implements AutoCloseable {

    /** One agent: hulftark.fleet.poll."NAME".url/token. */
    public record Target(String name, URI url, String token) {
        public Target {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(token, "token");
            if (!("http".equalsIgnoreCase(url.getScheme()) || "https".equalsIgnoreCase(url.getScheme()))
                    || url.getHost() == null) {
                throw new IllegalArgumentException("hulftark.fleet.poll.\"" + name
                        + "\".url must be http://HOST:PORT or https://HOST:PORT, not " + url);
            }
        }
    }

    static final int MAX_EVENTS = 500;
    private static final Logger LOG = Logger.getLogger(AgentPoller.class);
    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** What the poller knows of one agent; only its own poll chain touches it. */
    private static final class Polled {
        final Target target;
        volatile long after;
        volatile String cause;
        volatile String identity;
        volatile OrderBook.NodeKey node;
        volatile String process;
        /** Events of the current agent process set aside here: added to what its reports say they dropped. */
        volatile long setAside;
        volatile long setAsideInPage;
        volatile Instant lastTaken;
        /** The digest of the facts the sink last took from this agent; null: none yet (it sends them). */
        volatile String factsDigest;

        Polled(Target target) {
            this.target = target;
        }
    }

    private final Map<String, Polled> agents = new LinkedHashMap<>();
    private final Duration every;
    private final Duration requestTimeout;
    private final ReportSink sink;
    private final ScheduledExecutorService threads;
    private final ExecutorService httpThreads;
    private final HttpClient http;
    private volatile boolean closed;

    public AgentPoller(List<Target> targets, Duration every, Duration requestTimeout, ReportSink sink) {
        if (every.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("the poll interval (hulftark.fleet.heartbeat) must be at least 1s, not "
                    + every);
        }
        targets.forEach(t -> agents.put(t.name(), new Polled(t)));
        this.every = every;
        this.requestTimeout = requestTimeout;
        this.sink = sink;
        AtomicInteger n = new AtomicInteger();
        // A few threads: a slow agent delays the others at most by its request timeout.
        this.threads = Executors.newScheduledThreadPool(Math.max(1, Math.min(4, targets.size())),
                r -> daemon(r, "fleet-poll-" + n.incrementAndGet()));
        this.httpThreads = Executors.newCachedThreadPool(r -> daemon(r, "fleet-poll-http"));
        this.http = HttpClient.newBuilder().connectTimeout(requestTimeout).executor(httpThreads)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public void start() {
        agents.values().forEach(a -> {
            LOG.infof("polling agent %s at %s every %s", a.target.name(), a.target.url(), every);
            threads.schedule(() -> loop(a), 0, TimeUnit.MILLISECONDS);
        });
    }

    /** The highest event seq the sink took from agent {@code name}. */
    public long after(String name) {
        return Optional.ofNullable(agents.get(name)).map(a -> a.after).orElse(-1L);
    }

    /** The digest of the facts the sink last took from agent {@code name}, or null. */
    public String factsDigest(String name) {
        return Optional.ofNullable(agents.get(name)).map(a -> a.factsDigest).orElse(null);
    }

    /** When the sink last took a report from agent {@code name}, or null. */
    public Instant lastTaken(String name) {
        return Optional.ofNullable(agents.get(name)).map(a -> a.lastTaken).orElse(null);
    }

    /** The cluster and node agent {@code name} last reported as; empty before its first report was taken. */
    public Optional<OrderBook.NodeKey> reportsAs(String name) {
        return Optional.ofNullable(agents.get(name)).map(a -> a.node);
    }

    private void loop(Polled a) {
        if (closed) {
            return;
        }
        boolean more;
        try {
            more = pollOnce(a);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (RuntimeException e) {
            // Never into the scheduler: a bug here must not end this agent's polling for good.
            failed(a, "cannot poll: " + e);
            more = false;
        }
        if (!closed) {
            // A full page means more events wait: fetch them at once rather than one page per heartbeat.
            threads.schedule(() -> loop(a), more ? 0 : every.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** One request; true when the agent has more events for us now. */
    boolean pollOnce(Polled a) throws InterruptedException {
        String base = a.target.url().toString();
        URI uri = URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base)
                + "/api/v1/report?after=" + a.after + (a.factsDigest == null ? ""
                : "&factsDigest=" + java.net.URLEncoder.encode(a.factsDigest, java.nio.charset.StandardCharsets.UTF_8)));
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(requestTimeout)
                .header("Accept", "application/json").header("Authorization", "Bearer " + a.target.token())
                .GET().build();
        CompletableFuture<HttpResponse<byte[]>> sent = http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<byte[]> response;
        try {
            // The client's timeout ends at the answer's headers; this bounds the body too.
            response = sent.get(requestTimeout.toMillis() + 500, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            sent.cancel(true);
            return failed(a, "no answer from " + a.target.url() + " within " + requestTimeout);
        } catch (InterruptedException e) {
            sent.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            return failed(a, describe(e.getCause(), a.target.url()));
        }
        if (response.statusCode() != 200) {
            return failed(a, "the agent answered " + response.statusCode() + detail(response.body()));
        }
        Report report;
        try {
            report = JSON.readValue(response.body(), Report.class);
        } catch (IOException e) {
            return failed(a, "the agent's answer is not a report: " + oneLine(e.getMessage()));
        }
        if (blank(report.cluster()) || blank(report.node()) || report.agentStartedAt() == null) {
            return failed(a, "the agent's report has no cluster, node or agentStartedAt");
        }
        String process = report.instance() != null ? report.instance() : "started@" + report.agentStartedAt();
        boolean restarted = a.process != null && !a.process.equals(process);
        if (restarted) {
            a.setAside = 0;
        }
        long highest = report.events().stream().mapToLong(Report.Event::seq).max().orElse(a.after);
        report = withoutRefusedEvents(a, report);
        String identity = report.cluster() + "/" + report.node();
        if (a.identity != null && !a.identity.equals(identity)) {
            // Passed on all the same: the store decides whether that node may report for that cluster.
            LOG.warnf("agent %s now reports as %s, before as %s", a.target.name(), identity, a.identity);
        }
        try {
            sink.accept(report);
        } catch (RuntimeException e) {
            return failed(a, "the report was not taken: " + oneLine(String.valueOf(e.getMessage())));
        }
        if (report.facts() != null) {
            a.factsDigest = report.facts().digest();
        } else if (a.identity != null && !a.identity.equals(identity)) {
            a.factsDigest = null; // another node now: its facts are asked for, whatever the last one's were
        }
        a.identity = identity;
        a.node = new OrderBook.NodeKey(report.cluster(), report.node());
        a.lastTaken = Instant.now();
        recovered(a);
        a.process = process;
        if (restarted) {
            // A restarted agent may have lost its journal and count from 0 again: take its whole history once more.
            a.after = 0;
            return true;
        }
        // Past every event of the page, those set aside included: the next poll never asks for them again.
        a.after = Math.max(a.after, highest);
        return report.events().size() + (int) Math.min(MAX_EVENTS, a.setAsideInPage) >= MAX_EVENTS;
    }

    /**
     * The report without the events the wire's rule refuses (each logged once, counted in dropped). A fault of the
     * report itself is left for the sink to refuse: it names it.
     */
    private static Report withoutRefusedEvents(Polled a, Report report) {
        a.setAsideInPage = 0;
        for (int i = 0; i <= report.events().size(); i++) {
            Optional<ReportValidator.Fault> fault = ReportValidator.fault(report);
            Long seq = fault.map(ReportValidator.Fault::eventSeq).orElse(null);
            if (seq == null) {
                break;
            }
            LOG.warnf("agent %s: event %d set aside, not taken (it stays in the agent's history): %s",
                    a.target.name(), seq, fault.get().detail());
            a.setAside++;
            a.setAsideInPage++;
            report = report.withEvents(report.events().stream().filter(e -> e == null || e.seq() != seq).toList());
        }
        // Only the count changes: labels, flags and facts go on as the agent sent them.
        return a.setAside == 0 ? report : report.withDropped(report.dropped() + a.setAside);
    }

    private static boolean failed(Polled a, String cause) {
        if (!cause.equals(a.cause)) {
            LOG.warnf("cannot poll agent %s (%s): %s", a.target.name(), a.target.url(), cause);
            a.cause = cause;
        }
        return false;
    }

    private static void recovered(Polled a) {
        if (a.cause != null) {
            LOG.infof("polling agent %s again", a.target.name());
            a.cause = null;
        }
    }

    private static String describe(Throwable t, URI url) {
        if (t instanceof ConnectException) {
            return "cannot connect to " + url + " (" + (t.getMessage() == null ? "connection refused" : t.getMessage()) + ")";
        }
        if (t instanceof HttpTimeoutException) {
            return "no answer from " + url + " in time";
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + oneLine(t.getMessage()));
    }

    private static String detail(byte[] body) {
        try {
            var d = JSON.readTree(body).path("detail");
            return d.isTextual() ? ": " + oneLine(d.asText()) : "";
        } catch (IOException | RuntimeException notAProblem) {
            return "";
        }
    }

    private static String oneLine(String s) {
        String clean = s.replaceAll("\\p{Cntrl}", " ");
        return clean.length() > 200 ? clean.substring(0, 200) + "..." : clean;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        threads.shutdownNow();
        if (!threads.awaitTermination(requestTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS)) {
            LOG.warn("the fleet poll threads did not end in time");
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
