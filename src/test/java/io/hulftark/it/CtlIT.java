package io.hulftark.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.hulftark.wire.Report;
import io.hulftark.wire.Status;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 'hulft-ark ctl' as a process of its own against the packaged fleet view, as a script runs it: tables, --json,
 * filters, the live stream, and the exit codes a script branches on.
 */
class CtlIT {

    @TempDir
    static Path dir;

    static FleetProcess fleet;
    static Path tokens;
    static String reporterC1;
    static String reporterC2;
    static String marker;

    @BeforeAll
    static void fleetWithTwoClusters() throws Exception {
        Path state = dir.resolve("state");
        tokens = state.resolve("tokens");
        fleet = new FleetProcess(Map.of(), state, tokens).start();
        reporterC1 = FleetProcess.reporter(tokens, "ctl-c1");
        reporterC2 = FleetProcess.reporter(tokens, "ctl-c2");
        marker = "RUNNING → FAILED: " + UUID.randomUUID();
        push(reporterC1, report("ctl-c1", "n1", 1, Status.RUNNING, null, Map.of("site", "osaka", "env", "prod")));
        push(reporterC1, report("ctl-c1", "n2", 1, Status.STOPPED, null, Map.of("site", "osaka", "env", "prod")));
        push(reporterC2, report("ctl-c2", "n1", 1, Status.FAILED, marker, Map.of("site", "kobe")));
    }

    @AfterAll
    static void stop() throws Exception {
        if (fleet != null) {
            fleet.close();
        }
    }

    static String report(String cluster, String node, long seq, Status status, String eventText,
                         Map<String, String> labels) throws Exception {
        Instant now = Instant.now();
        return FleetIT.JSON.writeValueAsString(new Report(cluster, node, "it", now.minusSeconds(60), seq, now,
                List.of(new Report.Resource("HULFT", "HULFT8", status, status == Status.RUNNING ? "active" : "standby",
                        now, null, now, List.of(new Report.Port("port", 30000, status == Status.RUNNING, 80, null)))),
                eventText == null ? List.of() : List.of(new Report.Event(seq, now, "HULFT", "transition", eventText)),
                0, null, labels, false, "direct"));
    }

    static void push(String token, String report) throws Exception {
        assertThat(fleet.post("/api/v1/fleet/reports", token, report).statusCode()).isEqualTo(202);
    }

    /** The environment a script gives ctl: where the fleet view is and a viewer's token. */
    static Map<String, String> env(String token) {
        Map<String, String> env = new HashMap<>();
        env.put("HULFTARK_URL", "http://127.0.0.1:" + fleet.port);
        if (token != null) {
            env.put("HULFTARK_TOKEN", token);
        }
        return env;
    }

