package io.hulftark.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hulftark.wire.Status;
import io.hulftark.app.Promtool;
import io.hulftark.cli.SimSettings;
import io.hulftark.sim.SimInstallation;
import io.hulftark.sim.SimSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Slow, oversized, aborted and too many uploads against the packaged fleet view and agent, on raw sockets: no
 * client holds a thread or stops another, every body meets its limit however it is framed, every client fault is
 * one WARN line and a 4xx, and both services' metrics are what promtool accepts.
 */
class SlowClientIT {

    static final String REPORTS = "/api/v1/fleet/reports";
    // Long enough for the steps before the first 408 on a busy machine, short enough for a test.
    static final Duration BODY_TIMEOUT = Duration.ofSeconds(8);
    static final int PER_CREDENTIAL = 4;
    static final int MAX_UPLOADS = 8;
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    static Path dir;
    static FleetProcess fleet;
    static Path tokens;
    static AgentProcess agent;
    static SimInstallation sim;

    @BeforeAll
    static void start() throws Exception {
        Map<String, String> limits = Map.of("hulftark.http.body-timeout", BODY_TIMEOUT.toMillis() + "ms",
                "hulftark.http.uploads-per-credential", Integer.toString(PER_CREDENTIAL),
                "hulftark.http.max-uploads", Integer.toString(MAX_UPLOADS));
        tokens = dir.resolve("fleet").resolve("tokens");
        fleet = new FleetProcess(limits, dir.resolve("fleet"), tokens).start();

        SimSpec.Builder spec = SimSpec.builder().resource("hulft", SimSpec.DEFAULT_SERVICE_NAME);
        for (String key : SimSpec.PORT_KEYS) {
            spec.port(key, AgentProcess.freePort());
        }
        sim = SimInstallation.create(dir.resolve("HULFT Family"), spec.build());
        Map<String, String> p = new LinkedHashMap<>(SimSettings.of(sim, dir.resolve("agent-state")));
        p.putAll(limits);
        p.put("hulftark.probe", "tcp");
        p.put("hulftark.agent.tags", "hulft");
        p.put("hulftark.agent.action-mode", "direct");
        p.put("hulftark.agent.check-interval", "1s");
        p.put("hulftark.cluster", "it-cluster");
        Files.createDirectories(dir.resolve("agent"));
        agent = new AgentProcess(p, Map.of(), dir.resolve("agent")).start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (agent != null) {
            agent.close();
        }
        if (sim != null) {
            sim.stopNow();
        }
        if (fleet != null) {
            fleet.close();
        }
    }

