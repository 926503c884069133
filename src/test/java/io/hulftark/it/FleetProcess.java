package io.hulftark.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hulftark.http.security.ReporterScope;
import io.hulftark.http.security.Role;
import io.hulftark.http.security.TokenStore;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/** The packaged 'hulft-ark fleet' as a process of its own, on a free port. */
final class FleetProcess implements AutoCloseable {

    static final String VIEWER = "hak_fleet-viewer-for-its-0123456789abcdef";
    static final String OPERATOR = "hak_fleet-operator-for-its-0123456789abcdef";

    final int port;
    /** Health, metrics and OpenAPI: the management interface's own port (loopback). */
    final int managementPort;
    final Path log;
    private final Map<String, String> properties;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Process process;

    /** @param tokens a tokens file; made with a viewer and an operator when it does not exist */
    /** What differs between two simulated nodes on one machine by construction (see the constructor). */
    static final String SAME_MACHINE_KEYS = io.hulftark.demo.Demo.SAME_MACHINE_KEYS;

    FleetProcess(Map<String, String> properties, Path stateDir, Path tokens) throws IOException {
        this(properties, stateDir, tokens, AgentProcess.freePort());
    }

    /** On a given port: a restarted fleet view where the agents expect it. */
    FleetProcess(Map<String, String> properties, Path stateDir, Path tokens, int port) throws IOException {
        this.port = port;
        this.managementPort = AgentProcess.freePort();
        Files.createDirectories(stateDir);
        this.log = stateDir.resolve("fleet-" + port + ".log");
        if (!Files.exists(tokens)) {
            TokenStore store = new TokenStore(tokens);
            store.add("vera", Role.VIEWER, VIEWER);
            store.add("otto", Role.OPERATOR, OPERATOR);
        }
        this.properties = new LinkedHashMap<>(properties);
        // The nodes of a test cluster share one machine: each has its own simulated HULFT (folder, ports), which on a
        // real cluster would be one installation path and one hulenv.cnf. A test that checks drift says its own keys.
        this.properties.putIfAbsent("hulftark.fleet.readiness.per-node-keys", SAME_MACHINE_KEYS);
        this.properties.put("hulftark.state-dir", stateDir.toAbsolutePath().toString());
        this.properties.put("hulftark.security.tokens-file", tokens.toAbsolutePath().toString());
        this.properties.put("quarkus.http.port", Integer.toString(port));
        this.properties.put("quarkus.management.port", Integer.toString(managementPort));
        this.properties.put("quarkus.http.host", "127.0.0.1");
    }

    /** A reporter token for {@code cluster}, added to the fleet view's tokens file (read again when it changes). */
    static String reporter(Path tokens, String cluster) {
        String token = TokenStore.newToken();
        new TokenStore(tokens).add("agent-" + cluster, Role.REPORTER,
                Optional.of(new ReporterScope(cluster, Optional.empty())), token);
        return token;
    }

    FleetProcess start() throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Cli.javaBin(), "-Xmx256m"));
        properties.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.addAll(List.of("-jar", Cli.APP.toString(), "fleet"));
        process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < until) {
            if (!process.isAlive()) {
                throw new AssertionError("the fleet view exited with " + process.exitValue() + ": " + Files.readString(log));
            }
            try {
                if (manage("/q/health/ready").statusCode() == 200) {
                    return this;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the fleet view was not ready within 60 s: " + Files.readString(log));
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
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
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The cluster's detail with its last {@code history} events as a viewer sees it; an empty object until it exists. */
    JsonNode cluster(String name, int history) throws IOException, InterruptedException {
        HttpResponse<String> r = get("/api/v1/fleet/clusters/" + name + "?history=" + history, VIEWER);
        return r.statusCode() == 200 ? DETAIL_JSON.readTree(r.body()) : DETAIL_JSON.createObjectNode();
    }

    /** Polls the cluster's detail (last 500 events) until {@code condition} holds; fails with what it last said. */
    JsonNode awaitCluster(String name, String what,
                                                         Predicate<JsonNode> condition,
                                                         long timeoutMs) throws IOException, InterruptedException {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        JsonNode last = cluster(name, 500);
        while (!condition.test(last)) {
            assertThat(System.nanoTime()).as(what + "; the fleet view says " + last)
                    .isLessThan(until);
            Thread.sleep(100);
            last = cluster(name, 500);
        }
        return last;
    }

    private static final ObjectMapper DETAIL_JSON =
            new ObjectMapper();

    HttpResponse<String> post(String path, String token, String json) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    /** SIGTERM, as systemd or Kubernetes stops it; returns the exit code. */
    int stop() throws InterruptedException {
        if (process == null) {
            return -1;
        }
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(12, TimeUnit.SECONDS)) {
                threadDump(); // what holds the shutdown up, into the log a failing test prints
                if (!process.waitFor(8, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
        }
        return process.exitValue();
    }

    private void threadDump() throws InterruptedException {
        try {
            Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    Long.toString(process.pid()), "Thread.print").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            jcmd.waitFor(10, TimeUnit.SECONDS);
        } catch (java.io.IOException e) {
            // no dump: the test's own assertion still tells what went wrong
        }
    }

    /** SIGKILL: no shutdown hook, nothing flushed; what was answered before must still be there. */
    void kill() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
