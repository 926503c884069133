package io.hulftark.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hulftark.cli.SimSettings;
import io.hulftark.sim.SimInstallation;
import io.hulftark.sim.SimSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11, items 1 and 2, with a real agent process and a real fleet view process: a poison text neither stops
 * the reports nor is refused by the fleet view; a forged report from the year 9999 does not silence the node; an
 * agent whose clock ran a day ahead, then was corrected, keeps being shown; forgetting the node resets it.
 */
class AgentFleetWireIT {

    static final String TAG = "hulft";
    static final String CLUSTER = "it-wire";
    static final ObjectMapper JSON = new ObjectMapper();
    /** Short, so that a silenced node would show as STALE within the test. */
    static final Duration FRESH_FOR = Duration.ofSeconds(4);

    @TempDir
    Path dir;
    SimInstallation sim;
    AgentProcess agent;
    FleetProcess fleet;
    String reporter;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

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

    void startFleet() throws Exception {
        Path state = dir.resolve("fleet");
        Path tokens = state.resolve("tokens");
        fleet = new FleetProcess(Map.of("hulftark.fleet.fresh-for", FRESH_FOR.toSeconds() + "s"), state, tokens).start();
        reporter = FleetProcess.reporter(tokens, CLUSTER);
        SimSpec.Builder spec = SimSpec.builder().resource(TAG, SimSpec.DEFAULT_SERVICE_NAME);
        for (String key : SimSpec.PORT_KEYS) {
            spec.port(key, AgentProcess.freePort());
        }
        sim = SimInstallation.create(dir.resolve("HULFT Family"), spec.build());
    }

    /** The agent of node n1; {@code clockOffset} is the test-only shift of its clock. */
    AgentProcess agent(Duration clockOffset) throws Exception {
        Map<String, String> p = new LinkedHashMap<>(SimSettings.of(sim, dir.resolve("agent-state")));
        p.put("hulftark.probe", "tcp");
        p.put("hulftark.agent.tags", TAG);
        p.put("hulftark.agent.action-mode", "direct");
        p.put("hulftark.agent.check-interval", "1s");
        p.put("hulftark.cluster", CLUSTER);
        p.put("hulftark.node", "n1");
        p.put("hulftark.fleet.url", "http://127.0.0.1:" + fleet.port);
        p.put("hulftark.fleet.token", reporter);
        p.put("hulftark.fleet.heartbeat", "1s");
        if (!clockOffset.isZero()) {
            p.put("hulftark.agent.test-only-clock-offset", clockOffset.toString());
        }
        return new AgentProcess(p, Map.of(), dir).start();
    }

    JsonNode cluster() throws Exception {
        HttpResponse<String> r = fleet.get("/api/v1/fleet/clusters/" + CLUSTER + "?history=500", FleetProcess.VIEWER);
        return r.statusCode() == 200 ? JSON.readTree(r.body()) : JSON.createObjectNode();
    }

