package io.hulftark.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.hulftark.wire.ActionOutcome;
import io.hulftark.wire.Report;
import io.hulftark.wire.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 'hulft-ark ctl act|action|batch' against the packaged fleet view, with stand-in agents that speak the real push
 * protocol over HTTP: they hold GET /api/v1/fleet/orders open with their reporter token, and report each order's
 * outcome as an action event, as the agent does. Which nodes fail is up to the test.
 */
class CtlActionsIT {

    @TempDir
    Path dir;

    private final List<StandIn> agents = new ArrayList<>();
    private FleetProcess fleet;

    @AfterEach
    void stop() throws Exception {
        agents.forEach(StandIn::stop);
        if (fleet != null) {
            fleet.close();
        }
    }

    /** A node's agent: reports HULFT (running on the serving node), takes orders, reports their outcomes. */
    final class StandIn implements Runnable {
        final String cluster;
        final String node;
        final String token;
        final AtomicLong seq = new AtomicLong(1);
        final AtomicBoolean running = new AtomicBoolean(true);
        final Set<String> taken = ConcurrentHashMap.newKeySet();
        volatile boolean serving;
        volatile boolean fails;
        volatile boolean takesOrders = true;
        private final Thread thread;

        StandIn(String cluster, String node, String token, boolean serving) throws Exception {
            this.cluster = cluster;
            this.node = node;
            this.token = token;
            this.serving = serving;
            report(List.of());
            thread = new Thread(this, "stand-in " + cluster + "/" + node);
            thread.setDaemon(true);
            thread.start();
        }

        void report(List<Report.Event> events) throws Exception {
            Instant now = Instant.now();
            Status status = serving ? Status.RUNNING : Status.STOPPED;
            String body = FleetIT.JSON.writeValueAsString(new Report(cluster, node, "it", now.minusSeconds(60),
                    seq.getAndIncrement(), now, List.of(new Report.Resource("HULFT", "HULFT8", status,
                    serving ? "active" : "standby", now, null, now,
                    List.of(new Report.Port("port", 30000, serving, 80, null)))), events, 0, null,
                    Map.of("site", "osaka"), true, "direct"));
            HttpResponse<String> r = fleet.post("/api/v1/fleet/reports", token, body);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        }

        @Override
        public void run() {
            while (running.get()) {
                try {
                    if (!takesOrders) {
                        Thread.sleep(100);
                        continue;
                    }
                    HttpResponse<String> r = fleet.get("/api/v1/fleet/orders?node=" + node + "&wait=1", token);
                    if (r.statusCode() != 200 || !takesOrders) {
                        continue; // a request held while the test stopped taking orders: as if it never came back
                    }
                    for (JsonNode order : FleetIT.JSON.readTree(r.body())) {
                        String id = order.path("id").asText();
                        if (!taken.add(id)) {
                            continue; // at most once, as the agent
                        }
                        String action = order.path("action").asText();
                        if (!fails) {
                            if (action.equals("restore")) {
                                serving = true;
                            } else if (action.equals("remove")) {
                                serving = false;
                            }
                        }
                        String state = fails ? "FAILED" : "SUCCEEDED";
                        long s = seq.get();
                        report(List.of(new Report.Event(s, Instant.now(), "HULFT", "action", action + " " + state,
                                new ActionOutcome(id, action, state, fails ? 1 : 0, 120L,
                                        List.of(fails ? "stand-in failure" : "done"), "direct",
                                        order.path("requestedBy").asText()))));
                    }
                } catch (Exception e) {
                    if (running.get()) {
                        try {
                            Thread.sleep(200);
                        } catch (InterruptedException stop) {
                            return;
                        }
                    }
                }
            }
        }

        void stop() {
            running.set(false);
            thread.interrupt();
        }
    }

    private java.util.Map<String, String> operator() {
        Map<String, String> env = new java.util.HashMap<>();
        env.put("HULFTARK_URL", "http://127.0.0.1:" + fleet.port);
        env.put("HULFTARK_TOKEN", FleetProcess.OPERATOR);
        return env;
    }

    private StandIn[] cluster(Path tokens, String name) throws Exception {
        String token = FleetProcess.reporter(tokens, name);
        StandIn a = new StandIn(name, "node-a", token, true);
        StandIn b = new StandIn(name, "node-b", token, false);
        agents.add(a);
        agents.add(b);
        return new StandIn[] {a, b};
    }

    private Path startFleet() throws Exception {
        Path state = dir.resolve("state");
        Path tokens = state.resolve("tokens");
        fleet = new FleetProcess(Map.of("hulftark.fleet.actions.settle-timeout", "20s"), state, tokens).start();
        return tokens;
    }

