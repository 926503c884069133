package io.hulftark.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hulftark.cli.SimSettings;
import io.hulftark.sim.Fault;
import io.hulftark.sim.SimInstallation;
import io.hulftark.sim.SimSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fleet actions with real processes: a fleet view, real agents that push and hold their order connection, and the
 * simulated HULFT on each node. A switchover moves HULFT and ends with the cluster OK on the target; a failed
 * restore on the target is rolled back; an agent that does not allow fleet actions is never asked; an action
 * outlives a restart of the fleet view; a batch stops at its first failure; under LifeKeeper, the switchover is
 * LifeKeeper's own (one in-service request on the target).
 */
class FleetActionsIT {

    static final String TAG = "hulft";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    Path fleetState;
    Path tokens;
    FleetProcess fleet;
    final List<Node> nodes = new ArrayList<>();
    final Map<String, String> reporters = new LinkedHashMap<>();

    /** One node: its simulated HULFT and its agent. */
    record Node(String cluster, String name, SimInstallation sim, AgentProcess agent, Path lkroot) {
    }

    @AfterEach
    void stop() throws Exception {
        for (Node n : nodes) {
            n.agent().close();
            n.sim().stopNow();
        }
        if (fleet != null) {
            fleet.close();
        }
    }

    void startFleet() throws Exception {
        fleetState = dir.resolve("fleet");
        tokens = fleetState.resolve("tokens");
        fleet = new FleetProcess(Map.of(), fleetState, tokens).start();
    }

    /**
     * A node of {@code cluster} with its own simulated HULFT (own ports) and its agent, pushing every second.
     *
     * @param allow whether its agent runs fleet actions
     * @param lifeKeeper whether its agent acts through a stand-in of LifeKeeper's perform_action
     */
    Node node(String cluster, String name, boolean allow, boolean lifeKeeper, String labels) throws Exception {
        Path home = dir.resolve(cluster).resolve(name);
        SimSpec.Builder spec = SimSpec.builder().resource(TAG, SimSpec.DEFAULT_SERVICE_NAME);
        for (String key : SimSpec.PORT_KEYS) {
            spec.port(key, AgentProcess.serverPort()); // below the ephemeral range: no client connection takes it
        }
        SimInstallation sim = SimInstallation.create(home.resolve("HULFT Family"), spec.build());
        Map<String, String> p = new LinkedHashMap<>(SimSettings.of(sim, home.resolve("agent-state")));
        p.put("hulftark.probe", "tcp");
        p.put("hulftark.agent.tags", TAG);
        if (lifeKeeper) {
            // LifeKeeper is "installed" before the agent starts (it looks for perform_action once); the stand-in's
            // real content follows when both nodes exist (lifeKeeperStandIn).
            Path performAction = sim.lkroot().resolve("bin").resolve("perform_action");
            Files.createDirectories(performAction.getParent());
            Files.writeString(performAction, "#!/bin/sh\nexit 0\n");
            Files.setPosixFilePermissions(performAction, PosixFilePermissions.fromString("rwxr-xr-x"));
        } else {
            p.put("hulftark.agent.action-mode", "direct");
        }
        p.put("hulftark.agent.check-interval", "1s");
        p.put("hulftark.cluster", cluster);
        p.put("hulftark.node", name);
        p.put("hulftark.fleet.url", "http://127.0.0.1:" + fleet.port);
        p.put("hulftark.fleet.token", reporters.computeIfAbsent(cluster, c -> FleetProcess.reporter(tokens, c)));
        p.put("hulftark.fleet.heartbeat", "1s");
        p.put("hulftark.agent.fleet-actions.enabled", Boolean.toString(allow));
        if (labels != null) {
            p.put("hulftark.agent.labels", labels);
        }
        Files.createDirectories(home);
        AgentProcess agent = new AgentProcess(p, Map.of(), home).start();
        Node n = new Node(cluster, name, sim, agent, sim.lkroot());
        nodes.add(n);
        return n;
    }

