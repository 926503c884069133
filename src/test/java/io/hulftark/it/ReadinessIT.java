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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13 end to end: real agents send their node's facts and preflight to a real fleet view, which finds drift
 * between the nodes within a heartbeat of a file's change and clears it when the file is put back, leaves a
 * declared per-node key alone, turns the cluster DEGRADED when the standby's conf_file cannot be read within one
 * validate interval, and never lets a secret of the agent's configuration reach the wire or the fleet view.
 */
class ReadinessIT {

    static final String TAG = "hulft";
    static final String CLUSTER = "ready";
    static final ObjectMapper JSON = new ObjectMapper();
    /** What the agents' configuration holds under many names; none of it may leave the node. */
    static final List<String> SECRETS = List.of("pw-in-agent-key-7781", "tok-in-custom-key-5521",
            "apikey-in-kit-key-9034", "userinfo-pass-4410", "env-secret-6623", "pw-in-lk-defaults-1207",
            "pw-in-hulenv-3391");

    @TempDir
    Path dir;
    FleetProcess fleet;
    final List<SimInstallation> sims = new ArrayList<>();
    final List<AgentProcess> agents = new ArrayList<>();
    String reporter;

    @AfterEach
    void stop() throws Exception {
        for (AgentProcess a : agents) {
            a.close();
        }
        for (SimInstallation s : sims) {
            s.stopNow();
        }
        if (fleet != null) {
            fleet.close();
        }
    }

    /** A node with its own simulated HULFT, checking and pushing every second, its preflight every 10 s. */
    AgentProcess node(String name) throws Exception {
        Path home = dir.resolve(name);
        SimSpec.Builder spec = SimSpec.builder().resource(TAG, SimSpec.DEFAULT_SERVICE_NAME);
        for (String key : SimSpec.PORT_KEYS) {
            spec.port(key, AgentProcess.serverPort());
        }
        SimInstallation sim = SimInstallation.create(home.resolve("HULFT Family"), spec.build());
        sims.add(sim);
        // Secrets where a careless collector would find them: the LifeKeeper defaults file and hulenv.cnf.
        Files.writeString(defaults(sim), Files.readString(defaults(sim)) + "LKHULFT_PASSWORD=pw-in-lk-defaults-1207\n");
        Files.writeString(sim.confFile(), Files.readString(sim.confFile()) + "password=pw-in-hulenv-3391\n");
        Map<String, String> p = new LinkedHashMap<>(SimSettings.of(sim, home.resolve("agent-state")));
        p.put("hulftark.probe", "tcp");
        p.put("hulftark.agent.tags", TAG);
        p.put("hulftark.agent.action-mode", "direct");
        p.put("hulftark.agent.check-interval", "1s");
        p.put("hulftark.agent.validate-interval", "10s");
        p.put("hulftark.cluster", CLUSTER);
        p.put("hulftark.node", name);
        p.put("hulftark.fleet.url", "http://127.0.0.1:" + fleet.port);
        p.put("hulftark.fleet.token", reporter);
        p.put("hulftark.fleet.heartbeat", "1s");
        // Keys of any name that hold secrets.
        // (Unknown keys under hulftark.* stop the agent's start, so the made-up ones live beside it.)
        p.put("db.password", "pw-in-agent-key-7781");
        p.put("custom.auth", "tok-in-custom-key-5521");
        p.put("kit-api-key", "apikey-in-kit-key-9034");
        p.put("proxy.url", "http://ops:userinfo-pass-4410@proxy.invalid:3128");
        Files.createDirectories(home);
        AgentProcess agent = new AgentProcess(p, Map.of("HULFTARK_SECRET_TOKEN", "env-secret-6623"), home).start();
        agents.add(agent);
        return agent;
    }

    /** {@code hulft-ark ctl ARGS} against this fleet view as a viewer; asserts it exits 0. */
    Cli.Result ctl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Cli.javaBin(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-jar", Cli.APP.toString(), "ctl"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("HULFTARK_URL", "http://127.0.0.1:" + fleet.port);
        pb.environment().put("HULFTARK_TOKEN", FleetProcess.VIEWER);
        Cli.Result r = Cli.finish(pb.start(), System.nanoTime());
        assertThat(r.exit()).as("ctl " + String.join(" ", args) + ": " + r.err()).isZero();
        return r;
    }

