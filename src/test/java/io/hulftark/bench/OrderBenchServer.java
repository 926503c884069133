package io.hulftark.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.hulftark.fleet.actions.OrderPlaced;
import io.hulftark.fleet.actions.delivery.MemoryOrderBook;
import io.hulftark.fleet.actions.delivery.OrderDelivery;
import io.hulftark.fleet.actions.delivery.OrderProfile;
import io.hulftark.wire.ActionOrder;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The server side of src/bench/orders.sh, not a test: a real fleet view (this @QuarkusTest's application, embedded
 * store, real HTTP) whose order book is the test's {@link MemoryOrderBook}, because the store's book comes with
 * another part of issue 12. A control port (JDK HttpServer) lets {@link OrderBench} place orders the way the
 * actions service will (into the book, then CDI {@code OrderPlaced}) and read the JVM's heap after a GC and its
 * threads. Runs only with {@code -Dtest=OrderBenchServer -Dbench.orders.ready=FILE}; it writes
 * "API-PORT CONTROL-PORT" to FILE and ends on POST /stop.
 */
@QuarkusTest
@TestProfile(OrderProfile.class)
class OrderBenchServer {

    @TestHTTPResource("/")
    URI base;

    @Inject
    MemoryOrderBook book;

    @Inject
    OrderDelivery delivery;

    @Inject
    Event<OrderPlaced> placed;

    private final AtomicLong ids = new AtomicLong();

    @Test
    void serve() throws Exception {
        String ready = System.getProperty("bench.orders.ready");
        assumeTrue(ready != null, "only for src/bench/orders.sh");
        CountDownLatch stop = new CountDownLatch(1);
        HttpServer control = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        control.createContext("/place", ex -> answer(ex, place(new String(ex.getRequestBody().readAllBytes(),
                StandardCharsets.UTF_8))));
        control.createContext("/stats", ex -> answer(ex, stats("gc=true".equals(ex.getRequestURI().getQuery()))));
        control.createContext("/stop", ex -> {
            answer(ex, "bye\n");
            stop.countDown();
        });
        control.start();
        Path tmp = Path.of(ready + ".tmp");
        Files.writeString(tmp, base.getPort() + " " + control.getAddress().getPort() + "\n");
        Files.move(tmp, Path.of(ready));
        stop.await();
        control.stop(0);
    }

    /** One order per node named (a line each), as the actions service places a step: book, then event. */
    private String place(String nodes) {
        StringBuilder out = new StringBuilder();
        for (String node : nodes.split("\n")) {
            if (node.isBlank()) {
                continue;
            }
            ActionOrder o = new ActionOrder("o-" + ids.incrementAndGet(), "alpha", node.strip(), "HULFT",
                    "quickCheck", "bench", "bench", Instant.now());
            book.place(o, false);
            placed.fire(new OrderPlaced("alpha", o.node()));
            out.append(o.node()).append(' ').append(o.id()).append('\n');
        }
        return out.toString();
    }

    private String stats(boolean gc) {
        if (gc) {
            book.clear(); // the bench's handed-out orders are not what is measured
            for (int i = 0; i < 3; i++) {
                System.gc();
            }
        }
        var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return "waiters=" + delivery.waiters().count() + " heapUsed=" + heap.getUsed() + " threads="
                + ManagementFactory.getThreadMXBean().getThreadCount() + "\n";
    }

    private static void answer(HttpExchange ex, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(200, body.length);
        try (OutputStream o = ex.getResponseBody()) {
            o.write(body);
        }
    }
}
