package io.hulftark.agent.push;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.hulftark.wire.Report;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in fleet view on a real loopback port: it takes POST /api/v1/fleet/reports, keeps every request (headers,
 * raw body, parsed report), can answer slowly or with a chosen status, and can go down and come back on its port.
 */
final class FleetFixture implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

    record Received(String authorization, String contentType, String body, Report report, int answered, Instant at) { }

    final List<Received> received = new CopyOnWriteArrayList<>();
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();
    volatile int status = 200;
    volatile String answer = "{}";
    volatile long delayMillis;
    /** Answers a report its own way when it returns an answer (null: as {@code status} and {@code answer} say). */
    volatile java.util.function.Function<Report, Answer> judge;

    record Answer(int status, String body) { }
    private final int port;
    // Many threads, so that the fixture itself never serialises requests: concurrency would show.
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private HttpServer server;

    FleetFixture() throws IOException {
        server = bind(0);
        port = server.getAddress().getPort();
    }

    /** On a port chosen before, e.g. one an agent was told to push to before it started. */
    FleetFixture(int port) throws IOException, InterruptedException {
        this.port = port;
        up();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** The reports the fixture answered 2xx to. */
    List<Report> taken() {
        return received.stream().filter(r -> r.answered() / 100 == 2).map(Received::report).toList();
    }

    synchronized void down() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    synchronized void up() throws IOException, InterruptedException {
        if (server != null) {
            return;
        }
        for (int attempt = 0; ; attempt++) {
            try {
                server = bind(port);
                return;
            } catch (BindException e) {
                if (attempt > 50) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    private HttpServer bind(int p) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), p), 50);
        s.createContext("/api/v1/fleet/reports", this::handle);
        s.setExecutor(pool);
        s.start();
        return s;
    }

    private void handle(HttpExchange x) throws IOException {
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        try {
            String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (delayMillis > 0) {
                Thread.sleep(delayMillis);
            }
            int code = "POST".equals(x.getRequestMethod()) ? status : 405;
            Report report = null;
            try {
                report = JSON.readValue(body, Report.class);
            } catch (IOException notAReport) {
                code = 400;
            }
            String text = answer;
            java.util.function.Function<Report, Answer> j = judge;
            Answer a = j == null || report == null ? null : j.apply(report);
            if (a != null) {
                code = a.status();
                text = a.body();
            }
            received.add(new Received(x.getRequestHeaders().getFirst("Authorization"),
                    x.getRequestHeaders().getFirst("Content-Type"), body, report, code, Instant.now()));
            byte[] out = text.getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().add("Content-Type", code / 100 == 2 ? "application/json" : "application/problem+json");
            x.sendResponseHeaders(code, out.length);
            x.getResponseBody().write(out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            inFlight.decrementAndGet();
            x.close();
        }
    }

    @Override
    public void close() {
        down();
        pool.shutdownNow();
    }
}
