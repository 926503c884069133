package io.hulftark.fleet.poll;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.hulftark.fleet.actions.OrderBook;
import io.hulftark.fleet.actions.delivery.MemoryOrderBook;
import io.hulftark.wire.ActionOrder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link PolledDelivery} against a JDK HttpServer standing in for a polled agent's POST /api/v1/orders. */
class PolledDeliveryTest {

    static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();
    static final OrderBook.NodeKey NODE = new OrderBook.NodeKey("delta", "d1");
    static final String TOKEN = "hak_action-token-of-d1";

    /** One request the stand-in agent received. */
    record Received(String authorization, String contentType, JsonNode body) {
    }

    private final MemoryOrderBook book = new MemoryOrderBook();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    /** The statuses the stand-in answers, in turn; 202 when none is left. */
    private final LinkedBlockingQueue<Integer> answers = new LinkedBlockingQueue<>();
    private final Map<String, Optional<OrderBook.NodeKey>> reportsAs = new ConcurrentHashMap<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    private URI agent() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/orders", exchange -> {
            JsonNode body = JSON.readTree(exchange.getRequestBody());
            received.add(new Received(exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestHeaders().getFirst("Content-Type"), body));
            Integer status = answers.poll();
            int s = status == null ? 202 : status;
            byte[] out = (s < 300 ? "{\"id\":\"" + body.path("id").asText() + "\",\"state\":\"QUEUED\"}"
                    : "{\"status\":" + s + ",\"detail\":\"refused for the test\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", s < 300 ? "application/json" : "application/problem+json");
            exchange.sendResponseHeaders(s, out.length);
            try (OutputStream o = exchange.getResponseBody()) {
                o.write(out);
            }
        });
        server.start();
        toClose.add(() -> server.stop(0));
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private PolledDelivery delivery(URI url) {
        reportsAs.putIfAbsent("d1-agent", Optional.of(NODE));
        PolledDelivery d = new PolledDelivery(List.of(new PolledDelivery.Target("d1-agent", url, TOKEN)),
                name -> reportsAs.getOrDefault(name, Optional.empty()), book, Duration.ofSeconds(2),
                Clock.systemUTC());
        toClose.add(d);
        return d;
    }

    static ActionOrder order() {
        return new ActionOrder(UUID.randomUUID().toString(), NODE.cluster(), NODE.node(), "HULFT", "restore",
                "patching", "otto", Instant.now());
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not within 10 s: " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void aPlacedOrderIsPostedAtOnceWithTheActionToken() throws Exception {
        PolledDelivery d = delivery(agent());
        ActionOrder o = order();
        book.place(o, true); // not in waiting(): only placed() can deliver it
        d.placed(NODE);
        await(() -> book.deliveredAt(o.id()) != null, "handed out");
        assertThat(received).hasSize(1);
        Received r = received.get(0);
        assertThat(r.authorization()).isEqualTo("Bearer " + TOKEN);
        assertThat(r.contentType()).isEqualTo("application/json");
        assertThat(r.body().path("requestedAt").isTextual()).as("an ISO-8601 instant").isTrue();
        assertThat(JSON.treeToValue(r.body(), ActionOrder.class)).isEqualTo(o);
    }

    @Test
    void anOrderOfAnotherNodeIsNotPostedHere() throws Exception {
        PolledDelivery d = delivery(agent());
        ActionOrder other = new ActionOrder(UUID.randomUUID().toString(), "delta", "d2", "HULFT", "restore", null,
                "otto", Instant.now());
        book.place(other, false);
        d.placed(new OrderBook.NodeKey("delta", "d2"));
        d.sweep();
        ActionOrder mine = order(); // a marker: once it is through, d2's would have been too
        book.place(mine, true);
        d.placed(NODE);
        await(() -> book.deliveredAt(mine.id()) != null, "d1's handed out");
        assertThat(received).extracting(r -> r.body().path("id").asText()).containsExactly(mine.id());
        assertThat(book.deliveredAt(other.id())).isNull();
    }

    @Test
    void theAgentsRefusalHandsTheOrderOut() throws Exception {
        PolledDelivery d = delivery(agent());
        for (int status : new int[] {403, 400, 404}) {
            answers.add(status);
            ActionOrder o = order();
            book.place(o, true);
            d.placed(NODE);
            await(() -> book.deliveredAt(o.id()) != null, status + ": handed out (the agent records its refusal)");
        }
        assertThat(received).hasSize(3);
    }

    @Test
    void aFailureIsRetriedOnTheSweepAndTheAgentGetsTheOrderOnceItAnswers() throws Exception {
        PolledDelivery d = delivery(agent());
        answers.add(503);
        answers.add(401);
        ActionOrder o = order();
        book.place(o, false);
        d.start();
        d.placed(NODE);
        await(() -> book.deliveredAt(o.id()) != null, "handed out after two failures");
        assertThat(received).hasSize(3)
                .allSatisfy(r -> assertThat(r.body().path("id").asText()).isEqualTo(o.id()));
    }

    @Test
    void noAgentListeningIsRetriedWithoutEndingTheSweeps() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        PolledDelivery d = delivery(URI.create("http://127.0.0.1:" + port));
        ActionOrder o = order();
        book.place(o, false);
        d.start();
        d.placed(NODE);
        int before = book.waitingCalls();
        await(() -> book.waitingCalls() >= before + 2, "the sweep goes on");
        assertThat(book.deliveredAt(o.id())).isNull();
    }

    @Test
    void anAgentThatHasNotReportedGetsNothingUntilItHas() throws Exception {
        reportsAs.put("d1-agent", Optional.empty());
        PolledDelivery d = delivery(agent());
        ActionOrder o = order();
        book.place(o, false);
        d.start();
        d.placed(NODE);
        int before = book.waitingCalls();
        d.sweep();
        assertThat(book.waitingCalls()).as("no store query while no polled agent has reported").isEqualTo(before);
        assertThat(received).isEmpty();
        reportsAs.put("d1-agent", Optional.of(NODE)); // its first poll answered
        await(() -> book.deliveredAt(o.id()) != null, "handed out after its first report");
    }
}