    /** Restores HULFT on {@code n} through its own agent and waits for the end. */
    static void restoreOn(Node n) throws Exception {
        HttpResponse<String> r = n.agent().post("/api/v1/resources/" + TAG + "/actions", AgentProcess.OPERATOR,
                "{\"action\": \"restore\", \"reason\": \"set-up\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        JsonNode done = n.agent().awaitAction(JSON.readTree(r.body()).path("id").asText());
        assertThat(done.path("state").asText()).as("set-up restore on " + n.name() + ": " + done).isEqualTo("SUCCEEDED");
    }

    JsonNode cluster(String name) throws Exception {
        HttpResponse<String> r = fleet.get("/api/v1/fleet/clusters/" + name, FleetProcess.VIEWER);
        return r.statusCode() == 200 ? JSON.readTree(r.body()) : JSON.createObjectNode();
    }

    JsonNode awaitCluster(String name, String what, Predicate<JsonNode> condition) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        JsonNode last = cluster(name);
        while (!condition.test(last)) {
            assertThat(System.nanoTime()).as(what + "; the fleet view says " + last).isLessThan(until);
            Thread.sleep(100);
            last = cluster(name);
        }
        return last;
    }

    /** The cluster OK with HULFT served on {@code node} only, every node reporting that it allows fleet actions. */
    JsonNode awaitServedOn(String cluster, String node) throws Exception {
        return awaitCluster(cluster, "OK and served on " + node, c -> c.at("/cluster/state").asText().equals("OK")
                && servingOf(c).equals(List.of(TAG + "@" + node)));
    }

    static List<String> servingOf(JsonNode detail) {
        List<String> serving = new ArrayList<>();
        detail.at("/cluster/serving").forEach(s -> serving.add(s.asText()));
        return serving;
    }

    /** Two nodes a and b of {@code cluster}, HULFT served on a, the fleet view showing it OK. */
    Node[] twoNodes(String cluster, boolean allowB, boolean lifeKeeper) throws Exception {
        Node a = node(cluster, "a", true, lifeKeeper, "site=osaka");
        Node b = node(cluster, "b", allowB, lifeKeeper, "site=osaka");
        if (lifeKeeper) {
            lifeKeeperStandIn(a, b);
            lifeKeeperStandIn(b, a);
        }
        restoreOn(a);
        awaitServedOn(cluster, "a");
        awaitCluster(cluster, "both nodes said whether they run fleet actions", c -> c.path("nodes").size() == 2
                && c.at("/nodes/0/fleetActions").isBoolean() && c.at("/nodes/1/fleetActions").isBoolean());
        return new Node[]{a, b};
    }

    HttpResponse<String> act(String cluster, String token, String body) throws Exception {
        return fleet.post("/api/v1/fleet/clusters/" + cluster + "/actions", token, body);
    }

    String started(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        String id = JSON.readTree(r.body()).path("id").asText();
        assertThat(r.headers().firstValue("Location")).hasValueSatisfying(l ->
                assertThat(l).endsWith("/api/v1/fleet/actions/" + id));
        return id;
    }

