package io.hulftark.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The packaged agent as a real process on a free loopback port, with its own tokens. */
final class AgentProcess implements AutoCloseable {

    static final String VIEWER = "hak_viewer-token-for-tests-0123456789abcdef";
    static final String OPERATOR = "hak_operator-token-for-tests-0123456789abcdef";
    private static final ObjectMapper JSON = new ObjectMapper();

    final int port;
    /** Health, metrics and OpenAPI: the management interface's own port (loopback). */
    final int managementPort;
    final Path log;
    private final Map<String, String> properties;
    private final Map<String, String> env;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Process process;

    AgentProcess(Map<String, String> properties, Map<String, String> env, Path dir) throws IOException {
        this.port = freePort();
        this.managementPort = freePort();
        this.log = dir.resolve("agent.log");
        Path tokens = dir.resolve("tokens");
        Files.writeString(tokens, "# test tokens\nviewer-bot viewer " + sha256(VIEWER) + "\nops operator "
                + sha256(OPERATOR) + "\n");
        this.properties = new java.util.LinkedHashMap<>(properties);
        this.properties.put("hulftark.security.tokens-file", tokens.toString());
        this.properties.put("quarkus.http.port", Integer.toString(port));
        this.properties.put("quarkus.management.port", Integer.toString(managementPort));
        this.properties.put("quarkus.http.host", "127.0.0.1");
        // Never the machine-wide /var/lib/hulft-ark/fast/check.sock: test agents run side by side.
        if (!this.properties.containsKey("hulftark.agent.fast-check.socket")) {
            this.properties.putIfAbsent("hulftark.agent.fast-check.enabled", "false");
        }
        this.env = env;
    }

    AgentProcess start() throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Cli.javaBin(), "-Xmx96m"));
        properties.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.addAll(List.of("-jar", Cli.APP.toString(), "agent"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().remove("LKROOT");
        pb.environment().putAll(env);
        process = pb.start();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < until) {
            if (!process.isAlive()) {
                throw new AssertionError("the agent exited with " + process.exitValue() + ": " + Files.readString(log));
            }
            try {
                if (manage("/q/health/live").statusCode() == 200) {
                    return this;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the agent did not answer within 30 s: " + Files.readString(log));
    }

    /** Waits up to 60 s for the action's end; returns its record. */
    JsonNode awaitAction(String id) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            JsonNode a = JSON.readTree(get("/api/v1/actions/" + id, VIEWER).body());
            if (a.path("endedAt").isTextual()) {
                return a;
            }
            assertThat(System.nanoTime()).as("action still " + a).isLessThan(until);
            Thread.sleep(50);
        }
    }

    /** The process's id, e.g. to read /proc/PID/status. */
    long pid() {
        return process.pid();
    }

    /** GET on the management interface (no token: it is loopback only). */
    HttpResponse<String> manage(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + path))
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String token, String json) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token);
        return http.send(b.POST(HttpRequest.BodyPublishers.ofString(json == null ? "" : json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The agent's process id (it runs). */
    /** SIGKILL: no shutdown hook, no cleanup, as a crash or an OOM killer ends it. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).as("the agent died of SIGKILL").isTrue();
    }

    /** SIGTERM, as systemd or the Windows service wrapper stops it. */
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static final java.util.concurrent.atomic.AtomicInteger NEXT_FIXED =
            new java.util.concurrent.atomic.AtomicInteger(20_000 + java.util.concurrent.ThreadLocalRandom.current().nextInt(10_000));

    /**
     * A free port below the system's ephemeral range (32768 on): one a process will listen on later, which no
     * outgoing connection of the many a test makes can take in between, and which this JVM hands out once.
     */
    static int serverPort() throws IOException {
        for (int tries = 0; tries < 2000; tries++) {
            int port = 20_000 + Math.floorMod(NEXT_FIXED.getAndIncrement() - 20_000, 12_000);
            try (ServerSocket s = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
                return s.getLocalPort();
            } catch (IOException taken) {
                // in use: the next one
            }
        }
        throw new IOException("no free port between 20000 and 32000");
    }
}
