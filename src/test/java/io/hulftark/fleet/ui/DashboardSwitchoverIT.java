package io.hulftark.fleet.ui;

import com.fasterxml.jackson.databind.JsonNode;
import io.hulftark.cli.SimSettings;
import io.hulftark.http.security.ReporterScope;
import io.hulftark.http.security.Role;
import io.hulftark.http.security.TokenStore;
import io.hulftark.sim.SimInstallation;
import io.hulftark.sim.SimSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue 12's switchover from the dashboard, every part real: the packaged fleet view and two packaged agents as
 * processes (fleet actions allowed, pushing), each watching its own simulated HULFT, and the dashboard in headless
 * Chromium. The operator switches the cluster over to its standby from the cluster page, confirms, watches the
 * steps, and the cluster ends OK served on the other node.
 */
class DashboardSwitchoverIT {

    static final String CLUSTER = "sw";
    static final String TAG = "hulft";
    static final List<String> NODES = List.of("sw-a", "sw-b");
    static final String OPERATOR = "hak_sw-operator-token-for-tests-only";
    static final String REPORTER = "hak_sw-reporter-token-for-tests-only";
    static final String AGENT_OPERATOR = "hak_sw-agent-operator-for-tests-only";

    @TempDir
    Path dir;
    private AppProcess fleet;
    private final List<AppProcess> agents = new ArrayList<>();
    private final List<SimInstallation> sims = new ArrayList<>();
    private Browser browser;

    @AfterEach
    void stopAll() throws Exception {
        List<Exception> failures = new ArrayList<>();
        List<AutoCloseable> parts = new ArrayList<>();
        parts.add(browser);
        parts.addAll(agents);
        sims.forEach(s -> parts.add(s::stopNow));
        parts.add(fleet);
        // Each on its own: one that fails to stop must not leave the others running.
        for (AutoCloseable part : parts) {
            try {
                if (part != null) {
                    part.close();
                }
            } catch (Exception e) {
                failures.add(e);
            }
        }
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
    }

    @Test
    void aSwitchoverFromTheClusterPageEndsWithTheClusterOkOnTheOtherNode() throws Exception {
        assumeTrue(Browser.missing() == null, Browser.missing());

        Path fleetTokens = dir.resolve("fleet-tokens");
        TokenStore tokens = new TokenStore(fleetTokens);
        tokens.add("alice", Role.OPERATOR, OPERATOR);
        tokens.add("sw-agents", Role.REPORTER, Optional.of(new ReporterScope(CLUSTER, Optional.empty())), REPORTER);
        fleet = new AppProcess("fleet", Map.of(
                "hulftark.state-dir", dir.resolve("fleet-state").toString(),
                "hulftark.security.tokens-file", fleetTokens.toString(),
                // Two simulated nodes on one machine: their folders and hulenv.cnf differ by construction.
                "hulftark.fleet.readiness.per-node-keys", io.hulftark.demo.Demo.SAME_MACHINE_KEYS),
                dir.resolve("fleet.log")).start();

        Path agentTokens = dir.resolve("agent-tokens");
        new TokenStore(agentTokens).add("ops", Role.OPERATOR, AGENT_OPERATOR);
        for (String node : NODES) {
            agents.add(agent(node, agentTokens));
        }
        // HULFT in service on sw-a (as LifeKeeper would have it), sw-b a standby.
        HttpResponse<String> restore = agents.get(0).post("/api/v1/resources/" + TAG + "/actions", AGENT_OPERATOR,
                "{\"action\": \"restore\", \"reason\": \"switchover test: in service on sw-a\"}");
        assertEquals(202, restore.statusCode(), restore.body());
        awaitServedOn("sw-a", Duration.ofSeconds(90));

        browser = Browser.start();
        browser.open(fleet.base() + "#/cluster/" + CLUSTER);
        browser.byId("token").sendKeys(OPERATOR);
        browser.byId("signin-submit").click();
        browser.await("the cluster page", ExpectedConditions.attributeToBe(By.id("cluster"), "data-cluster", CLUSTER));
        By switchover = By.cssSelector("#nodes .node[data-node='sw-b'] button[data-action='switchover']");
        browser.await("the switchover allowed (the agents say fleet actions are on)", Duration.ofSeconds(30),
                ExpectedConditions.elementToBeClickable(switchover));
        browser.click(switchover);
        browser.await("the confirmation", ExpectedConditions.visibilityOfElementLocated(By.id("action-dialog")));
        assertEquals("HULFT on sw will stop on sw-a and start on sw-b", browser.text(By.id("action-effect")));
        browser.byId("action-reason").sendKeys("patching sw-a");
        browser.click(By.id("action-dialog-confirm"));
        browser.await("the dialog closed", ExpectedConditions.numberOfElementsToBe(By.id("action-dialog"), 0));

        // The steps show live, and the action ends SUCCEEDED once the cluster is OK on sw-b.
        browser.await("the action's progress", ExpectedConditions.visibilityOfElementLocated(By.id("action-progress")));
        browser.await("the action SUCCEEDED", Duration.ofSeconds(150),
                ExpectedConditions.attributeToBe(By.id("action-progress"), "data-state", "SUCCEEDED"));
        @SuppressWarnings("unchecked")
        List<String> steps = (List<String>) browser.script("return [...document.querySelectorAll('#action-steps tr')]"
                + ".map(r => r.children[0].textContent + ' ' + r.children[1].textContent + ' ' + r.dataset.state);");
        assertEquals(List.of("sw-a remove SUCCEEDED", "sw-b restore SUCCEEDED"), steps);
        assertTrue(browser.text(By.id("action-summary")).startsWith("switchover to sw-b by alice"),
                browser.text(By.id("action-summary")));

        awaitServedOn("sw-b", Duration.ofSeconds(30));
        browser.await("OK on screen", ExpectedConditions.attributeToBe(By.cssSelector("#cluster-state .badge"),
                "data-state", "OK"));
        browser.await("served by sw-b on screen", ExpectedConditions.textMatches(By.id("cluster-facts"),
                java.util.regex.Pattern.compile(".*serving: " + TAG + "@sw-b( .*|$)")));
        browser.screenshot(Path.of("target/dashboard-switchover.png"));
    }