    JsonNode action(String id) throws Exception {
        HttpResponse<String> r = fleet.get("/api/v1/fleet/actions/" + id, FleetProcess.VIEWER);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    JsonNode awaitAction(String id) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            JsonNode a;
            try {
                a = action(id);
            } catch (java.io.IOException restarting) {
                Thread.sleep(200);
                continue;
            }
            if (List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(a.path("state").asText())) {
                return a;
            }
            assertThat(System.nanoTime()).as("action still " + a).isLessThan(until);
            Thread.sleep(100);
        }
    }

    static List<String> steps(JsonNode action) {
        List<String> out = new ArrayList<>();
        action.path("steps").forEach(s -> out.add(s.path("action").asText() + "@" + s.path("node").asText() + " "
                + s.path("state").asText() + (s.path("rollback").asBoolean() ? " (rollback)" : "")));
        return out;
    }

    /** The agent's own record of the action with this id (its order's id), or null. */
    static JsonNode agentAction(Node n, String id) throws Exception {
        HttpResponse<String> r = n.agent().get("/api/v1/actions/" + id, AgentProcess.VIEWER);
        return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
    }

    static long agentActionsWithId(Node n, String id) throws Exception {
        JsonNode all = JSON.readTree(n.agent().get("/api/v1/resources/" + TAG + "/actions?limit=1000",
                AgentProcess.VIEWER).body());
        long count = 0;
        for (JsonNode a : all) {
            count += a.path("id").asText().equals(id) ? 1 : 0;
        }
        return count;
    }

    @Test
    void aSwitchoverMovesHulftAndEndsWithTheClusterOkOnTheTarget() throws Exception {
        startFleet();
        Node[] ab = twoNodes("sw", true, false);

        assertThat(act("sw", FleetProcess.VIEWER, "{\"action\": \"switchover\", \"node\": \"b\"}").statusCode())
                .as("a viewer may not act").isEqualTo(403);
        assertThat(act("sw", reporters.get("sw"), "{\"action\": \"switchover\", \"node\": \"b\"}").statusCode())
                .as("a reporter may not act, not even on its own cluster").isEqualTo(403);

        ab[1].sim().fault(Fault.SLOW_START, "1500"); // long enough to ask again while it runs
        String id = started(act("sw", FleetProcess.OPERATOR,
                "{\"action\": \"switchover\", \"node\": \"b\", \"reason\": \"patch night\"}"));
        HttpResponse<String> busy = act("sw", FleetProcess.OPERATOR, "{\"action\": \"quickCheck\", \"node\": \"a\"}");
        assertThat(busy.statusCode()).as(busy.body()).isEqualTo(409);
        assertThat(JSON.readTree(busy.body()).path("detail").asText()).contains(id);

        JsonNode done = awaitAction(id);
        assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
        assertThat(steps(done)).as(done.toString()).containsExactly("remove@a SUCCEEDED", "restore@b SUCCEEDED");
        assertThat(done.path("requestedBy").asText()).isEqualTo("otto");
        assertThat(done.path("reason").asText()).isEqualTo("patch night");
        JsonNode detail = cluster("sw");
        assertThat(detail.at("/cluster/state").asText()).isEqualTo("OK");
        assertThat(servingOf(detail)).containsExactly(TAG + "@b");
        assertThat(ab[0].sim().isRunning()).as("HULFT stopped on a").isFalse();
        assertThat(ab[1].sim().isRunning()).as("HULFT runs on b").isTrue();

        // Each step ran once, on its node, through the agent's own action path, recorded as the fleet's.
        String removeId = done.at("/steps/0/id").asText();
        String restoreId = done.at("/steps/1/id").asText();
        assertThat(agentAction(ab[0], removeId).path("requestedBy").asText()).startsWith("fleet:");
        assertThat(agentActionsWithId(ab[0], removeId)).isEqualTo(1);
        assertThat(agentActionsWithId(ab[1], restoreId)).isEqualTo(1);
        assertThat(agentAction(ab[1], removeId)).as("the remove did not run on b").isNull();

        // The audit: the action is in the list, and in the history as it started and ended.
        JsonNode audit = JSON.readTree(fleet.get("/api/v1/fleet/actions?cluster=sw", FleetProcess.VIEWER).body());
        assertThat(audit.toString()).contains(id);
        HttpResponse<String> csv = fleet.get("/api/v1/fleet/actions?cluster=sw&format=csv", FleetProcess.VIEWER);
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.body()).contains(id).contains("patch night");
    }

    @Test
    void aSwitchoverWhoseRestoreFailsOnTheTargetIsRolledBack() throws Exception {
        startFleet();
        Node[] ab = twoNodes("rb", true, false);
        ab[1].sim().fault(Fault.START_FAIL, "1");

        JsonNode done = awaitAction(started(act("rb", FleetProcess.OPERATOR,
                "{\"action\": \"switchover\", \"node\": \"b\", \"reason\": \"rollback test\"}")));
        assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("FAILED");
        assertThat(steps(done)).as(done.toString()).containsExactly("remove@a SUCCEEDED", "restore@b FAILED",
                "restore@a SUCCEEDED (rollback)");
        assertThat(done.path("detail").asText()).as("says which step failed and that it was rolled back")
                .contains("restore").contains("b").contains("a");
        awaitServedOn("rb", "a");
        assertThat(ab[0].sim().isRunning()).as("HULFT runs on a again").isTrue();
    }

    @Test
    void anAgentThatDoesNotAllowFleetActionsIsNeverAsked() throws Exception {
        startFleet();
        Node[] ab = twoNodes("deny", false, false);

        HttpResponse<String> r = act("deny", FleetProcess.OPERATOR, "{\"action\": \"switchover\", \"node\": \"b\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(409);
        JsonNode problem = JSON.readTree(r.body());
        assertThat(problem.path("type").asText()).endsWith("actions-not-allowed");
        assertThat(problem.path("detail").asText()).contains("b").contains("hulftark.agent.fleet-actions.enabled");
        HttpResponse<String> quick = act("deny", FleetProcess.OPERATOR, "{\"action\": \"quickCheck\", \"node\": \"b\"}");
        assertThat(quick.statusCode()).as(quick.body()).isEqualTo(409);
        Thread.sleep(1500);
        assertThat(JSON.readTree(ab[1].agent().get("/api/v1/resources/" + TAG + "/actions", AgentProcess.VIEWER).body()))
                .as("nothing ran on b").isEmpty();
        assertThat(ab[0].sim().isRunning()).as("HULFT still on a").isTrue();

        // Removing HULFT from its only serving node needs force; a allows fleet actions, so with force it runs.
        HttpResponse<String> remove = act("deny", FleetProcess.OPERATOR, "{\"action\": \"remove\", \"node\": \"a\"}");
        assertThat(remove.statusCode()).as(remove.body()).isEqualTo(409);
        assertThat(JSON.readTree(remove.body()).path("type").asText()).endsWith("needs-force");
        JsonNode forced = awaitAction(started(act("deny", FleetProcess.OPERATOR,
                "{\"action\": \"remove\", \"node\": \"a\", \"force\": true, \"reason\": \"decommission\"}")));
        assertThat(forced.path("state").asText()).as(forced.toString()).isEqualTo("SUCCEEDED");
        assertThat(ab[0].sim().isRunning()).isFalse();
    }

    @Test
    void anActionOutlivesARestartOfTheFleetView() throws Exception {
        startFleet();
        Node[] ab = twoNodes("rs", true, false);
        ab[1].sim().fault(Fault.SLOW_START, "4000");

        String id = started(act("rs", FleetProcess.OPERATOR, "{\"action\": \"switchover\", \"node\": \"b\"}"));
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!action(id).toString().contains("\"RUNNING\"") && System.nanoTime() < until) {
            Thread.sleep(50);
        }
        fleet.kill(); // mid-action: the restore on b is starting
        int port = fleet.port;
        Thread.sleep(1000);
        fleet = new FleetProcess(Map.of(), fleetState, tokens, port).start();

        JsonNode done = awaitAction(id);
        assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
        assertThat(steps(done)).containsExactly("remove@a SUCCEEDED", "restore@b SUCCEEDED");
        awaitServedOn("rs", "b");
        assertThat(agentActionsWithId(ab[1], done.at("/steps/1/id").asText())).as("the restore ran once").isEqualTo(1);
        assertThat(agentActionsWithId(ab[0], done.at("/steps/0/id").asText())).as("the remove ran once").isEqualTo(1);
    }

    @Test
    void aBatchOverSixClustersWithConcurrencyTwoStopsAtTheFirstFailure() throws Exception {
        startFleet();
        List<Node> all = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            all.add(node("bt-" + i, "n", true, false, "batch=yes"));
        }
        for (Node n : all) {
            restoreOn(n);
        }
        for (Node n : all) {
            awaitServedOn(n.cluster(), "n");
        }
        all.get(1).sim().crash(); // bt-2's quickCheck fails
        awaitCluster("bt-2", "bt-2 down", c -> !c.at("/cluster/state").asText().equals("OK"));

        HttpResponse<String> r = fleet.post("/api/v1/fleet/batches", FleetProcess.OPERATOR, "{\"action\": \"quickCheck\","
                + " \"selection\": {\"labels\": {\"batch\": \"yes\"}}, \"concurrency\": 2, \"stopOnFailure\": true,"
                + " \"reason\": \"check everything now\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        String id = JSON.readTree(r.body()).path("id").asText();
        assertThat(r.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/batches/" + id));
        assertThat(fleet.post("/api/v1/fleet/batches", FleetProcess.VIEWER, "{}").statusCode()).isEqualTo(403);

        JsonNode batch;
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            batch = JSON.readTree(fleet.get("/api/v1/fleet/batches/" + id, FleetProcess.VIEWER).body());
            if (!List.of("RUNNING", "PAUSED").contains(batch.path("state").asText())) {
                break;
            }
            assertThat(System.nanoTime()).as("batch still " + batch).isLessThan(until);
            Thread.sleep(200);
        }
        assertThat(batch.path("state").asText()).as(batch.toString()).isIn("FAILED", "STOPPED");
        assertThat(batch.path("total").asInt()).isEqualTo(6);
        Map<String, String> states = new LinkedHashMap<>();
        List<Instant[]> ran = new ArrayList<>();
        Instant failedEnd = null;
        for (JsonNode c : batch.path("clusters")) {
            states.put(c.path("cluster").asText(), c.path("state").asText());
            if (c.hasNonNull("actionId")) {
                JsonNode a = action(c.path("actionId").asText());
                Instant start = Instant.parse(a.path("requestedAt").asText());
                Instant end = Instant.parse(a.path("endedAt").asText());
                ran.add(new Instant[]{start, end});
                if (c.path("cluster").asText().equals("bt-2")) {
                    failedEnd = end;
                }
            }
        }
        assertThat(states).as(batch.toString()).containsEntry("bt-2", "FAILED").containsEntry("bt-1", "SUCCEEDED");
        assertThat(states.values()).as("stopped: some clusters never started").contains("SKIPPED");
        for (Instant[] a : ran) {
            // Running at the instant this one started (itself included): a long one may overlap two others that ran
            // one after the other, which is still two at a time; the peak is always at some action's start.
            long atItsStart = ran.stream().filter(b -> !b[0].isAfter(a[0]) && a[0].isBefore(b[1])).count();
            assertThat(atItsStart).as("at most 2 at a time (itself included)").isLessThanOrEqualTo(2);
            assertThat(a[0]).as("nothing started after the failure was known").isBeforeOrEqualTo(failedEnd.plusMillis(50));
        }
        assertThat(states.entrySet().stream().filter(e -> e.getValue().equals("SKIPPED")).map(Map.Entry::getKey)
                .collect(Collectors.toList())).doesNotContain("bt-1", "bt-2");
    }

    @Test
    void underLifeKeeperTheSwitchoverIsOneInServiceRequestOnTheTarget() throws Exception {
        startFleet();
        Node[] ab = twoNodes("lk", true, true);
        awaitCluster("lk", "both agents act through LifeKeeper", c -> c.at("/nodes/0/actionsVia").asText().equals("lifekeeper")
                && c.at("/nodes/1/actionsVia").asText().equals("lifekeeper"));
        List<String> aBefore = calls(ab[0]);
        List<String> bBefore = calls(ab[1]);

        JsonNode done = awaitAction(started(act("lk", FleetProcess.OPERATOR, "{\"action\": \"switchover\", \"node\": \"b\"}")));
        assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
        assertThat(steps(done)).containsExactly("restore@b SUCCEEDED");
        assertThat(calls(ab[1]).subList(bBefore.size(), calls(ab[1]).size()))
                .as("LifeKeeper's switchover: an in-service request on the target").containsExactly("-t " + TAG + " -a restore");
        assertThat(calls(ab[0])).as("nothing asked of a: LifeKeeper takes it out of service itself").isEqualTo(aBefore);
        awaitServedOn("lk", "b");
    }

    static List<String> calls(Node n) throws Exception {
        Path log = n.lkroot().resolve("perform_action.args");
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    /**
     * A stand-in for LifeKeeper's perform_action on {@code self}: it notes its arguments, and does what LifeKeeper
     * does for them with the real kit: a restore (in-service request) first takes the resource out of service on
     * {@code other}, then brings it in service here; a remove takes it out of service here.
     */
    void lifeKeeperStandIn(Node self, Node other) throws Exception {
        Path script = self.lkroot().resolve("bin").resolve("perform_action");
        Files.createDirectories(script.getParent());
        Path log = self.lkroot().resolve("perform_action.args");
        String kitSelf = kit(self);
        String kitOther = kit(other);
        Files.writeString(script, "#!/bin/sh\n"
                + "# stand-in for LifeKeeper's perform_action, written by " + getClass().getName() + "\n"
                + "echo \"$*\" >> " + quote(log.toString()) + "\n"
                + "case \"$*\" in\n"
                + "  *'-a restore'*) " + kitOther + " remove -t " + TAG + " || exit 1; exec " + kitSelf + " restore -t "
                + TAG + " ;;\n"
                + "  *'-a remove'*) exec " + kitSelf + " remove -t " + TAG + " ;;\n"
                + "esac\n"
                + "exit 0\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** The kit of {@code n} as a command line: the agent's settings as system properties (the same state, lock). */
    private String kit(Node n) {
        Map<String, String> p = new LinkedHashMap<>(SimSettings.of(n.sim(), n.sim().home().getParent().resolve("agent-state")));
        p.put("hulftark.probe", "tcp");
        p.put("hulftark.agent.fast-check.enabled", "false");
        StringBuilder b = new StringBuilder(quote(Cli.javaBin())).append(" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC");
        p.forEach((k, v) -> b.append(' ').append(quote("-D" + k + "=" + v)));
        return b.append(" -jar ").append(quote(Cli.APP.toAbsolutePath().toString())).toString();
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