    @Test
    void actWaitsForTheEndAndExitsByHowItEnded() throws Exception {
        Path tokens = startFleet();
        StandIn[] demo = cluster(tokens, "demo-1");

        Cli.Result ok = CtlIT.ctl(operator(), "act", "demo-1", "quickCheck", "--node", "node-a", "--tag", "HULFT",
                "--reason", "ctl it", "--wait", "--timeout", "60s", "--json");
        assertThat(ok.exit()).as(ok.err()).isZero();
        JsonNode done = FleetIT.JSON.readTree(ok.out());
        assertThat(done.path("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(done.path("requestedBy").asText()).isEqualTo("otto");
        assertThat(done.path("reason").asText()).isEqualTo("ctl it");
        assertThat(ok.err()).contains("step 1 quickCheck HULFT on node-a: SUCCEEDED");

        // 'ctl action ID' shows the same action, as a table and as JSON.
        String id = done.path("id").asText();
        Cli.Result shown = CtlIT.ctl(operator(), "action", id);
        assertThat(shown.exit()).as(shown.err()).isZero();
        assertThat(shown.out()).containsPattern("(?m)^Action: +" + id + "$").containsPattern("(?m)^State: +SUCCEEDED")
                .contains("STEP", "node-a", "quickCheck");
        assertThat(FleetIT.JSON.readTree(CtlIT.ctl(operator(), "action", id, "--json").out()).path("id").asText())
                .isEqualTo(id);

        // A step that fails: exit 1, the action's detail on stderr, the action on stdout.
        demo[0].fails = true;
        Cli.Result failed = CtlIT.ctl(operator(), "act", "demo-1", "recover", "--node", "node-a", "--tag", "HULFT",
                "--wait", "--timeout", "60s");
        assertThat(failed.exit()).as(failed.err()).isEqualTo(1);
        assertThat(failed.err()).containsPattern("(?m)^hulft-ark ctl: action \\S+ FAILED");
        assertThat(failed.out()).containsPattern("(?m)^State: +FAILED");
        demo[0].fails = false;
    }

    @Test
    void switchoverWaitsUntilTheClusterIsServedOnTheTarget() throws Exception {
        Path tokens = startFleet();
        StandIn[] demo = cluster(tokens, "demo-2");
        Cli.Result r = CtlIT.ctl(operator(), "act", "demo-2", "switchover", "--node", "node-b", "--reason", "patching",
                "--wait", "--timeout", "90s", "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(FleetIT.JSON.readTree(r.out()).path("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(demo[1].serving).isTrue();
        assertThat(demo[0].serving).isFalse();
    }

    @Test
    void aBusyClusterIsExit4AndAWaitThatRunsOutIsExit7() throws Exception {
        Path tokens = startFleet();
        StandIn[] demo = cluster(tokens, "demo-3");
        demo[0].takesOrders = false;
        // Nobody takes the order: --wait runs out, the action goes on.
        Cli.Result waiting = CtlIT.ctl(operator(), "act", "demo-3", "quickCheck", "--node", "node-a", "--wait",
                "--timeout", "2s", "--json");
        assertThat(waiting.exit()).as(waiting.err()).isEqualTo(7);
        assertThat(waiting.err()).contains("it goes on");
        String id = FleetIT.JSON.readTree(waiting.out()).path("id").asText();
        // One action per cluster at a time.
        Cli.Result busy = CtlIT.ctl(operator(), "act", "demo-3", "restore", "--node", "node-b");
        assertThat(busy.exit()).as(busy.err()).isEqualTo(4);
        assertThat(busy.err().strip()).startsWith("hulft-ark ctl: ").contains(id).doesNotContain("\n");
        // Unknown node: 404.
        demo[0].takesOrders = true;
        Cli.Result unknown = CtlIT.ctl(operator(), "act", "no-such-cluster", "restore");
        assertThat(unknown.exit()).isEqualTo(3);
        // A viewer may not act.
        Map<String, String> viewer = operator();
        viewer.put("HULFTARK_TOKEN", FleetProcess.VIEWER);
        assertThat(CtlIT.ctl(viewer, "act", "demo-3", "quickCheck").exit()).isEqualTo(5);
    }

    @Test
    void aBatchWaitsForItsEnd() throws Exception {
        Path tokens = startFleet();
        cluster(tokens, "b-1");
        cluster(tokens, "b-2");
        StandIn[] failing = cluster(tokens, "b-3");

        Cli.Result ok = CtlIT.ctl(operator(), "batch", "quickCheck", "--cluster", "b-1", "--cluster", "b-2",
                "--concurrency", "2", "--reason", "ctl it", "--wait", "--timeout", "120s", "--json");
        assertThat(ok.exit()).as(ok.err()).isZero();
        JsonNode batch = FleetIT.JSON.readTree(ok.out());
        assertThat(batch.path("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(batch.path("succeeded").asInt()).isEqualTo(2);
        String id = batch.path("id").asText();
        Cli.Result status = CtlIT.ctl(operator(), "batch-status", id);
        assertThat(status.exit()).as(status.err()).isZero();
        assertThat(status.out()).containsPattern("(?m)^State: +SUCCEEDED").contains("b-1", "b-2");

        failing[0].fails = true;
        failing[1].fails = true;
        Cli.Result bad = CtlIT.ctl(operator(), "batch", "quickCheck", "--label", "site=osaka", "--concurrency", "1",
                "--stop-on-failure", "--wait", "--timeout", "120s");
        assertThat(bad.exit()).as(bad.err()).isEqualTo(1);
        assertThat(bad.err()).containsPattern("(?m)^hulft-ark ctl: batch \\S+ (FAILED|STOPPED)");
        assertThat(bad.err()).contains("b-3: FAILED");

        assertThat(CtlIT.ctl(operator(), "batch-status", "no-such-batch").exit()).isEqualTo(3);
    }
}