    private AppProcess agent(String node, Path agentTokens) throws Exception {
        SimSpec.Builder spec = SimSpec.builder().resource(TAG, SimSpec.DEFAULT_SERVICE_NAME).nodeName(node);
        for (String key : SimSpec.PORT_KEYS) {
            spec.port(key, AppProcess.freePort());
        }
        SimInstallation sim = SimInstallation.create(dir.resolve(node).resolve("HULFT Family"), spec.build());
        sims.add(sim);
        Map<String, String> p = new LinkedHashMap<>(SimSettings.of(sim, dir.resolve(node).resolve("state")));
        p.put("hulftark.probe", "tcp");
        p.put("hulftark.probe-timeout", "2000ms");
        p.put("hulftark.agent.tags", TAG);
        p.put("hulftark.agent.action-mode", "direct");
        p.put("hulftark.agent.check-interval", "1s");
        p.put("hulftark.agent.failures-before-failed", "1");
        p.put("hulftark.agent.fleet-actions.enabled", "true");
        p.put("hulftark.agent.labels", "site=tokyo,env=test");
        // Two agents on one machine: neither takes the machine's fast-check socket.
        p.put("hulftark.agent.fast-check.enabled", "false");
        p.put("hulftark.cluster", CLUSTER);
        p.put("hulftark.node", node);
        p.put("hulftark.fleet.url", fleet.base().toString());
        p.put("hulftark.fleet.token", REPORTER);
        p.put("hulftark.fleet.heartbeat", "2s");
        p.put("hulftark.security.tokens-file", agentTokens.toString());
        Files.createDirectories(dir.resolve(node));
        return new AppProcess("agent", p, dir.resolve(node).resolve("agent.log")).start();
    }

    /** Waits until the fleet view shows the cluster OK with HULFT served on that node only. */
    private void awaitServedOn(String node, Duration timeout) throws Exception {
        long until = System.nanoTime() + timeout.toNanos();
        String last = "nothing";
        while (System.nanoTime() < until) {
            HttpResponse<String> r = fleet.get("/api/v1/fleet/clusters/" + CLUSTER, OPERATOR);
            if (r.statusCode() == 200) {
                JsonNode row = Reports.JSON.readTree(r.body()).path("cluster");
                last = row.toString();
                if ("OK".equals(row.path("state").asText()) && row.path("serving").size() == 1
                        && (TAG + "@" + node).equals(row.path("serving").path(0).asText())) {
                    return;
                }
            } else {
                last = r.statusCode() + " " + r.body();
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the fleet view did not show " + CLUSTER + " OK on " + node + " within " + timeout
                + "; last: " + last);
    }
}
