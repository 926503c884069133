package io.hulftark.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.hulftark.cli.SimSettings;
import io.hulftark.sim.SimInstallation;
import io.hulftark.sim.SimSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A real agent that takes fleet actions holds its order channel open to a stand-in fleet view (the JDK's HTTP
 * server: the fleet view's side is built on its own): an order delivered runs once; the same order delivered again,
 * after a delivery cut mid-way, and after the agent was killed and restarted, never runs again; its outcome is in
 * the agent's reports (pushed, and GET /api/v1/report) under the order's id.
 */
class AgentOrdersIT {

    static final String TAG = "hulft";
    static final String CLUSTER = "it-orders";
    static final String NODE = "n1";
    static final String REPORTER = "hak_reporter-token-for-orders-it-0123456789";
    static final ObjectMapper JSON = new ObjectMapper();
    static final long BOUND_MS = 60_000; // an upper bound for a hang, never a speed claim

    @TempDir
    Path dir;
    SimInstallation sim;
    AgentProcess agent;
    StandInFleet fleet;

    @AfterEach
    void stop() throws Exception {
        if (agent != null) {
            agent.close();
        }
        if (fleet != null) {
            fleet.close();
        }
        if (sim != null) {
            sim.stopNow();
        }
    }

    /** The fleet view's two endpoints an agent calls: reports taken and kept, orders handed out as a test says. */
    static final class StandInFleet implements AutoCloseable {
        /** What the next order request gets: the body, and whether the connection is cut half-way through it. */
        record Delivery(String body, boolean cut) { }

        final HttpServer server;
        final ExecutorService threads = Executors.newCachedThreadPool();
        final BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
        final List<String> orderRequests = new CopyOnWriteArrayList<>();
        final AtomicInteger handedOut = new AtomicInteger();
        final List<JsonNode> reports = new CopyOnWriteArrayList<>();
        final List<String> badTokens = new CopyOnWriteArrayList<>();

        StandInFleet() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setExecutor(threads);
            server.createContext("/api/v1/fleet/reports", this::report);
            server.createContext("/api/v1/fleet/orders", this::orders);
            server.start();
        }

        int port() {
            return server.getAddress().getPort();
        }

        private boolean authorised(HttpExchange x) throws IOException {
            String auth = x.getRequestHeaders().getFirst("Authorization");
            if (!("Bearer " + REPORTER).equals(auth)) {
                badTokens.add(String.valueOf(auth));
                x.sendResponseHeaders(401, -1);
                x.close();
                return false;
            }
            return true;
        }

        private void report(HttpExchange x) throws IOException {
            if (authorised(x)) {
                reports.add(JSON.readTree(x.getRequestBody().readAllBytes()));
                x.sendResponseHeaders(200, -1);
                x.close();
            }
        }

        /** Held until a delivery is queued (a second at most, then 204), as the fleet view holds it. */
        private void orders(HttpExchange x) throws IOException {
            if (!authorised(x)) {
                return;
            }
            orderRequests.add(x.getRequestMethod() + " " + x.getRequestURI());
            Delivery d;
            try {
                d = deliveries.poll(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (d == null) {
                x.sendResponseHeaders(204, -1);
                x.close();
                return;
            }
            byte[] body = d.body().getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().set("Content-Type", "application/json");
            x.sendResponseHeaders(200, body.length);
            OutputStream out = x.getResponseBody();
            if (d.cut()) {
                // Half the order, then the connection goes: the agent must take nothing of it.
                out.write(body, 0, body.length / 2);
                out.flush();
                x.close(); // fewer bytes than announced: the server drops the connection
            } else {
                out.write(body);
                out.close();
            }
            handedOut.incrementAndGet();
        }

        /** Queues a delivery, then waits until the agent asked again after it: by then it has taken it. */
        void deliver(String body, boolean cut) throws InterruptedException {
            int asked = orderRequests.size();
            int before = handedOut.get();
            deliveries.add(new Delivery(body, cut));
            await("the agent to take the delivery and ask again",
                    () -> handedOut.get() > before && orderRequests.size() > asked + 1);
        }

        @Override
        public void close() {
            server.stop(0);
            threads.shutdownNow();
        }
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BOUND_MS);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(until);
            Thread.sleep(50);
        }
    }

    static String order(String id, String action) {
        return "[{\"id\": \"" + id + "\", \"cluster\": \"" + CLUSTER + "\", \"node\": \"" + NODE + "\", \"tag\": \""
                + TAG + "\", \"action\": \"" + action + "\", \"reason\": \"moving HULFT here\", \"requestedBy\": "
                + "\"alice\", \"requestedAt\": \"" + Instant.now() + "\"}]";
    }

    Map<String, String> agentProperties() {
        Map<String, String> p = new LinkedHashMap<>(SimSettings.of(sim, dir.resolve("agent-state")));
        p.put("hulftark.probe", "tcp");
        p.put("hulftark.agent.tags", TAG);
        p.put("hulftark.agent.action-mode", "direct");
        p.put("hulftark.agent.check-interval", "1s");
        p.put("hulftark.agent.fleet-actions.enabled", "true");
        p.put("hulftark.agent.labels", "site=osaka,env=prod");
        p.put("hulftark.cluster", CLUSTER);
        p.put("hulftark.node", NODE);
        p.put("hulftark.fleet.url", "http://127.0.0.1:" + fleet.port());
        p.put("hulftark.fleet.token", REPORTER);
        p.put("hulftark.fleet.heartbeat", "1s");
        return p;
    }

    /** The agent's own history of the order: each step it recorded (QUEUED, RUNNING, the end), in order. */
    List<String> steps(String id) throws Exception {
        JsonNode events = JSON.readTree(agent.get("/api/v1/events?since=0&limit=1000", AgentProcess.VIEWER).body());
        List<String> steps = new ArrayList<>();
        events.forEach(e -> {
            if (id.equals(e.path("action").path("id").asText())) {
                steps.add(e.path("action").path("state").asText());
            }
        });
        return steps;
    }

    @Test
    void anOrderRunsOnceThoughDeliveredAgainCutAndAfterARestart() throws Exception {
        fleet = new StandInFleet();
        SimSpec.Builder spec = SimSpec.builder().resource(TAG, SimSpec.DEFAULT_SERVICE_NAME);
        for (String key : SimSpec.PORT_KEYS) {
            spec.port(key, AgentProcess.freePort());
        }
        sim = SimInstallation.create(dir.resolve("HULFT Family"), spec.build());
        agent = new AgentProcess(agentProperties(), Map.of(), dir).start();

        // The agent holds the channel with its reporter token and says what the fleet view may ask of it.
        await("the agent to ask for orders", () -> !fleet.orderRequests.isEmpty());
        assertThat(fleet.orderRequests.get(0)).isEqualTo("GET /api/v1/fleet/orders?node=" + NODE + "&wait=25");
        await("a report", () -> !fleet.reports.isEmpty());
        JsonNode first = fleet.reports.get(0);
        assertThat(first.path("fleetActions").asBoolean()).isTrue();
        assertThat(first.path("actionsVia").asText()).isEqualTo("direct");
        assertThat(first.path("labels").path("site").asText()).isEqualTo("osaka");

        // Cut half-way: nothing of it is taken, and the agent comes back for more.
        String id = "ord-it-1";
        fleet.deliver(order(id, "restore"), true);
        assertThat(steps(id)).isEmpty();

        // Delivered whole: it runs.
        fleet.deliver(order(id, "restore"), false);
        JsonNode done = agent.awaitAction(id);
        assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
        assertThat(done.path("requestedBy").asText()).isEqualTo("fleet:alice");
        assertThat(steps(id)).containsExactly("QUEUED", "RUNNING", "SUCCEEDED");

        // Delivered again (the fleet view did not see the agent take it): known, not run again.
        fleet.deliver(order(id, "restore"), false);
        fleet.deliver(order(id, "restore"), true);
        fleet.deliver(order(id, "restore"), false);
        assertThat(steps(id)).containsExactly("QUEUED", "RUNNING", "SUCCEEDED");

        // The outcome went to the fleet view under the order's id, and is in GET /api/v1/report too.
        await("the pushed outcome", () -> fleet.reports.stream().anyMatch(r -> outcome(r, id, "SUCCEEDED")));
        JsonNode polled = JSON.readTree(agent.get("/api/v1/report?after=0", AgentProcess.VIEWER).body());
        assertThat(outcome(polled, id, "SUCCEEDED")).as(polled.toString()).isTrue();

        // Killed and started again on the same journal: the id is remembered, the order does not run again.
        agent.kill();
        agent = new AgentProcess(agentProperties(), Map.of(), dir).start();
        fleet.deliver(order(id, "restore"), false);
        assertThat(agent.awaitAction(id).path("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(steps(id)).containsExactly("QUEUED", "RUNNING", "SUCCEEDED");

        // A new order still runs on the restarted agent.
        fleet.deliver(order("ord-it-2", "quickCheck"), false);
        assertThat(agent.awaitAction("ord-it-2").path("state").asText()).isIn("SUCCEEDED", "FAILED");
        assertThat(steps("ord-it-2")).hasSize(3);
        assertThat(fleet.badTokens).isEmpty();
    }

    @Test
    void aBadLabelStopsTheStartNamingTheKey() throws Exception {
        fleet = new StandInFleet();
        SimSpec.Builder spec = SimSpec.builder().resource(TAG, SimSpec.DEFAULT_SERVICE_NAME);
        for (String key : SimSpec.PORT_KEYS) {
            spec.port(key, AgentProcess.freePort());
        }
        sim = SimInstallation.create(dir.resolve("HULFT Family"), spec.build());
        Map<String, String> p = agentProperties();
        p.put("hulftark.agent.labels", "Site=osaka");
        AgentProcess bad = new AgentProcess(p, Map.of(), dir);
        try {
            assertThatThrownBy(bad::start).hasMessageContaining("the agent exited")
                    .hasMessageContaining("hulftark.agent.labels: the key 'Site' is not a label key");
        } finally {
            bad.close();
        }
        assertThat(fleet.orderRequests).as("no channel without a start").isEmpty();
    }

    static boolean outcome(JsonNode report, String id, String state) {
        for (JsonNode e : report.path("events")) {
            JsonNode a = e.path("action");
            if (id.equals(a.path("id").asText()) && state.equals(a.path("state").asText())) {
                return true;
            }
        }
        return false;
    }
}
