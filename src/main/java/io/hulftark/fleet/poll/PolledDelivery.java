package io.hulftark.fleet.poll;

import io.hulftark.fleet.store.FleetStoreException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.hulftark.fleet.actions.OrderBook;
import io.hulftark.wire.ActionOrder;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Hands fleet actions to the agents the fleet view polls, through their own REST API: each order waiting for a
 * polled agent's node is POSTed to {@code {url}/api/v1/orders} with the agent's action token, at once when it is
 * placed here and on a 1 s sweep (orders of another instance or from before a restart, and retries). The agent
 * answers 202 (or 200: it has that id already, and runs nothing twice): handed out. 400, 403 and 404 are the
 * agent's refusal, which it records as a REFUSED action that its next report brings back: handed out too. Anything
 * else (401, 5xx, no connection) is tried again, backing off from 1 s to 30 s. One delivery in flight per agent;
 * one log line per change of cause; tokens are never logged.
 */
public final class PolledDelivery implements AutoCloseable {

    /** A polled agent that may be given actions: hulftark.fleet.poll."NAME".url/action-token. */
    public record Target(String name, URI url, String actionToken) {
        public Target {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(actionToken, "actionToken");
        }
    }

    static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    static final Duration LAST_BACKOFF = Duration.ofSeconds(30);
    private static final Logger LOG = Logger.getLogger(PolledDelivery.class);
    // The wire's instants are ISO-8601 text, whatever the application's mapper is set to.
    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    /** What delivery knows of one agent. */
    private static final class Agent {
        final Target target;
        final AtomicBoolean busy = new AtomicBoolean();
        volatile boolean again;
        volatile long notBefore;
        volatile Duration backoff = FIRST_BACKOFF;
        volatile String cause;

        Agent(Target target) {
            this.target = target;
        }
    }

    private final List<Agent> agents;
    private final Function<String, Optional<OrderBook.NodeKey>> reportsAs;
    private final OrderBook book;
    private final Duration requestTimeout;
    private final Clock clock;
    private final ScheduledExecutorService threads;
    private final ExecutorService httpThreads;
    private final HttpClient http;
    private volatile String sweepFailure;

