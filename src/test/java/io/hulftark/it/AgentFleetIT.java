package io.hulftark.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hulftark.cli.SimSettings;
import io.hulftark.sim.SimInstallation;
import io.hulftark.sim.SimSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real agent pushing to a real fleet view: the state arrives; while the fleet view is down the agent keeps
 * what happens, and it all arrives when the fleet view is back; the restarted fleet view kept its history.
 */
class AgentFleetIT {

    static final String TAG = "hulft";
    static final String CLUSTER = "it-push";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    SimInstallation sim;
    AgentProcess agent;
    FleetProcess fleet;

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

    JsonNode cluster() throws Exception {
        return fleet.cluster(CLUSTER, 500);
    }

    JsonNode awaitCluster(String what, Predicate<JsonNode> condition, long timeoutMs) throws Exception {
        return fleet.awaitCluster(CLUSTER, what, condition, timeoutMs);
    }

    static List<String> texts(JsonNode detail) {
        List<String> texts = new ArrayList<>();
        detail.path("history").forEach(e -> texts.add(e.path("text").asText()));
        return texts;
    }

    /**
     * Asks for an action and waits for its end: the cluster can look served before the action is over (a start
     * the kit retries), and a crash in between would be covered by the retry's start.
     */
    void act(String action) throws Exception {
        HttpResponse<String> r = agent.post("/api/v1/resources/" + TAG + "/actions", AgentProcess.OPERATOR,
                "{\"action\": \"" + action + "\", \"reason\": \"push test\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        JsonNode done = agent.awaitAction(JSON.readTree(r.body()).path("id").asText());
        assertThat(done.path("state").asText()).as(action + ": " + done).isEqualTo("SUCCEEDED");
    }

    JsonNode awaitAgent(String status) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            JsonNode r = JSON.readTree(agent.get("/api/v1/resources/" + TAG, AgentProcess.VIEWER).body());
            if (r.path("status").asText().equals(status)) {
                return r;
            }
            if (System.nanoTime() >= until) {
                String events = agent.get("/api/v1/events?since=0&limit=1000", AgentProcess.VIEWER).body();
                assertThat(System.nanoTime()).as("agent still " + r + "; its events: " + events).isLessThan(until);
            }
            Thread.sleep(50);
        }
    }

    @Test
    void nothingIsLostWhileTheFleetViewIsDownAndItsHistoryOutlivesItsRestart() throws Exception {
        Path fleetState = dir.resolve("fleet");
        Path tokens = fleetState.resolve("tokens");
        fleet = new FleetProcess(Map.of(), fleetState, tokens).start();
        String reporter = FleetProcess.reporter(tokens, CLUSTER);

        SimSpec.Builder spec = SimSpec.builder().resource(TAG, SimSpec.DEFAULT_SERVICE_NAME);
        for (String key : SimSpec.PORT_KEYS) {
            spec.port(key, AgentProcess.freePort());
        }
        sim = SimInstallation.create(dir.resolve("HULFT Family"), spec.build());
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
        agent = new AgentProcess(p, Map.of(), dir).start();

        // Standing by (STOPPED) on its only node: nobody serves, the cluster is DOWN; restored, it is OK.
        awaitCluster("the standby node reported", c -> c.at("/nodes/0/resources/0/status").asText().equals("STOPPED"),
                30_000);
        act("restore");
        awaitCluster("the cluster served", c -> c.at("/cluster/state").asText().equals("OK"), 30_000);

        // The fleet view goes away; meanwhile HULFT crashes and an operator restores it.
        fleet.stop();
        assertThat(sim.crash()).as("a running simulated HULFT to crash").isTrue();
        awaitAgent("FAILED");
        act("restore");
        awaitAgent("RUNNING");

        // Back on the same port and state: the outage's events arrive, the earlier history is still there.
        fleet = new FleetProcess(Map.of(), fleetState, tokens, fleet.port).start();
        JsonNode back = awaitCluster("the outage's transitions delivered",
                c -> texts(c).stream().anyMatch(t -> t.startsWith("RUNNING → FAILED"))
                        && texts(c).stream().anyMatch(t -> t.startsWith("FAILED → RUNNING")), 30_000);
        List<String> texts = texts(back);
        assertThat(texts).as("two restores: before and during the outage")
                .filteredOn(t -> t.startsWith("restore by ops") && t.contains("SUCCEEDED")).hasSizeGreaterThanOrEqualTo(2);
        assertThat(texts).as("history from before the restart").anyMatch(t -> t.startsWith("STOPPED → RUNNING"));
        // Each of the agent's events once: as many as the agent itself holds, of each type.
        JsonNode own = JSON.readTree(agent.get("/api/v1/events?since=0&limit=1000", AgentProcess.VIEWER).body());
        long transitions = 0;
        long actionSteps = 0;
        for (JsonNode e : own) {
            transitions += e.path("type").asText().equals("transition") ? 1 : 0;
            actionSteps += e.path("type").asText().equals("action") ? 1 : 0;
        }
        JsonNode settled = cluster();
        List<String> kinds = new ArrayList<>();
        settled.path("history").forEach(e -> kinds.add(e.path("kind").asText()));
        assertThat(kinds).as("transitions, each once").filteredOn("TRANSITION"::equals).hasSize((int) transitions);
        assertThat(kinds).as("action steps, each once").filteredOn("ACTION"::equals).hasSize((int) actionSteps);
        assertThat(back.at("/cluster/state").asText()).isEqualTo("OK");
    }
}
