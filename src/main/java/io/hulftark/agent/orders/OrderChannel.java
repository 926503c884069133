package io.hulftark.agent.orders;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hulftark.app.RoleOpenApiFilter;
import io.hulftark.wire.ActionOrder;
import io.hulftark.wire.WireText;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.SchemaProperty;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The connection on which a pushing agent receives the fleet view's orders: nodes behind a firewall accept no
 * connection, so the agent holds one open instead, {@code GET {url}/api/v1/fleet/orders?node=NODE&wait=25} with its
 * reporter token. The fleet view answers at once when orders wait (200, a JSON array of {@link ActionOrder}), else
 * when one is placed or the wait is over (204); either way the agent asks again at once. Each order goes to the
 * {@link OrderTaker}, which runs it at most once by its id, so an order delivered twice (a retry, a connection cut
 * after the fleet view handed it out) runs once.
 *
 * <p>One thread, one request at a time. A failure backs off from 1 s, doubling to 30 s, with jitter (a thousand
 * agents that lost one fleet view do not all come back in the same second), and is logged once per cause.
 */
public final class OrderChannel implements AutoCloseable {

    /**
     * Where and how to ask.
     *
     * @param hold how long the fleet view may hold a request; the request's own bound is 10 s more
     */
    public record Settings(URI url, String token, String node, Duration hold) {
        public Settings {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(token, "token");
            Objects.requireNonNull(node, "node");
            if (hold.isNegative() || hold.toSeconds() > 300) {
                throw new IllegalArgumentException("the order channel's wait must be 0 to 300 s, not " + hold);
            }
        }
    }

    /** What the fleet view may hold a request for (it answers 204 after it). */
    public static final Duration WAIT = Duration.ofSeconds(25);
    static final String PATH = "/api/v1/fleet/orders";
    static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    static final Duration MAX_RETRY = Duration.ofSeconds(30);
    private static final Duration SLACK = Duration.ofSeconds(10);
    private static final int MAX_BODY_ORDERS = 100;
    private static final Logger LOG = Logger.getLogger(OrderChannel.class);
    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Settings settings;
    private final URI endpoint;
    private final OrderTaker taker;
    private final Runnable taken;
    private final Clock clock;
    private final ExecutorService httpThreads;
    private final HttpClient http;
    private final Thread thread;
    private final AtomicLong orders = new AtomicLong();
    private volatile boolean closed;
    private volatile CompletableFuture<HttpResponse<String>> inFlight;
    private volatile Instant lastContact;
    private volatile String lastCause;
    private int failures;