    @Test
    void slowUploadsHoldNoThreadAndStopNoOtherClient() throws Exception {
        String attacker = FleetProcess.reporter(tokens, "c1");
        String other = FleetProcess.reporter(tokens, "c2");
        String second = FleetProcess.reporter(tokens, "c3");
        assertThat(fleet.post(REPORTS, other, FleetIT.report("c2", "n1", 1, Status.RUNNING, null)).statusCode())
                .isEqualTo(202); // warms the worker pool: the baseline counts the threads a report needs
        long before = threads(fleet.pid());
        long warnsBefore = warnLines(fleet.log);

        List<RawClient> slow = new ArrayList<>();
        ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
        try {
            for (int i = 0; i < 60; i++) {
                slow.add(opened(fleet.port, REPORTS, attacker));
            }
            // A byte every 300 ms: never idle, never done.
            trickle.scheduleAtFixedRate(() -> slow.forEach(c -> c.send(new byte[] {' '})), 300, 300, TimeUnit.MILLISECONDS);
            Thread.sleep(1500);

            long during = threads(fleet.pid());
            assertThat(during).as("threads with 60 trickling uploads (before: " + before + ")").isLessThanOrEqualTo(before + 8);
            // Which four the service admitted depends on the order its event loops read the requests in.
            Map<RawClient, Integer> early = answered(slow, Duration.ofSeconds(1));
            assertThat(counts(early)).as("one credential's uploads beyond " + PER_CREDENTIAL)
                    .isEqualTo(Map.of(0, PER_CREDENTIAL, 429, 56));
            List<RawClient> admitted = new ArrayList<>(early.keySet().stream().filter(c -> early.get(c) == 0).toList());

            // Everyone else is served at once: a reader, and another cluster's agent.
            Duration summary = RawClient.timed(() -> assertThat(fleet.get("/api/v1/fleet/summary", FleetProcess.VIEWER)
                    .statusCode()).isEqualTo(200));
            Duration report = RawClient.timed(() -> assertThat(fleet.post(REPORTS, other,
                    FleetIT.report("c2", "n1", 2, Status.RUNNING, null)).statusCode()).isEqualTo(202));
            assertThat(summary).isLessThan(Duration.ofSeconds(2));
            assertThat(report).isLessThan(Duration.ofSeconds(2));
            assertThat(fleet.manage("/q/health/ready").statusCode()).isEqualTo(200);

            // A second credential takes the remaining places: the service is full, and says so.
            for (int i = 0; i < MAX_UPLOADS - PER_CREDENTIAL; i++) {
                slow.add(opened(fleet.port, REPORTS, second));
            }
            Thread.sleep(300);
            HttpResponse<String> ready = fleet.manage("/q/health/ready");
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(503);
            assertThat(ready.body()).contains("\"capacity\"", "hulftark.http.max-uploads");
            assertThat(fleet.manage("/q/health/live").statusCode()).isEqualTo(200);
            HttpResponse<String> full = fleet.post(REPORTS, other, FleetIT.report("c2", "n1", 3, Status.RUNNING, null));
            assertThat(full.statusCode()).isEqualTo(503);
            assertThat(full.headers().firstValue("Retry-After")).hasValue(Long.toString(BODY_TIMEOUT.toSeconds()));
            assertThat(full.headers().firstValue("Content-Type")).hasValue("application/problem+json");

            // Within the body timeout, trickle or not, every admitted upload ends with a 408.
            admitted.addAll(slow.subList(60, slow.size()));
            assertThat(counts(answered(admitted, BODY_TIMEOUT.plusSeconds(3)))).isEqualTo(Map.of(408, MAX_UPLOADS));
        } finally {
            trickle.shutdownNow();
            for (RawClient c : slow) {
                c.close();
            }
        }
        awaitReady(fleet);
        assertThat(fleet.post(REPORTS, other, FleetIT.report("c2", "n1", 4, Status.RUNNING, null)).statusCode())
                .isEqualTo(202);

        // One WARN line per refused client (56 × 429, one 503, 8 × 408) and nothing else: no stack trace, no ERROR.
        List<String> log = Files.readAllLines(fleet.log);
        assertThat(warnLines(fleet.log) - warnsBefore).isEqualTo(56 + 1 + MAX_UPLOADS);
        assertThat(log).noneMatch(l -> l.startsWith("\tat ") || l.contains(" ERROR "));
        String metrics = fleet.manage("/q/metrics").body();
        assertThat(count(metrics, "POST", "429", REPORTS)).isEqualTo(56);
        assertThat(count(metrics, "POST", "408", REPORTS)).isEqualTo(MAX_UPLOADS);
        assertThat(metrics).doesNotContain("status=\"500\"");
    }