    /** @param reportsAs the node an agent (by its name here) last reported as, from its polled reports */
    public PolledDelivery(List<Target> targets, Function<String, Optional<OrderBook.NodeKey>> reportsAs, OrderBook book,
                          Duration requestTimeout, Clock clock) {
        this.agents = targets.stream().map(Agent::new).toList();
        this.reportsAs = reportsAs;
        this.book = book;
        this.requestTimeout = requestTimeout;
        this.clock = clock;
        AtomicInteger n = new AtomicInteger();
        this.threads = Executors.newScheduledThreadPool(Math.max(1, Math.min(4, targets.size())),
                r -> daemon(r, "fleet-order-push-" + n.incrementAndGet()));
        this.httpThreads = Executors.newCachedThreadPool(r -> daemon(r, "fleet-order-push-http"));
        this.http = HttpClient.newBuilder().connectTimeout(requestTimeout).executor(httpThreads)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Sweeps every second from now on. */
    public void start() {
        threads.scheduleWithFixedDelay(this::sweep, 1, 1, TimeUnit.SECONDS);
    }

    /** An order waits for this node now: its agent, if polled here, gets it at once (backoff or not). */
    public void placed(OrderBook.NodeKey node) {
        for (Agent a : agents) {
            if (reportsAs.apply(a.target.name()).filter(node::equals).isPresent()) {
                kick(a);
            }
        }
    }

    /** One store query; the agents whose node has waiting orders and whose backoff is over get them. */
    void sweep() {
        try {
            if (agents.stream().noneMatch(a -> reportsAs.apply(a.target.name()).isPresent())) {
                return; // none has reported yet: nobody to deliver to
            }
            Set<OrderBook.NodeKey> waiting = book.waiting();
            sweepFailure = null;
            long now = clock.millis();
            for (Agent a : agents) {
                Optional<OrderBook.NodeKey> node = reportsAs.apply(a.target.name());
                if (node.isPresent() && waiting.contains(node.get()) && now >= a.notBefore) {
                    kick(a);
                }
            }
        } catch (RuntimeException e) { // never into the scheduler: it would end the sweeps for good
            if (e instanceof FleetStoreException f && f.fault().isPresent()) {
                return; // the store cannot take work: its availability logs that once, the probe brings it back
            }
            String cause = String.valueOf(e.getMessage());
            if (!cause.equals(sweepFailure)) {
                LOG.warnf("fleet actions: cannot read the orders waiting for polled agents: %s", cause);
                sweepFailure = cause;
            }
        }
    }

    private void kick(Agent a) {
        a.again = true;
        if (a.busy.compareAndSet(false, true)) {
            threads.execute(() -> run(a));
        }
    }

    private void run(Agent a) {
        try {
            while (a.again) {
                a.again = false;
                deliverAll(a);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failed(a, "cannot hand out orders: " + e);
        } finally {
            a.busy.set(false);
        }
        if (a.again && a.busy.compareAndSet(false, true)) { // kicked between the loop's end and the release
            threads.execute(() -> run(a));
        }
    }

    /** The node's waiting orders, one POST each, until one fails (the rest wait for the next try). */
    void deliverAll(Agent a) throws InterruptedException {
        Optional<OrderBook.NodeKey> node = reportsAs.apply(a.target.name());
        if (node.isEmpty()) {
            return;
        }
        List<ActionOrder> orders = book.undelivered(node.get().cluster(), node.get().node(), 20);
        for (ActionOrder o : orders) {
            if (!deliver(a, o)) {
                return;
            }
        }
        if (!orders.isEmpty()) {
            recovered(a);
        }
    }

    /** True when the order is handed out (taken or refused by the agent). */
    private boolean deliver(Agent a, ActionOrder o) throws InterruptedException {
        String base = a.target.url().toString();
        URI uri = URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/api/v1/orders");
        HttpResponse<String> response;
        try {
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(requestTimeout)
                    .header("Content-Type", "application/json").header("Accept", "application/json")
                    .header("Authorization", "Bearer " + a.target.actionToken())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(o))).build();
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return retryLater(a, "cannot reach " + a.target.url() + ": " + describe(e));
        }
        int status = response.statusCode();
        if (status == 200 || status == 202) {
            book.delivered(List.of(o.id()), clock.instant());
            return true;
        }
        if (status == 400 || status == 403 || status == 404) {
            // The agent keeps its refusal as a REFUSED action of this id; its next report tells the fleet action.
            LOG.infof("polled agent %s refused order %s (%s %s): %d%s", a.target.name(), o.id(), o.action(), o.tag(),
                    status, detail(response.body()));
            book.delivered(List.of(o.id()), clock.instant());
            return true;
        }
        if (status == 401) {
            return retryLater(a, "the agent does not know its action token (401): see hulftark.fleet.poll.\""
                    + a.target.name() + "\".action-token");
        }
        return retryLater(a, "the agent answered " + status + detail(response.body()));
    }

    private boolean retryLater(Agent a, String cause) {
        Duration wait = a.backoff;
        a.notBefore = clock.millis() + wait.toMillis();
        a.backoff = wait.multipliedBy(2).compareTo(LAST_BACKOFF) > 0 ? LAST_BACKOFF : wait.multipliedBy(2);
        failed(a, cause);
        return false;
    }

    private static void failed(Agent a, String cause) {
        if (!cause.equals(a.cause)) {
            LOG.warnf("cannot hand fleet actions to polled agent %s: %s (trying again)", a.target.name(), cause);
            a.cause = cause;
        }
    }

    private static void recovered(Agent a) {
        a.backoff = FIRST_BACKOFF;
        a.notBefore = 0;
        if (a.cause != null) {
            LOG.infof("handing fleet actions to polled agent %s again", a.target.name());
            a.cause = null;
        }
    }

    private static String detail(String body) {
        try {
            var d = JSON.readTree(body).path("detail");
            return d.isTextual() ? ": " + oneLine(d.asText()) : "";
        } catch (IOException | RuntimeException notAProblem) {
            return "";
        }
    }

    private static String describe(IOException e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + oneLine(e.getMessage()));
    }

    private static String oneLine(String s) {
        String clean = s.replaceAll("\\p{Cntrl}", " ");
        return clean.length() > 200 ? clean.substring(0, 200) + "..." : clean;
    }

    @Override
    public void close() throws InterruptedException {
        threads.shutdownNow();
        if (!threads.awaitTermination(requestTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS)) {
            LOG.warn("the fleet order delivery threads did not end in time");
        }
        httpThreads.shutdownNow();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
