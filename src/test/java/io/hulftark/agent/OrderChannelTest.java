package io.hulftark.agent;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.hulftark.agent.AgentFakes.FakeExecutor;
import io.hulftark.agent.AgentFakes.FakeProbe;
import io.hulftark.agent.AgentFakes.FakeServices;
import io.hulftark.agent.AgentFakes.MutableClock;
import io.hulftark.agent.journal.LineJournal;
import io.hulftark.agent.orders.OrderChannel;
import io.hulftark.agent.orders.OrderTaker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static io.hulftark.agent.AgentFakes.T0;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The order channel against an HTTP server in this JVM: it survives answers that are no orders and a fleet view that
 * refuses its token (saying why, once), takes what comes, nudges the report push, and stops while a request is held.
 */
class OrderChannelTest {

    private static final Duration WAIT = Duration.ofSeconds(20); // an upper bound for a hang, never a speed claim

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(T0);
    private final FakeExecutor executor = new FakeExecutor();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final List<String> script = new CopyOnWriteArrayList<>();
    private final List<String> asked = new CopyOnWriteArrayList<>();
    private final AtomicInteger pushes = new AtomicInteger();
    private final CountDownLatch held = new CountDownLatch(1);
    private HttpServer server;
    private AgentCore core;

    @BeforeEach
    void setUp() throws IOException {
        FakeServices services = new FakeServices();
        services.set("SA", io.hulftark.platform.ServiceState.RUNNING);
        LineJournal journal = new LineJournal(dir.resolve("state"), LineJournal.MAX_LINE * 4L, 3);
        toClose.add(journal);
        ResourceDirectory directory = new ResourceDirectory(Map.of("A", "SA"), Optional.empty());
        Checker checker = new Checker(AgentFakes.parameters(AgentFakes.hulenv(dir, "rcvport=30000\n")), services,
                new FakeProbe(), directory, clock);
        core = new AgentCore(List.of("A"), checker, directory, executor, new History(journal, 100), 2, 5, clock,
                new AgentCore.Listener() { });
        toClose.add(core);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/base/api/v1/fleet/orders", this::answer);
        server.start();
    }

    @AfterEach
    void tearDown() throws Exception {
        held.countDown();
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        server.stop(0);
    }

    /** Answers from the script, one entry a request: "401", "204", "200 BODY"; "hold" when it runs out. */
    private void answer(HttpExchange x) throws IOException {
        asked.add(x.getRequestURI() + " " + x.getRequestHeaders().getFirst("Authorization"));
        String next = script.isEmpty() ? "hold" : script.remove(0);
        if (next.equals("hold")) {
            try {
                held.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            x.sendResponseHeaders(204, -1);
        } else if (next.startsWith("200 ")) {
            byte[] body = next.substring(4).getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(200, body.length);
            x.getResponseBody().write(body);
        } else {
            byte[] body = ("{\"detail\": \"answer " + next + "\"}").getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(Integer.parseInt(next), body.length);
            x.getResponseBody().write(body);
        }
        x.close();
    }

    private OrderChannel channel() {
        OrderChannel c = new OrderChannel(new OrderChannel.Settings(URI.create("http://127.0.0.1:"
                + server.getAddress().getPort() + "/base/"), "hak_reporter", "node-a", Duration.ofSeconds(25)),
                new OrderTaker(core, "c1", "node-a", true), pushes::incrementAndGet, clock);
        toClose.add(c);
        return c;
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("gave up waiting: " + what);
            }
            Thread.sleep(10);
        }
    }

    static String order(String id) {
        return "{\"id\": \"" + id + "\", \"cluster\": \"c1\", \"node\": \"node-a\", \"tag\": \"A\", \"action\": "
                + "\"restore\", \"requestedBy\": \"alice\", \"requestedAt\": \"2025-01-01T00:00:00Z\"}";
    }

    @Test
    void afterRefusalsAndNonsenseTheOrdersAreTakenOnceEach() throws Exception {
        script.addAll(List.of("401", "200 {\"not\": \"an array\"}", "204",
                "200 [" + order("o-1") + ", {\"id\": 5, \"requestedAt\": \"yesterday\"}, " + order("o-1") + "]",
                "200 [" + order("o-1") + "," + order("o-2") + "]"));
        OrderChannel c = channel();
        c.start();
        await("the script to be played", () -> script.isEmpty() && asked.size() >= 6);
        await("both orders to end", () -> core.known("o-2").map(ActionRecord::finished).orElse(false)
                && core.known("o-1").map(ActionRecord::finished).orElse(false));
        assertThat(executor.ran).containsExactly("restore A", "restore A");
        assertThat(core.known("o-1").orElseThrow().requestedBy()).isEqualTo("fleet:alice");
        assertThat(asked).allMatch(a -> a.equals("/base/api/v1/fleet/orders?node=node-a&wait=25 Bearer hak_reporter"));
        assertThat(pushes.get()).as("a push after each answer with orders").isEqualTo(2);
        assertThat(c.state().lastError()).isNull();
        assertThat(c.state().lastContact()).isEqualTo(T0);
        assertThat(c.state().orders()).isEqualTo(4);
    }

    @Test
    void aRefusedTokenIsShownUntilTheFleetViewAnswers() throws Exception {
        script.addAll(List.of("401", "401"));
        OrderChannel c = channel();
        c.start();
        await("the refusal shown", () -> c.state().lastError() != null);
        assertThat(c.state().lastError()).isEqualTo("the fleet view answered 401: answer 401");
        assertThat(c.state().lastContact()).isNull();
        await("the request held after the refusals", () -> script.isEmpty() && asked.size() == 3);
        // Held by the fleet view: close() cancels the request and ends the thread.
        c.close();
        assertThat(executor.ran).isEmpty();
    }
}