    @Test
    void everyBodyMeetsItsLimitHoweverItIsFramed() throws Exception {
        String reporter = FleetProcess.reporter(tokens, "c4");
        long warnsBefore = warnLines(fleet.log);

        // The probe's report: 2,097,151 bytes, chunked (it was taken), and the same with its length declared.
        byte[] big = padded(FleetIT.report("c4", "n1", 1, Status.RUNNING, null), 2_097_151);
        for (boolean chunked : new boolean[] {true, false}) {
            try (RawClient c = new RawClient(fleet.port, "POST", REPORTS, reporter, chunked ? -1 : big.length)) {
                if (chunked) {
                    c.sendChunked(big);
                } else {
                    c.send(big);
                }
                String answer = c.answer(Duration.ofSeconds(10));
                assertThat(RawClient.status(answer)).as(answer).isEqualTo(413);
                assertThat(RawClient.header(answer, "Content-Type")).isEqualTo("application/problem+json");
                JsonNode problem = JSON.readTree(RawClient.body(answer));
                assertThat(problem.path("status").asInt()).isEqualTo(413);
                assertThat(problem.path("detail").asText()).contains("at most 1048576");
                assertThat(problem.path("instance").asText()).isEqualTo(REPORTS);
            }
        }
        // A chunked report within the limit is taken as any other.
        try (RawClient c = new RawClient(fleet.port, "POST", REPORTS, reporter, -1)) {
            c.sendChunked(padded(FleetIT.report("c4", "n1", 2, Status.RUNNING, null), 900_000));
            String answer = c.answer(Duration.ofSeconds(20));
            assertThat(RawClient.status(answer)).as(answer).isEqualTo(202);
        }
        // Every other body: 16 KiB, chunked too, on both services.
        try (RawClient c = new RawClient(fleet.port, "POST", "/api/v1/fleet/clusters/c4/acknowledgements",
                FleetProcess.OPERATOR, -1)) {
            c.sendChunked(padded("{\"comment\": \"x\", \"until\": \"2030-01-01T00:00:00Z\"}", 16 * 1024 + 1));
            String answer = c.answer(Duration.ofSeconds(10));
            assertThat(RawClient.status(answer)).as(answer).isEqualTo(413);
            assertThat(RawClient.body(answer)).contains("at most 16384");
        }
        try (RawClient c = new RawClient(agent.port, "POST", "/api/v1/resources/hulft/actions", AgentProcess.OPERATOR, -1)) {
            c.sendChunked(padded("{\"action\": \"quickCheck\", \"reason\": \"x\"}", 20_000));
            String answer = c.answer(Duration.ofSeconds(10));
            assertThat(RawClient.status(answer)).as(answer).isEqualTo(413);
            assertThat(RawClient.header(answer, "Content-Type")).isEqualTo("application/problem+json");
        }
        // An upload its client abandons halfway: one WARN line, no error, no 500.
        try (RawClient c = new RawClient(fleet.port, "POST", REPORTS, reporter, 50_000)) {
            c.send("{\"cluster\": \"c4\", ".getBytes(StandardCharsets.UTF_8));
            Thread.sleep(300);
        }
        Thread.sleep(500);

        List<String> log = Files.readAllLines(fleet.log);
        assertThat(warnLines(fleet.log) - warnsBefore).isEqualTo(4);
        assertThat(log).anyMatch(l -> l.contains("WARN") && l.contains("went away after"));
        assertThat(log).noneMatch(l -> l.startsWith("\tat ") || l.contains(" ERROR "));
        assertThat(Files.readAllLines(agent.log)).noneMatch(l -> l.startsWith("\tat ") || l.contains(" ERROR "))
                .anyMatch(l -> l.contains("WARN") && l.contains("413"));
        String metrics = fleet.manage("/q/metrics").body();
        assertThat(count(metrics, "POST", "413", REPORTS)).isEqualTo(2);
        assertThat(metrics).doesNotContain("status=\"500\"").contains("outcome=\"CLIENT_ERROR\",status=\"RESET\"");
    }

    @Test
    void theAgentTooHoldsNoThreadForASlowClient() throws Exception {
        assertThat(agent.get("/api/v1/resources", AgentProcess.VIEWER).statusCode()).isEqualTo(200);
        long before = threads(agent.pid());
        List<RawClient> slow = new ArrayList<>();
        ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
        try {
            for (int i = 0; i < 30; i++) {
                slow.add(opened(agent.port, "/api/v1/resources/hulft/actions", AgentProcess.OPERATOR));
            }
            trickle.scheduleAtFixedRate(() -> slow.forEach(c -> c.send(new byte[] {' '})), 300, 300, TimeUnit.MILLISECONDS);
            Thread.sleep(1500);
            assertThat(threads(agent.pid())).as("before: " + before).isLessThanOrEqualTo(before + 8);
            Duration read = RawClient.timed(() -> assertThat(agent.get("/api/v1/resources", AgentProcess.VIEWER)
                    .statusCode()).isEqualTo(200));
            assertThat(read).isLessThan(Duration.ofSeconds(2));
            Map<RawClient, Integer> early = answered(slow, Duration.ofSeconds(1));
            assertThat(counts(early)).isEqualTo(Map.of(0, PER_CREDENTIAL, 429, 30 - PER_CREDENTIAL));
            List<RawClient> admitted = early.keySet().stream().filter(c -> early.get(c) == 0).toList();
            assertThat(counts(answered(admitted, BODY_TIMEOUT.plusSeconds(3)))).isEqualTo(Map.of(408, PER_CREDENTIAL));
        } finally {
            trickle.shutdownNow();
            for (RawClient c : slow) {
                c.close();
            }
        }
        assertThat(Files.readAllLines(agent.log)).noneMatch(l -> l.startsWith("\tat ") || l.contains(" ERROR "));
    }

