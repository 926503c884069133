package io.hulftark.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hulftark.cli.SimSettings;
import io.hulftark.sim.Fault;
import io.hulftark.sim.SimInstallation;
import io.hulftark.sim.SimSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/** The packaged agent as a process, watching and acting on a simulated HULFT, next to the CLI. */
class AgentIT {

    static final String TAG = "hulft";
    static final ObjectMapper JSON = new ObjectMapper();
    static final long INTERVAL_MS = 1000;
    static final int FAILURES = 2;
    static final long PROBE_BOUND_MS = 2000;

    @TempDir
    Path dir;
    SimInstallation sim;
    AgentProcess agent;
    Cli cli;

    @BeforeEach
    void start() throws Exception {
        SimSpec.Builder spec = SimSpec.builder().resource(TAG, SimSpec.DEFAULT_SERVICE_NAME);
        for (String key : SimSpec.PORT_KEYS) {
            spec.port(key, AgentProcess.freePort());
        }
        sim = SimInstallation.create(dir.resolve("HULFT Family"), spec.build());
        Path state = dir.resolve("state");
        Map<String, String> p = new LinkedHashMap<>(SimSettings.of(sim, state));
        p.put("hulftark.probe", "tcp");
        p.put("hulftark.probe-timeout", PROBE_BOUND_MS + "ms");
        p.put("hulftark.agent.tags", TAG);
        p.put("hulftark.agent.action-mode", "direct");
        p.put("hulftark.agent.check-interval", INTERVAL_MS + "ms");
        p.put("hulftark.agent.failures-before-failed", Integer.toString(FAILURES));
        p.put("hulftark.cluster", "it-cluster");
        agent = new AgentProcess(p, Map.of(), dir).start();
        cli = new Cli(sim, state);
    }

    @AfterEach
    void stop() throws Exception {
        agent.close();
        sim.stopNow();
    }

