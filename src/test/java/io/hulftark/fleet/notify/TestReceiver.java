package io.hulftark.fleet.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real webhook receiver on a loopback port: it checks each request's signature the way deploy/fleet/README.md
 * tells a site to (written here from that text, not with the product's Signature class) and keeps what it got.
 */
final class TestReceiver implements AutoCloseable {

    record Received(Instant at, String delivery, boolean signatureValid, JsonNode body, String raw) {
        String kind() {
            return body.path("kind").asText();
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final String secret;
    private final String path;
    final List<Received> received = new CopyOnWriteArrayList<>();
    final AtomicInteger attempts = new AtomicInteger();
    /** Answers 503 (and keeps nothing) while set. */
    volatile boolean down;

    private final java.util.function.Supplier<Instant> clock;

    /** @param clock the receiver's clock, which the timestamp is checked against (the test's, when it moves time) */
    TestReceiver(String secret, String path, java.util.function.Supplier<Instant> clock) {
        this.clock = clock;
        this.secret = secret;
        this.path = path;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext(path, exchange -> {
            attempts.incrementAndGet();
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            if (down) {
                exchange.sendResponseHeaders(503, -1);
                exchange.close();
                return;
            }
            String ts = exchange.getRequestHeaders().getFirst("X-HulftArk-Timestamp");
            String sig = exchange.getRequestHeaders().getFirst("X-HulftArk-Signature");
            boolean valid = verify(ts, sig, body);
            received.add(new Received(Instant.now(), exchange.getRequestHeaders().getFirst("X-HulftArk-Delivery"),
                    valid, JSON.readTree(body), new String(body, StandardCharsets.UTF_8)));
            exchange.sendResponseHeaders(valid ? 204 : 401, -1);
            exchange.close();
        });
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    /** The documented check: HMAC-SHA256(secret, timestamp + "." + body) as hex, timestamp within 5 minutes. */
    private boolean verify(String ts, String sig, byte[] body) {
        if (secret == null) {
            return true;
        }
        if (ts == null || sig == null || Math.abs(clock.get().getEpochSecond() - Long.parseLong(ts)) > 300) {
            return false;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((ts + ".").getBytes(StandardCharsets.UTF_8));
            String expected = "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
            return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), sig.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            return false;
        }
    }

    /** Every change of every delivery kept, as "cluster KIND STATE". */
    List<String> changes() {
        return received.stream().flatMap(r -> {
            List<String> out = new java.util.ArrayList<>();
            r.body().path("changes").forEach(c -> out.add(c.path("cluster").asText() + " " + c.path("kind").asText()
                    + " " + c.path("state").asText()));
            return out.stream();
        }).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