    static Path defaults(SimInstallation sim) {
        return sim.lkroot().resolve("etc").resolve("default").resolve("LifeKeeper");
    }

    JsonNode cluster() throws Exception {
        return fleet.cluster(CLUSTER, 500);
    }

    JsonNode awaitCluster(String what, Predicate<JsonNode> condition, long timeoutMs) throws Exception {
        return fleet.awaitCluster(CLUSTER, what, condition, timeoutMs);
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(e -> out.add(e.asText()));
        return out;
    }

    static List<String> configEvents(JsonNode detail) {
        List<String> texts = new ArrayList<>();
        detail.path("history").forEach(e -> {
            if (e.path("kind").asText().equals("CONFIG")) {
                texts.add(e.path("text").asText());
            }
        });
        return texts;
    }

    static boolean ok(JsonNode c) {
        return c.at("/cluster/state").asText().equals("OK");
    }

    static boolean problem(JsonNode c, String part) {
        return c.at("/cluster/state").asText().equals("DEGRADED")
                && strings(c.path("problems")).stream().anyMatch(p -> p.contains(part));
    }

    @Test
    void driftAndAStandbyThatCouldNotTakeOverAreFoundAndClearedAndNoSecretLeaves() throws Exception {
        Path fleetState = dir.resolve("fleet");
        Path tokens = fleetState.resolve("tokens");
        // Each node's own folders and ports differ by construction (one machine): declared per-node keys.
        fleet = new FleetProcess(Map.of("hulftark.fleet.readiness.per-node-keys", "$exe_path,$conf_file,"
                + "hulenv.rcvport,hulenv.obsport,hulenv.sddport,hulenv.srvcproport,hulenv.schport,hulenv.digest"),
                fleetState, tokens).start();
        reporter = FleetProcess.reporter(tokens, CLUSTER);
        AgentProcess a = node("a");
        node("b");
        HttpResponse<String> r = a.post("/api/v1/resources/" + TAG + "/actions", AgentProcess.OPERATOR,
                "{\"action\": \"restore\", \"reason\": \"set-up\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        assertThat(a.awaitAction(JSON.readTree(r.body()).path("id").asText()).path("state").asText())
                .isEqualTo("SUCCEEDED");
        JsonNode settled = awaitCluster("OK, served on a, both nodes' facts and preflight in", c -> ok(c)
                && c.path("nodes").size() == 2 && c.at("/nodes/0/facts/validatedAt").isTextual()
                && c.at("/nodes/1/facts/validatedAt").isTextual(), 60_000);
        // Declared per-node keys differ and are not drift; the facts say what each node runs.
        assertThat(settled.path("drift")).as("no drift at the start: " + settled.path("drift")).isEmpty();
        JsonNode factsB = settled.at("/nodes/1/facts");
        assertThat(factsB.path("jvm").asText()).isNotBlank();
        JsonNode settingsB = factsB.at("/resources/0/settings");
        assertThat(settingsB.path("LKHULFT_TIMEOUT").asText()).isEqualTo("300");
        assertThat(settingsB.path("hulenv.digest").asText()).matches("[0-9a-f]{64}");
        assertThat(settingsB.path("$exe_path").asText())
                .isNotEqualTo(settled.at("/nodes/0/facts/resources/0/settings").path("$exe_path").asText());

        // 1. The standby's LifeKeeper defaults file changes: drift within a heartbeat or two; put back, it clears.
        SimInstallation b = sims.get(1);
        String defaultsBefore = Files.readString(defaults(b));
        long t0 = System.nanoTime();
        Files.writeString(defaults(b), defaultsBefore + "LKHULFT_TIMEOUT=60\n");
        JsonNode drifted = awaitCluster("LKHULFT_TIMEOUT drift", c -> problem(c, "LKHULFT_TIMEOUT: 300 on a, 60 on b"),
                15_000);
        System.out.printf("ReadinessIT: drift of LKHULFT_TIMEOUT shown %d ms after the file changed%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        assertThat(drifted.path("drift").toString()).contains("LKHULFT_TIMEOUT");
        Files.writeString(defaults(b), defaultsBefore);
        JsonNode cleared = awaitCluster("drift cleared", ReadinessIT::ok, 15_000);
        assertThat(configEvents(cleared)).as("the history says when it began and ended")
                .anyMatch(t -> t.contains("LKHULFT_TIMEOUT") && t.toLowerCase().contains("began"))
                .anyMatch(t -> t.contains("LKHULFT_TIMEOUT") && t.toLowerCase().contains("ended"));

        // 2. The standby's hulenv.cnf names another host: drift of hulenv.myhostname; put back, it clears.
        String confBefore = Files.readString(b.confFile());
        Files.writeString(b.confFile(), confBefore.replace("myhostname=localhost", "myhostname=127.0.0.1"));
        awaitCluster("hulenv.myhostname drift", c -> problem(c, "hulenv.myhostname: localhost on a, 127.0.0.1 on b"),
                15_000);
        Files.writeString(b.confFile(), confBefore);
        awaitCluster("hulenv.cnf drift cleared", ReadinessIT::ok, 15_000);

        // 3. The standby's conf_file becomes unreadable (a folder where the file was: unreadable for root too):
        // within one validate interval (10 s) and a heartbeat the cluster is DEGRADED with the preflight's reason.
        Path moved = b.confFile().resolveSibling("hulenv.cnf.away");
        Files.move(b.confFile(), moved);
        Files.createDirectory(b.confFile());
        long t1 = System.nanoTime();
        JsonNode unready = awaitCluster("the standby could not take over",
                c -> problem(c, "failover to b would fail"), 25_000);
        System.out.printf("ReadinessIT: unreadable conf_file on the standby shown %d ms after it happened%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t1));
        assertThat(strings(unready.path("problems"))).anyMatch(p -> p.contains("failover to b would fail")
                && p.contains("conf_file"));
        // ctl finds the unready standby across the fleet, counts what runs, and exports the selection as CSV.
        JsonNode notReady = JSON.readTree(ctl("inventory", "--not-ready", "--json").out());
        assertThat(notReady).hasSize(1);
        assertThat(notReady.get(0).path("node").asText()).isEqualTo("b");
        assertThat(notReady.get(0).path("readinessFailures").asInt()).isPositive();
        JsonNode counts = JSON.readTree(ctl("inventory", "--counts", "--json").out());
        assertThat(counts.path("total").asLong()).isEqualTo(2);
        assertThat(counts.path("jvm").toString()).contains(System.getProperty("java.specification.version"));
        String csv = ctl("inventory", "--cluster", CLUSTER, "--csv").out();
        assertThat(csv.lines().count()).as(csv).isEqualTo(3); // a header and both nodes
        Files.delete(b.confFile());
        Files.move(moved, b.confFile());
        JsonNode ready = awaitCluster("ready again", ReadinessIT::ok, 25_000);
        assertThat(configEvents(ready)).anyMatch(t -> t.contains("failover to b would fail")
                && t.toLowerCase().contains("ended"));

        // 4. No secret anywhere: the agents' reports and facts as they go out, the fleet view's answers.
        List<String> seen = new ArrayList<>();
        for (AgentProcess agent : agents) {
            seen.add(agent.get("/api/v1/report", AgentProcess.VIEWER).body());
            seen.add(agent.get("/api/v1/facts", AgentProcess.VIEWER).body());
        }
        seen.add(cluster().toString());
        seen.add(fleet.get("/api/v1/fleet/inventory?format=csv", FleetProcess.VIEWER).body());
        seen.add(fleet.get("/api/v1/fleet/inventory", FleetProcess.VIEWER).body());
        assertThat(seen.get(1)).as("the agent's facts are there to be checked").contains("LKHULFT_TIMEOUT");
        for (String body : seen) {
            for (String secret : SECRETS) {
                assertThat(body).as("no secret leaves a node").doesNotContain(secret);
            }
            assertThat(body).as("no token leaves a node").doesNotContain(reporter);
        }
        // ...nor is it in the fleet view's store: its embedded database's files hold none of them.
        try (var files = Files.walk(fleetState)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String bytes = new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1);
                for (String secret : SECRETS) {
                    assertThat(bytes).as(f + " holds no secret").doesNotContain(secret);
                }
            }
        }
    }
}