    @Test
    void bothServicesMetricsParseAndOursPassPromtoolsLint() throws Exception {
        String reporter = FleetProcess.reporter(tokens, "c5");
        assertThat(fleet.post(REPORTS, reporter, FleetIT.report("c5", "n1", 1, Status.RUNNING, null)).statusCode())
                .isEqualTo(202);
        // Random paths, with and without a credential: none may become a label of its own.
        for (int i = 0; i < 5; i++) {
            fleet.get("/api/v1/fleet/nothing-" + i, FleetProcess.VIEWER);
            fleet.get("/api/v1/fleet/clusters/unknown-" + i, null);
            agent.get("/api/v1/resources/unknown-" + i, null);
            HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.port + "/api/v1/resources/u-" + i))
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        }
        awaitMetric(agent, "hulftark_check_seconds_count");
        for (int port : new int[] {fleet.managementPort, agent.managementPort}) {
            // As curl and Telegraf ask (no Accept, or */*), and as Prometheus does (OpenMetrics first).
            HttpResponse<String> plain = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/metrics"))
                    .header("Accept", "*/*").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(plain.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
            assertThat(Promtool.check(plain.body())).as("promtool on port " + port).isEmpty();
            assertThat(plain.body()).contains("# HELP hulftark_").doesNotContain("unknown-", "nothing-", "u-0");
            HttpResponse<String> prometheus = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/metrics"))
                    .header("Accept", "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;"
                            + "q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(prometheus.statusCode()).isEqualTo(200);
        }
        // Nothing of it on the API's port.
        assertThat(fleet.get("/q/metrics", null).statusCode()).isEqualTo(404);
        assertThat(agent.get("/q/metrics", null).statusCode()).isEqualTo(404);
    }

    // ---- helpers ----

    /** An upload that announces 10,000 bytes (within every limit) and sends its first. */
    static RawClient opened(int port, String path, String token) throws Exception {
        RawClient c = new RawClient(port, "POST", path, token, 10_000);
        c.send("{".getBytes(StandardCharsets.UTF_8));
        return c;
    }

    /** Each client's status within {@code wait} (0: no answer yet), in the order given. */
    static Map<RawClient, Integer> answered(List<RawClient> clients, Duration wait) throws Exception {
        Map<RawClient, Integer> seen = new LinkedHashMap<>();
        long until = System.nanoTime() + wait.toNanos();
        for (RawClient c : clients) {
            Duration left = Duration.ofNanos(Math.max(1_000_000, until - System.nanoTime()));
            seen.put(c, RawClient.status(c.answer(left)));
        }
        return seen;
    }

    static Map<Integer, Integer> counts(Map<RawClient, Integer> statuses) {
        Map<Integer, Integer> n = new TreeMap<>();
        statuses.values().forEach(s -> n.merge(s, 1, Integer::sum));
        return n;
    }

    static long threads(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("Threads:")) {
                return Long.parseLong(line.substring(8).strip());
            }
        }
        throw new AssertionError("no Threads line for " + pid);
    }

    static long warnLines(Path log) throws Exception {
        return Files.readAllLines(log).stream().filter(l -> l.contains(" WARN ") && l.contains("UploadRoutes")).count();
    }

    /** A JSON object's text made {@code size} bytes long with blanks before its closing brace. */
    static byte[] padded(String json, int size) {
        byte[] head = json.substring(0, json.lastIndexOf('}')).getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[size];
        Arrays.fill(out, (byte) ' ');
        System.arraycopy(head, 0, out, 0, head.length);
        out[size - 1] = '}';
        return out;
    }

    /** The count of http_server_requests_seconds for one method, status and uri label. */
    static long count(String metrics, String method, String status, String uri) {
        Matcher m = Pattern.compile("http_server_requests_seconds_count\\{([^}]*)} ([0-9.E]+)").matcher(metrics);
        long n = 0;
        while (m.find()) {
            String labels = m.group(1);
            if (labels.contains("method=\"" + method + "\"") && labels.contains("status=\"" + status + "\"")
                    && labels.contains("uri=\"" + uri + "\"")) {
                n += (long) Double.parseDouble(m.group(2));
            }
        }
        return n;
    }

    static void awaitReady(FleetProcess f) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (f.manage("/q/health/ready").statusCode() != 200) {
            assertThat(System.nanoTime()).as("ready again").isLessThan(until);
            Thread.sleep(100);
        }
    }

    static void awaitMetric(AgentProcess a, String name) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!a.manage("/q/metrics").body().contains(name)) {
            assertThat(System.nanoTime()).as(name).isLessThan(until);
            Thread.sleep(200);
        }
    }
}