    JsonNode resource() throws Exception {
        HttpResponse<String> r = agent.get("/api/v1/resources/" + TAG, AgentProcess.VIEWER);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    JsonNode await(Predicate<JsonNode> condition, long timeoutMs) throws Exception {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        JsonNode last = resource();
        while (!condition.test(last)) {
            assertThat(System.nanoTime()).as("still " + last).isLessThan(until);
            Thread.sleep(50);
            last = resource();
        }
        return last;
    }

    JsonNode act(String action) throws Exception {
        HttpResponse<String> r = agent.post("/api/v1/resources/" + TAG + "/actions", AgentProcess.OPERATOR,
                "{\"action\": \"" + action + "\", \"reason\": \"integration test\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        assertThat(r.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).contains("/api/v1/actions/"));
        return JSON.readTree(r.body());
    }

    JsonNode awaitAction(String id) throws Exception {
        return agent.awaitAction(id);
    }

    @Test
    void aStoppedServiceOnAStandbyIsStoppedThenRestoreOverRestMakesItRunning() throws Exception {
        JsonNode standby = await(r -> r.path("status").asText().equals("STOPPED"), 10_000);
        assertThat(standby.path("role").asText()).isNotEqualTo("active");

        JsonNode queued = act("restore");
        assertThat(queued.path("state").asText()).isEqualTo("QUEUED");
        assertThat(queued.path("requestedBy").asText()).isEqualTo("ops");
        JsonNode done = awaitAction(queued.path("id").asText());
        assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
        assertThat(done.path("exitCode").asInt()).isZero();

        JsonNode running = await(r -> r.path("status").asText().equals("RUNNING"), 5_000);
        assertThat(running.path("lastCheck").path("ports")).hasSize(5)
                .allSatisfy(port -> assertThat(port.path("ok").asBoolean()).isTrue());
        assertThat(sim.isRunning()).isTrue();
    }

    @Test
    void aCrashIsFailedWithinTwoIntervalsAndTheProbeBound() throws Exception {
        awaitAction(act("restore").path("id").asText());
        await(r -> r.path("status").asText().equals("RUNNING"), 5_000);

        long crashed = System.nanoTime();
        sim.crash();
        JsonNode failed = await(r -> r.path("status").asText().equals("FAILED"),
                INTERVAL_MS * FAILURES + PROBE_BOUND_MS + 1_000);
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - crashed);
        assertThat(failed.path("reason").asText()).contains("expected to run");
        assertThat(tookMs).isLessThanOrEqualTo(INTERVAL_MS * FAILURES + PROBE_BOUND_MS + 1_000);
    }

    @Test
    void aRestActionAndACliActionAtTheSameTimeDoNotInterleave() throws Exception {
        sim.fault(Fault.SLOW_START, "1500");
        long t0 = System.nanoTime();
        JsonNode queued = act("restore");
        Thread.sleep(200);
        Cli.Result removed = cli.run("remove", "-t", TAG);
        JsonNode restored = awaitAction(queued.path("id").asText());
        assertThat(restored.path("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(removed.exit()).as(removed.err()).isZero();
        // The CLI's remove waited for the REST restore's lock, then stopped what it had started.
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isGreaterThan(1500);
        assertThat(sim.isRunning()).isFalse();
    }

    @Test
    void aRestartedAgentKeepsItsHistory() throws Exception {
        String id = awaitAction(act("restore").path("id").asText()).path("id").asText();
        JsonNode running = await(r -> r.path("status").asText().equals("RUNNING"), 5_000);
        agent.stop();
        agent.start();
        JsonNode action = JSON.readTree(agent.get("/api/v1/actions/" + id, AgentProcess.VIEWER).body());
        assertThat(action.path("state").asText()).isEqualTo("SUCCEEDED");
        JsonNode actions = JSON.readTree(agent.get("/api/v1/resources/" + TAG + "/actions?limit=5",
                AgentProcess.VIEWER).body());
        assertThat(actions.get(0).path("id").asText()).isEqualTo(id);
        JsonNode after = await(r -> r.path("lastCheck").isObject(), 5_000);
        assertThat(after.path("status").asText()).isEqualTo("RUNNING");
        assertThat(after.path("since").asText()).isEqualTo(running.path("since").asText());
        JsonNode events = JSON.readTree(agent.get("/api/v1/events?since=0", AgentProcess.VIEWER).body());
        assertThat(events.findValuesAsText("type")).contains("transition", "action");
    }

    @Test
    void theCliGivesTheSameExitCodesWhileTheAgentRuns() throws Exception {
        // The same actions as KitIT, with the agent watching the same resource.
        assertThat(cli.run("quickCheck", "-t", TAG).exit()).isEqualTo(1);
        assertThat(cli.run("restore", "-t", TAG).exit()).isZero();
        assertThat(cli.run("quickCheck", "-t", TAG).exit()).isZero();
        sim.fault(Fault.STOP_FAIL, "5");
        cli.lifeKeeperDefaults(sim, "LKHULFT_RETRIES=0\nLKHULFT_FORCE_REMOVE=0\n");
        assertThat(cli.run("remove", "-t", TAG).exit()).isEqualTo(1);
        sim.clearFaults();
        assertThat(cli.run("remove", "-t", TAG).exit()).isZero();
        assertThat(cli.run("restore", "-t", "no-such-tag").exit()).isZero();
    }

    @Test
    void healthShowsAStandbyAsUp() throws Exception {
        await(r -> r.path("status").asText().equals("STOPPED"), 10_000);
        HttpResponse<String> group = agent.manage("/q/health/group/hulft");
        assertThat(group.statusCode()).isEqualTo(200);
        JsonNode check = JSON.readTree(group.body()).path("checks").get(0);
        assertThat(check.path("status").asText()).isEqualTo("UP");
        assertThat(check.path("data").path("status").asText()).isEqualTo("STOPPED");
        assertThat(agent.manage("/q/health/ready").statusCode()).isEqualTo(200);
        // Ports, service names and reasons are on the management interface only, never on the API's port.
        assertThat(agent.get("/q/health/group/hulft", null).statusCode()).isEqualTo(404);
        assertThat(agent.manage("/q/metrics").body())
                .containsPattern("hulftark_resource_status\\{status=\"STOPPED\",tag=\"hulft\",?} 1.0");
    }
}
