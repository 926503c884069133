package io.hulftark.fleet.ui;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
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
import java.util.concurrent.TimeUnit;

/** The packaged hulft-ark running one long-lived command (fleet, agent) as a real process on a free loopback port. */
final class AppProcess implements AutoCloseable {

    /** Set by failsafe to target/quarkus-app/quarkus-run.jar. */
    static final Path APP = Path.of(System.getProperty("hulftark.it.app", "target/quarkus-app/quarkus-run.jar"));

    final String command;
    final int port;
    /** Health, metrics and OpenAPI: the management interface's own port. */
    final int managementPort;
    final Path log;
    private final Map<String, String> properties;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Process process;

    AppProcess(String command, Map<String, String> properties, Path log) throws IOException {
        this.command = command;
        this.port = freePort();
        this.managementPort = freePort();
        this.log = log;
        this.properties = new LinkedHashMap<>(properties);
        this.properties.put("quarkus.http.port", Integer.toString(port));
        this.properties.put("quarkus.management.port", Integer.toString(managementPort));
        this.properties.put("quarkus.http.host", "127.0.0.1");
    }

    URI base() {
        return URI.create("http://127.0.0.1:" + port + "/");
    }

    AppProcess start() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx192m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        properties.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.addAll(List.of("-jar", APP.toString(), command));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().remove("LKROOT");
        process = pb.start();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < until) {
            if (!process.isAlive()) {
                throw new AssertionError(command + " exited with " + process.exitValue() + ": " + Files.readString(log));
            }
            try {
                if (get(URI.create("http://127.0.0.1:" + managementPort + "/q/health/live").toString(), null)
                        .statusCode() == 200) {
                    return this;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError(command + " did not answer within 60 s: " + Files.readString(log));
    }

    HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(base().resolve(path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String token, String json) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base().resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** SIGTERM as a service manager stops it, then SIGKILL if it does not end. */
    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
