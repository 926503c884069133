package io.hulftark.fleet.ui;

import com.fasterxml.jackson.databind.JsonNode;
import io.hulftark.http.security.ReporterScope;
import io.hulftark.http.security.Role;
import io.hulftark.http.security.TokenStore;
import io.hulftark.cli.SimSettings;
import io.hulftark.sim.SimInstallation;
import io.hulftark.sim.SimSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * End to end, every part real: the packaged fleet view and a packaged node agent as processes, the agent
 * watching a simulated HULFT on loopback ports and pushing to the fleet view, and the dashboard in headless
 * Chromium. The simulated HULFT is killed; the cluster turns DOWN on screen without a reload.
 */
class DashboardIT {

    static final String CLUSTER = "e2e";
    static final String NODE = "e2e-a";
    static final String TAG = "hulft";
    static final String VIEWER = "hak_e2e-viewer-token-for-tests-only";
    static final String REPORTER = "hak_e2e-reporter-token-for-tests-only";
    static final String AGENT_OPERATOR = "hak_e2e-agent-operator-for-tests-only";

    @TempDir
    Path dir;
    private AppProcess fleet;
    private AppProcess agent;
    private SimInstallation sim;
    private Browser browser;

    @AfterEach
    void stopAll() throws Exception {
        // Each in its own try: one that fails to stop must not leave the others running.
        try {
            if (browser != null) {
                browser.close();
            }
        } finally {
            try {
                if (agent != null) {
                    agent.close();
                }
            } finally {
                try {
                    if (sim != null) {
                        sim.stopNow();
                    }
                } finally {
                    if (fleet != null) {
                        fleet.close();
                    }
                }
            }
        }
    }

    @Test
    void aClusterTurnsDownOnScreenWhenItsSimulatedHulftIsKilled() throws Exception {
        assumeTrue(Browser.missing() == null, Browser.missing());

        Path fleetTokens = dir.resolve("fleet-tokens");
        TokenStore tokens = new TokenStore(fleetTokens);
        tokens.add("vera", Role.VIEWER, VIEWER);
        tokens.add("e2e-agents", Role.REPORTER, Optional.of(new ReporterScope(CLUSTER, Optional.empty())), REPORTER);
        fleet = new AppProcess("fleet", Map.of(
                "hulftark.state-dir", dir.resolve("fleet-state").toString(),
                "hulftark.security.tokens-file", fleetTokens.toString()), dir.resolve("fleet.log")).start();

        SimSpec.Builder spec = SimSpec.builder().resource(TAG, SimSpec.DEFAULT_SERVICE_NAME);
        for (String key : SimSpec.PORT_KEYS) {
            spec.port(key, AppProcess.freePort());
        }
        sim = SimInstallation.create(dir.resolve("HULFT Family"), spec.build());
        Path agentTokens = dir.resolve("agent-tokens");
        new TokenStore(agentTokens).add("ops", Role.OPERATOR, AGENT_OPERATOR);
        Map<String, String> p = new LinkedHashMap<>(SimSettings.of(sim, dir.resolve("agent-state")));
        p.put("hulftark.probe", "tcp");
        p.put("hulftark.probe-timeout", "2000ms");
        p.put("hulftark.agent.tags", TAG);
        p.put("hulftark.agent.action-mode", "direct");
        p.put("hulftark.agent.check-interval", "1s");
        p.put("hulftark.agent.failures-before-failed", "1");
        p.put("hulftark.cluster", CLUSTER);
        p.put("hulftark.node", NODE);
        p.put("hulftark.fleet.url", fleet.base().toString());
        p.put("hulftark.fleet.token", REPORTER);
        p.put("hulftark.fleet.heartbeat", "2s");
        p.put("hulftark.security.tokens-file", agentTokens.toString());
        agent = new AppProcess("agent", p, dir.resolve("agent.log")).start();

        // The agent starts HULFT (a restore over its REST API), then tells the fleet view.
        HttpResponse<String> restore = agent.post("/api/v1/resources/" + TAG + "/actions", AGENT_OPERATOR,
                "{\"action\": \"restore\", \"reason\": \"end-to-end test\"}");
        assertEquals(202, restore.statusCode(), restore.body());
        awaitFleetState("OK", Duration.ofSeconds(60));

        browser = Browser.start();
        browser.open(fleet.base().toString());
        browser.byId("token").sendKeys(VIEWER);
        browser.byId("signin-submit").click();
        By badge = By.cssSelector("tr[data-cluster='" + CLUSTER + "'] .badge");
        browser.await("the cluster OK on screen", ExpectedConditions.attributeToBe(badge, "data-state", "OK"));
        browser.await("the live indicator", ExpectedConditions.attributeToBe(By.id("live"), "data-live", "live"));
        browser.script("window.__sameDocument = 'yes';");

        long t0 = System.nanoTime();
        assertTrue(sim.crash(), "the simulated HULFT was running");
        browser.await("the cluster DOWN on screen", Duration.ofSeconds(30),
                ExpectedConditions.attributeToBe(badge, "data-state", "DOWN"));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        System.out.println("dashboard end to end: DOWN on screen " + millis + " ms after the simulated HULFT was killed");
        assertEquals("yes", browser.script("return window.__sameDocument;"), "the page was reloaded");
        assertTrue(browser.text(By.cssSelector("tr[data-cluster='" + CLUSTER + "'] .reason")).contains(NODE));
        browser.screenshot(Path.of("target/dashboard-e2e.png"));
    }

    private void awaitFleetState(String state, Duration timeout) throws Exception {
        long until = System.nanoTime() + timeout.toNanos();
        String last = "nothing";
        while (System.nanoTime() < until) {
            HttpResponse<String> r = fleet.get("/api/v1/fleet/clusters/" + CLUSTER, VIEWER);
            if (r.statusCode() == 200) {
                JsonNode row = Reports.JSON.readTree(r.body()).path("cluster");
                last = row.toString();
                if (state.equals(row.path("state").asText())) {
                    return;
                }
            } else {
                last = r.statusCode() + " " + r.body();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the fleet view did not show " + CLUSTER + " " + state + " within " + timeout
                + "; last: " + last);
    }
}