    static Process start(Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Cli.javaBin(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-jar", Cli.APP.toString(), "ctl"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("HULFTARK_URL");
        pb.environment().remove("HULFTARK_TOKEN");
        pb.environment().putAll(env);
        return pb.start();
    }

    static Cli.Result ctl(Map<String, String> env, String... args) throws Exception {
        return Cli.finish(start(env, args), System.nanoTime());
    }

    static Cli.Result ctl(String... args) throws Exception {
        return ctl(env(FleetProcess.VIEWER), args);
    }

    static JsonNode json(Cli.Result r) throws Exception {
        assertThat(r.exit()).as(r.err()).isZero();
        return FleetIT.JSON.readTree(r.out());
    }

    static List<String> names(JsonNode rows) {
        return rows.findValuesAsText("name");
    }

    @Test
    void clustersAsATableAndAsJsonWithFilters() throws Exception {
        Cli.Result table = ctl("clusters", "--sort", "name");
        assertThat(table.exit()).as(table.err()).isZero();
        List<String> lines = table.out().lines().toList();
        assertThat(lines.get(0)).startsWith("CLUSTER").contains("STATE", "SINCE", "SERVING", "LABELS", "REASON");
        assertThat(lines.get(1)).startsWith("ctl-c1").contains(" OK ", "HULFT@n1", "n1,n2")
                .containsPattern("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        assertThat(lines.get(2)).startsWith("ctl-c2").contains(" DOWN ");
        // Aligned: the STATE column starts at the same place on every line.
        int col = lines.get(0).indexOf("STATE");
        assertThat(lines.get(1).substring(col)).startsWith("OK");
        assertThat(lines.get(2).substring(col)).startsWith("DOWN");
        assertThat(lines.get(3)).isEqualTo("2 clusters");

        JsonNode all = json(ctl("clusters", "--json", "--sort", "name"));
        assertThat(all.isArray()).isTrue();
        assertThat(names(all)).containsExactly("ctl-c1", "ctl-c2");
        assertThat(all.get(0).at("/serving/0").asText()).isEqualTo("HULFT@n1");
        assertThat(names(json(ctl("clusters", "--json", "--state", "down")))).containsExactly("ctl-c2");
        assertThat(names(json(ctl("clusters", "--json", "--search", "C1")))).containsExactly("ctl-c1");
        assertThat(names(json(ctl("clusters", "--json", "--state", "MAINTENANCE")))).isEmpty();
        // Problem clusters first by default.
        assertThat(names(json(ctl("clusters", "--json")))).containsExactly("ctl-c2", "ctl-c1");
    }

    @Test
    void clustersByLabel() throws Exception {
        assertThat(names(json(ctl("clusters", "--json", "--label", "site=osaka")))).containsExactly("ctl-c1");
        assertThat(names(json(ctl("clusters", "--json", "--label", "site=osaka", "--label", "env=prod"))))
                .containsExactly("ctl-c1");
        assertThat(names(json(ctl("clusters", "--json", "--label", "site=kobe", "--label", "env=prod")))).isEmpty();
        Cli.Result table = ctl("clusters", "--label", "site=kobe");
        assertThat(table.out()).contains("ctl-c2").contains("site=kobe").doesNotContain("ctl-c1");
    }

    @Test
    void oneCluster() throws Exception {
        Cli.Result r = ctl("cluster", "ctl-c1");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("(?m)^Cluster: +ctl-c1$").containsPattern("(?m)^State: +OK since ")
                .containsPattern("(?m)^Serving: +HULFT@n1$").contains("NODE", "n1", "n2", "HULFT=RUNNING", "HULFT=STOPPED");
        JsonNode detail = json(ctl("cluster", "ctl-c2", "--json"));
        assertThat(detail.at("/cluster/name").asText()).isEqualTo("ctl-c2");
        assertThat(detail.at("/cluster/state").asText()).isEqualTo("DOWN");
        assertThat(detail.at("/history").findValuesAsText("text")).contains(marker);
    }

    @Test
    void anUnknownClusterIsExit3WithTheProblemsDetail() throws Exception {
        Cli.Result r = ctl("cluster", "no-such-cluster");
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().strip()).isEqualTo("hulft-ark ctl: no cluster named 'no-such-cluster'");
        Cli.Result a = ctl("action", "no-such-action");
        assertThat(a.exit()).as(a.err()).isEqualTo(3);
    }

    @Test
    void events() throws Exception {
        JsonNode events = json(ctl("events", "--cluster", "ctl-c2", "--json"));
        assertThat(events.findValuesAsText("cluster")).isNotEmpty().containsOnly("ctl-c2");
        assertThat(events.findValuesAsText("text")).contains(marker);
        Cli.Result table = ctl("events", "--cluster", "ctl-c2", "--kind", "transition");
        assertThat(table.exit()).as(table.err()).isZero();
        assertThat(table.out().lines().findFirst().orElse("")).startsWith("ID").contains("AT", "CLUSTER", "KIND", "TEXT");
        assertThat(table.out()).contains(marker).doesNotContain(" STATE ");
        Cli.Result bad = ctl("events", "--kind", "boot");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("--kind takes one of");
    }

    @Test
    void followPrintsNewEventsAndEndsCleanlyOnSigterm() throws Exception {
        Process p = start(env(FleetProcess.VIEWER), "events", "--follow", "--cluster", "ctl-c1", "--json");
        BlockingQueue<String> out = lines(p.getInputStream());
        BlockingQueue<String> err = lines(p.getErrorStream());
        try {
            String first = err.poll(30, TimeUnit.SECONDS);
            assertThat(first).as("connected").startsWith("hulft-ark ctl: following http://127.0.0.1:" + fleet.port);
            String fresh = "RUNNING → FAILED: " + UUID.randomUUID();
            push(reporterC2, report("ctl-c2", "n1", 2, Status.FAILED, "not this cluster " + fresh, Map.of("site", "kobe")));
            push(reporterC1, report("ctl-c1", "n1", 2, Status.FAILED, fresh, Map.of("site", "osaka", "env", "prod")));
            JsonNode seen = null;
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (seen == null && System.nanoTime() < until) {
                String line = out.poll(200, TimeUnit.MILLISECONDS);
                if (line != null) {
                    JsonNode e = FleetIT.JSON.readTree(line);
                    assertThat(e.path("cluster").asText()).as("only ctl-c1's events: " + line).isEqualTo("ctl-c1");
                    if (fresh.equals(e.path("text").asText())) {
                        seen = e;
                    }
                }
            }
            assertThat(seen).as("the new event on stdout").isNotNull();
            assertThat(seen.path("kind").asText()).isEqualTo("TRANSITION");
            assertThat(seen.path("id").asLong()).isPositive();
            p.destroy(); // SIGTERM
            assertThat(p.waitFor(15, TimeUnit.SECONDS)).as("ends on SIGTERM").isTrue();
            assertThat(p.exitValue()).isZero();
        } finally {
            p.destroyForcibly();
            // Put ctl-c1 back as the other tests expect it.
            push(reporterC1, report("ctl-c1", "n1", 3, Status.RUNNING, null, Map.of("site", "osaka", "env", "prod")));
        }
    }

    @Test
    void followAsATableForPeople() throws Exception {
        Process p = start(env(FleetProcess.VIEWER), "events", "--follow", "--kind", "TRANSITION");
        BlockingQueue<String> out = lines(p.getInputStream());
        BlockingQueue<String> err = lines(p.getErrorStream());
        try {
            assertThat(err.poll(30, TimeUnit.SECONDS)).startsWith("hulft-ark ctl: following");
            String fresh = "STOPPED → STOPPED: " + UUID.randomUUID();
            push(reporterC2, report("ctl-c2", "n2", 1, Status.STOPPED, fresh, Map.of("site", "kobe")));
            String line = null;
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while ((line == null || !line.contains(fresh)) && System.nanoTime() < until) {
                line = out.poll(200, TimeUnit.MILLISECONDS);
            }
            assertThat(line).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ  TRANSITION   ctl-c2/n2  HULFT  "
                    + java.util.regex.Pattern.quote(fresh));
            p.destroy();
            assertThat(p.waitFor(15, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isZero();
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void notAuthorisedIsExit5() throws Exception {
        Cli.Result none = ctl(env(null), "clusters");
        assertThat(none.exit()).isEqualTo(5);
        assertThat(none.err().strip()).startsWith("hulft-ark ctl: ").endsWith("(HULFTARK_TOKEN is not set)")
                .doesNotContain("\n");
        Cli.Result wrong = ctl(env("hak_not-a-token-of-this-fleet-0123456789abcdef"), "cluster", "ctl-c1");
        assertThat(wrong.exit()).isEqualTo(5);
        assertThat(wrong.err()).contains("(the token in HULFTARK_TOKEN)").doesNotContain("hak_not-a-token");
        // A reporter may only report: it reads no cluster table.
        Cli.Result reporter = ctl(env(reporterC1), "clusters");
        assertThat(reporter.exit()).as(reporter.err()).isEqualTo(5);
        // The token from another variable.
        Map<String, String> other = env(null);
        other.put("FLEET_RO", FleetProcess.VIEWER);
        assertThat(names(json(ctl(other, "clusters", "--json", "--token-env", "FLEET_RO")))).contains("ctl-c1");
    }

    @Test
    void anUnreachableFleetViewIsExit6() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Map<String, String> env = env(FleetProcess.VIEWER);
        Cli.Result r = ctl(env, "clusters", "--url", "http://127.0.0.1:" + port);
        assertThat(r.exit()).isEqualTo(6);
        assertThat(r.err().strip()).isEqualTo("hulft-ark ctl: cannot reach the fleet view at http://127.0.0.1:" + port
                + ": connection refused");
        Cli.Result follow = ctl(env, "events", "--follow", "--url", "http://127.0.0.1:" + port);
        assertThat(follow.exit()).isEqualTo(6);
    }

    @Test
    void theTokenIsNeverTakenFromTheCommandLine() throws Exception {
        Cli.Result r = ctl(env(null), "clusters", "--token", FleetProcess.VIEWER);
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--token is not an option").doesNotContain(FleetProcess.VIEWER);
        Cli.Result userInfo = ctl(env(null), "clusters", "--url", "http://vera:" + FleetProcess.VIEWER + "@127.0.0.1:"
                + fleet.port);
        assertThat(userInfo.exit()).isEqualTo(2);
        assertThat(userInfo.err()).contains("must not hold a user or password").doesNotContain(FleetProcess.VIEWER);
    }

    @Test
    void helpListsEverySubcommand() throws Exception {
        Cli.Result r = ctl(Map.of(), "--help");
        assertThat(r.exit()).isZero();
        for (String sub : List.of("clusters", "cluster", "act", "action", "batch", "batch-status", "batch-pause",
                "batch-resume", "batch-cancel", "events")) {
            assertThat(r.out()).containsPattern("(?m)^\\s+" + sub + "\\s");
        }
        assertThat(r.out()).contains("Exit codes:", "--wait ran out of time");
    }

    static BlockingQueue<String> lines(InputStream in) {
        BlockingQueue<String> q = new LinkedBlockingQueue<>();
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    q.add(line);
                }
            } catch (Exception closed) {
                // the process ended
            }
        });
        t.setDaemon(true);
        t.start();
        return q;
    }
}