    JsonNode awaitCluster(String what, Predicate<JsonNode> condition) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
        JsonNode last = cluster();
        while (!condition.test(last)) {
            assertThat(System.nanoTime()).as(what + "; the fleet view says " + last).isLessThan(until);
            Thread.sleep(100);
            last = cluster();
        }
        return last;
    }

    static JsonNode n1(JsonNode cluster) {
        for (JsonNode n : cluster.path("nodes")) {
            if (n.path("node").asText().equals("n1")) {
                return n;
            }
        }
        return JSON.createObjectNode();
    }

    static List<String> texts(JsonNode detail) {
        List<String> texts = new ArrayList<>();
        detail.path("history").forEach(e -> texts.add(e.path("text").asText()));
        return texts;
    }

    /** n1's latest report was received after {@code after} and is fresh. */
    static boolean reportedSince(JsonNode c, Instant after) {
        JsonNode n = n1(c);
        return n.path("fresh").asBoolean() && n.path("receivedAt").isTextual()
                && Instant.parse(n.path("receivedAt").asText()).isAfter(after);
    }

    /** Past fresh-for with the agent reporting: still shown, never STALE. */
    void assertKeepsBeingShown(String what) throws Exception {
        Thread.sleep(FRESH_FOR.toMillis() + 2000);
        Instant now = Instant.now();
        JsonNode c = awaitCluster(what, x -> reportedSince(x, now.minusSeconds(1)));
        assertThat(c.at("/cluster/state").asText()).as(what + ": " + c).isNotEqualTo("STALE");
    }

    HttpResponse<String> postReport(String json) throws Exception {
        return fleet.post("/api/v1/fleet/reports", reporter, json);
    }

    @Test
    void poisonTextsAndAForgedFutureReportStopNothingAndForgettingResetsTheNode() throws Exception {
        startFleet();
        agent = agent(Duration.ZERO);
        awaitCluster("n1 reported", c -> n1(c).path("resources").path(0).path("status").asText().equals("STOPPED"));

        // Item 1: the agent refuses a reason with a C1 control, naming it; a bidi override is a free text's right.
        HttpResponse<String> poison = agent.post("/api/v1/resources/" + TAG + "/actions", AgentProcess.OPERATOR,
                "{\"action\": \"quickCheck\", \"reason\": \"next\u0085line\"}");
        assertThat(poison.statusCode()).as(poison.body()).isEqualTo(400);
        assertThat(JSON.readTree(poison.body()).path("detail").asText()).contains("U+0085");
        HttpResponse<String> bidi = agent.post("/api/v1/resources/" + TAG + "/actions", AgentProcess.OPERATOR,
                "{\"action\": \"quickCheck\", \"reason\": \"shown \u202Eas is\"}");
        assertThat(bidi.statusCode()).as(bidi.body()).isEqualTo(202);
        awaitCluster("the action's reason at the fleet view, as typed",
                c -> texts(c).stream().anyMatch(t -> t.contains("(reason: shown \u202Eas is)")));

        // A report whose event text holds U+0085 (an agent of another version, a journal from before the rule):
        // taken, stored neutralised; the real agent's reports go on being taken.
        JsonNode own = JSON.readTree(agent.get("/api/v1/report?after=0", AgentProcess.VIEWER).body());
        ObjectNode carrier = own.deepCopy();
        carrier.put("instance", "older-agent").put("seq", 1);
        ObjectNode event = JSON.createObjectNode().put("seq", 900_001).put("at", Instant.now().toString())
                .put("tag", TAG).put("type", "action").put("text", "restore by ops: QUEUED (reason: a\u0085b)");
        carrier.putArray("events").add(event);
        HttpResponse<String> taken = postReport(carrier.toString());
        assertThat(taken.statusCode()).as(taken.body()).isEqualTo(202);
        awaitCluster("the text kept neutralised", c -> texts(c).contains("restore by ops: QUEUED (reason: a\uFFFDb)"));
        Instant afterPoison = Instant.now();
        awaitCluster("the real agent's reports still taken", c -> reportedSince(c, afterPoison));

        // Item 2: a forged report from the year 9999 with the greatest seq, saying HULFT failed.
        ObjectNode forged = own.deepCopy();
        forged.put("instance", "forged").put("seq", Long.MAX_VALUE).put("agentStartedAt", "9999-12-31T00:00:00Z")
                .put("sentAt", "9999-12-31T00:00:00Z").putArray("events");
        ((ObjectNode) forged.path("resources").path(0)).put("status", "FAILED").put("role", "active")
                .put("since", "9999-12-31T00:00:00Z");
        HttpResponse<String> f = postReport(forged.toString());
        assertThat(f.statusCode()).as(f.body()).isEqualTo(202);
        Instant afterForgery = Instant.now();
        JsonNode back = awaitCluster("the real agent shown again after the forgery", c -> reportedSince(c, afterForgery)
                && n1(c).path("resources").path(0).path("status").asText().equals("STOPPED"));
        assertThat(n1(back).path("agentStartedAt").asText()).doesNotStartWith("9999");
        assertKeepsBeingShown("after the forgery");

        // Another forgery, then the operator forgets the node: what the fleet view knew of it is gone, the real
        // agent's next report is its first again.
        forged.put("seq", Long.MAX_VALUE).put("instance", "forged-2");
        assertThat(postReport(forged.toString()).statusCode()).isEqualTo(202);
        HttpResponse<String> forget = http.send(HttpRequest.newBuilder(fleet.uri("/api/v1/fleet/clusters/" + CLUSTER
                        + "/nodes/n1")).timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + FleetProcess.OPERATOR)
                .DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(forget.statusCode()).as(forget.body()).isEqualTo(204);
        JsonNode again = awaitCluster("n1 back after it was forgotten",
                c -> texts(c).contains("node n1 reports again after it was forgotten") && !n1(c).isEmpty()
                        && n1(c).path("resources").path(0).path("status").asText().equals("STOPPED"));
        assertThat(n1(again).path("dropped").asLong()).isZero();
        assertKeepsBeingShown("after forgetting the node");
    }

    @Test
    void anAgentWhoseClockRanADayAheadThenWasCorrectedKeepsBeingShown() throws Exception {
        startFleet();
        agent = agent(Duration.ofDays(1));
        JsonNode ahead = awaitCluster("n1 reported with its clock a day ahead", c -> n1(c).path("fresh").asBoolean());
        // The skew shows; the fleet view's own times are not moved by it.
        assertThat(n1(ahead).path("skewMillis").asLong()).isBetween(Duration.ofHours(23).toMillis(),
                Duration.ofHours(25).toMillis());
        assertThat(Instant.parse(n1(ahead).path("agentStartedAt").asText()))
                .as("a start beyond the clock bound is kept as the time received").isBefore(Instant.now().plusSeconds(360));
        awaitCluster("its history, at times no later than the bound", c -> c.path("history").size() > 0);
        for (JsonNode e : cluster().path("history")) {
            assertThat(Instant.parse(e.path("at").asText())).as(e.toString()).isBefore(Instant.now().plusSeconds(360));
        }
        assertKeepsBeingShown("with its clock a day ahead");

        // Corrected: restarted with the machine's clock (its start is now a day before the last one's).
        agent.close();
        agent = agent(Duration.ZERO);
        JsonNode corrected = awaitCluster("the corrected agent's reports taken",
                c -> n1(c).path("fresh").asBoolean() && Math.abs(n1(c).path("skewMillis").asLong()) < 60_000);
        assertThat(corrected.at("/cluster/state").asText()).isNotEqualTo("STALE");
        assertKeepsBeingShown("after its clock was corrected");
    }
}