    /**
     * @param taken run after orders were taken (the report push, so that the fleet view sees them QUEUED or
     *              RUNNING at once)
     */
    public OrderChannel(Settings settings, OrderTaker taker, Runnable taken, Clock clock) {
        this.settings = settings;
        String base = settings.url().toString();
        this.endpoint = URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + PATH
                + "?node=" + URLEncoder.encode(settings.node(), StandardCharsets.UTF_8)
                + "&wait=" + settings.hold().toSeconds());
        this.taker = taker;
        this.taken = taken;
        this.clock = clock;
        this.httpThreads = Executors.newCachedThreadPool(r -> daemon(r, "fleet-orders-http"));
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).executor(httpThreads)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.thread = daemon(this::loop, "fleet-orders");
    }

    public void start() {
        LOG.infof("taking the fleet view's orders from %s", endpoint);
        thread.start();
    }

    /** What GET /api/v1/node shows of the channel. */
    @Schema(name = "FleetOrdersState", description = "The connection on which the fleet view's orders come",
            requiredProperties = {"url", "orders"}, properties = {
            @SchemaProperty(name = "url", description = "Where it asks"),
            @SchemaProperty(name = "lastContact", description = "When the fleet view last answered; null before",
                    extensions = @Extension(name = RoleOpenApiFilter.NULLABLE, value = "true")),
            @SchemaProperty(name = "lastError", description = "Why the last request failed, one line; null after an "
                    + "answer", extensions = @Extension(name = RoleOpenApiFilter.NULLABLE, value = "true")),
            @SchemaProperty(name = "orders", description = "Orders received since the agent started (each delivery)",
                    minimum = "0")})
    public record State(URI url, Instant lastContact, String lastError, long orders) { }

    public State state() {
        return new State(endpoint, lastContact, lastCause, orders.get());
    }

    private void loop() {
        while (!closed) {
            Duration delay;
            try {
                delay = once();
            } catch (InterruptedException e) {
                return; // closed
            } catch (RuntimeException e) {
                delay = failure(e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            if (!delay.isZero() && !closed) {
                try {
                    Thread.sleep(delay.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** One request; the delay before the next one. */
    Duration once() throws InterruptedException {
        Duration bound = settings.hold().plus(SLACK);
        HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(bound)
                .header("Accept", "application/json").header("Authorization", "Bearer " + settings.token())
                .GET().build();
        CompletableFuture<HttpResponse<String>> sent = http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
        inFlight = sent;
        HttpResponse<String> response;
        try {
            // The client's timeout ends at the answer's headers; this bounds the body too.
            response = sent.get(bound.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            sent.cancel(true);
            return failure("no answer from " + endpoint + " within " + bound.toSeconds() + " s");
        } catch (InterruptedException e) {
            sent.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            return failure(describe(e.getCause()));
        } finally {
            inFlight = null;
        }
        int code = response.statusCode();
        if (code == 204) {
            contact();
            return Duration.ZERO;
        }
        if (code != 200) {
            return failure("the fleet view answered " + code + detail(response.body()));
        }
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (IOException e) {
            return failure("the fleet view's answer is not JSON: " + WireText.neutralise(e.getMessage(), 200));
        }
        if (body == null || !body.isArray()) {
            return failure("the fleet view's answer is not a JSON array of orders");
        }
        contact();
        int n = 0;
        for (JsonNode o : body) {
            if (n++ == MAX_BODY_ORDERS) {
                LOG.warnf("the fleet view sent %d orders at once; the rest come again with the next answer", n - 1);
                break;
            }
            take(o);
        }
        if (n > 0) {
            taken.run();
        }
        return Duration.ZERO;
    }

    private void take(JsonNode json) {
        ActionOrder order;
        try {
            order = JSON.treeToValue(json, ActionOrder.class);
        } catch (IOException | IllegalArgumentException e) {
            LOG.warnf("an order of the fleet view is not an order and is left out: %s",
                    WireText.neutralise(e.getMessage(), 200));
            return;
        }
        OrderTaker.Taken t;
        try {
            t = taker.take(order, true);
        } catch (RuntimeException e) {
            // One order must not stop the channel; its id stays unknown, so a later delivery tries it again.
            LOG.errorf(e, "the fleet view's order %s could not be taken", WireText.neutralise(order.id(), 64));
            return;
        }
        orders.incrementAndGet();
        if (t.known()) {
            LOG.debugf("the fleet view's order %s again: known (%s), not run again", order.id(), t.record().state());
        } else if (t.record() == null) {
            LOG.warnf("the fleet view's order %s is not taken: %s", WireText.neutralise(order.id(), 64),
                    t.refusal().detail());
        } else if (t.refusal() != null) {
            LOG.warnf("the fleet view's order %s (%s of %s by %s) is refused: %s", order.id(), order.action(),
                    order.tag(), t.record().requestedBy(), t.refusal().detail());
        } else {
            LOG.infof("the fleet view's order %s: %s of %s by %s, %s", order.id(), order.action(), order.tag(),
                    t.record().requestedBy(), t.record().state());
        }
    }

    private void contact() {
        lastContact = clock.instant();
        if (failures > 0) {
            LOG.infof("taking the fleet view's orders again after %d failed attempts", failures);
        }
        failures = 0;
        lastCause = null;
    }

    private Duration failure(String cause) {
        failures++;
        if (!cause.equals(lastCause)) {
            // One line per distinct cause, not one per retry.
            LOG.warnf("cannot take the fleet view's orders, retrying: %s", cause);
            lastCause = cause;
        }
        return backoff(failures);
    }

    /** 1 s, 2 s, 4 s ... 30 s, each with up to a fifth of jitter either way. */
    static Duration backoff(int failures) {
        long millis = Math.min(MAX_RETRY.toMillis(), FIRST_RETRY.toMillis() << Math.min(failures - 1, 10));
        double jitter = 0.8 + 0.4 * ThreadLocalRandom.current().nextDouble();
        return Duration.ofMillis((long) (millis * jitter));
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
                return ": " + WireText.neutralise(d.asText(), 300);
            }
        } catch (IOException | RuntimeException notJson) {
            // a body that is not a problem detail says nothing we can show on one line
        }
        return "";
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        CompletableFuture<HttpResponse<String>> f = inFlight;
        if (f != null) {
            f.cancel(true);
        }
        thread.interrupt();
        thread.join(5_000);
        httpThreads.shutdownNow();
        httpThreads.awaitTermination(1, TimeUnit.SECONDS);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
