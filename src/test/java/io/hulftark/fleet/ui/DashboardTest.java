package io.hulftark.fleet.ui;

import com.fasterxml.jackson.databind.JsonNode;
import io.hulftark.agent.Status;
import io.hulftark.agent.security.Role;
import io.hulftark.agent.security.TokenStore;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.logging.Level;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The dashboard in a real headless Chromium against a real fleet view: reports arrive over HTTP with reporter
 * tokens, as agents send them, and the page is checked for what people see. One browser for the class; every
 * test signs in afresh. Cluster names carry a run id, so a store kept from an earlier run does not disturb.
 */
@QuarkusTest
@TestProfile(DashboardProfile.class)
class DashboardTest {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 6);
    private static Browser browser;

    @TestHTTPResource("/")
    URI base;

    private Reports reports;

    @BeforeAll
    static void startBrowser() throws Exception {
        assumeTrue(Browser.missing() == null, Browser.missing());
        browser = Browser.start();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @BeforeEach
    void signedOut() {
        reports = new Reports(base);
        browser.open(base.toString());
        browser.script("sessionStorage.clear();");
        browser.open(base.toString());
        browser.await("the sign-in form", ExpectedConditions.visibilityOfElementLocated(By.id("token")));
    }

    static String name(String what) {
        return "ui" + RUN + "-" + what;
    }

    private void signIn(String token) {
        browser.byId("token").sendKeys(token);
        browser.byId("signin-submit").click();
        browser.await("the overview after sign-in", ExpectedConditions.visibilityOfElementLocated(By.id("overview")));
    }

    private void awaitState(String cluster, String state) {
        browser.await(cluster + " shown as " + state, ExpectedConditions.attributeToBe(
                By.cssSelector("tr[data-cluster='" + cluster + "'] .badge"), "data-state", state));
    }

    /** The clusters of the table, top to bottom, read in one go (the table may be redrawn at any time). */
    @SuppressWarnings("unchecked")
    private List<String> shownClusters() {
        return (List<String>) browser.script(
                "return [...document.querySelectorAll('#cluster-rows tr')].map(r => r.dataset.cluster);");
    }

    @SuppressWarnings("unchecked")
    private List<String> shownStates() {
        return (List<String>) browser.script(
                "return [...document.querySelectorAll('#cluster-rows .badge')].map(b => b.dataset.state);");
    }

    private void search(String text) {
        WebElement box = browser.byId("search");
        box.clear();
        box.sendKeys(text);
    }

    @Test
    void signedInShowsTilesAndRowsWithProblemsFirst() throws Exception {
        String ok = name("tiles-ok");
        String down = name("tiles-down");
        reports.cluster(DashboardProfile.reporter(ok), ok, Status.RUNNING, Status.STOPPED);
        reports.cluster(DashboardProfile.reporter(down), down, Status.FAILED, Status.STOPPED);
        browser.driver().manage().logs().get(LogType.BROWSER);  // drains what earlier tests left
        signIn(DashboardProfile.VIEWER);

        search(name("tiles-"));
        browser.await("both clusters listed", d -> shownClusters().size() == 2);
        assertEquals(List.of(down, ok), shownClusters(), "problem clusters first");
        awaitState(ok, "OK");
        awaitState(down, "DOWN");
        assertEquals("none", browser.text(By.cssSelector("tr[data-cluster='" + down + "'] .serving")));
        assertEquals("HULFT@" + ok + "-a", browser.text(By.cssSelector("tr[data-cluster='" + ok + "'] .serving")));

        // Every tile shows what the API counts.
        JsonNode summary = Reports.JSON.readTree(reports.call("GET", "/api/v1/fleet/summary", DashboardProfile.VIEWER, null).body());
        for (String state : List.of("OK", "DEGRADED", "DOWN", "SPLIT", "STALE", "MAINTENANCE")) {
            String expected = summary.path("byState").path(state).asText();
            browser.await("tile " + state + " = " + expected,
                    ExpectedConditions.attributeToBe(By.id("tile-" + state), "data-count", expected));
        }
        assertTrue(browser.byId("who").getText().contains("viewer"), browser.byId("who").getText());
        browser.await("the live indicator", ExpectedConditions.attributeToBe(By.id("live"), "data-live", "live"));
        browser.screenshot(Path.of("target/dashboard.png"));
        // No script error, no missing file (favicon included), no failed request on the way.
        List<String> console = browser.driver().manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.WARNING.intValue()).map(Object::toString).toList();
        assertEquals(List.of(), console);
    }

    @Test
    void theStateFilterAndTheSearchNarrowTheTable() throws Exception {
        String ok = name("filter-ok");
        String down = name("filter-down");
        String split = name("filter-split");
        reports.cluster(DashboardProfile.reporter(ok), ok, Status.RUNNING, Status.STOPPED);
        reports.cluster(DashboardProfile.reporter(down), down, Status.FAILED, Status.STOPPED);
        reports.cluster(DashboardProfile.reporter(split), split, Status.RUNNING, Status.RUNNING);
        signIn(DashboardProfile.VIEWER);
        search(name("filter-"));
        browser.await("three clusters", d -> shownClusters().size() == 3);

        new Select(browser.byId("filter-state")).selectByValue("DOWN");
        browser.await("only DOWN clusters", d -> shownClusters().equals(List.of(down)));
        assertEquals(List.of("DOWN"), shownStates());

        // A tile filters too, from the keyboard as well; pressing it again shows every state.
        browser.byId("tile-SPLIT").sendKeys(Keys.ENTER);
        browser.await("only SPLIT clusters", d -> shownClusters().equals(List.of(split)));
        assertEquals("true", browser.attribute(By.id("tile-SPLIT"), "aria-pressed"));
        assertEquals("SPLIT", new Select(browser.byId("filter-state")).getFirstSelectedOption().getAttribute("value"));
        browser.click(By.id("tile-SPLIT"));
        browser.await("every state again", d -> shownClusters().size() == 3);

        search(ok);
        browser.await("the search finds one", d -> shownClusters().equals(List.of(ok)));
        search(name("no-such-cluster"));
        browser.await("the search finds none", ExpectedConditions.visibilityOfElementLocated(By.id("empty")));
        assertTrue(shownClusters().isEmpty());
    }

    @Test
    void aClusterTurnsDownOnScreenWithoutReload() throws Exception {
        String live = name("live");
        String token = DashboardProfile.reporter(live);
        reports.cluster(token, live, Status.RUNNING, Status.STOPPED);
        signIn(DashboardProfile.VIEWER);
        search(live);
        awaitState(live, "OK");
        browser.await("the live indicator", ExpectedConditions.attributeToBe(By.id("live"), "data-live", "live"));
        browser.script("window.__sameDocument = 'yes';");

        long t0 = System.nanoTime();
        reports.send(token, live, live + "-a", Status.FAILED);
        awaitState(live, "DOWN");
        long millis = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("dashboard: DOWN on screen " + millis + " ms after the report");
        assertEquals("yes", browser.script("return window.__sameDocument;"), "the page was reloaded");

        // And back: the standby takes over.
        reports.send(token, live, live + "-b", Status.RUNNING);
        awaitState(live, "DEGRADED");
    }

    @Test
    void theStreamComesBackAfterAnOutageWithTheEventsItMissed() throws Exception {
        String c = name("resume");
        String token = DashboardProfile.reporter(c);
        reports.cluster(token, c, Status.RUNNING, Status.STOPPED);
        // The browser reaches the fleet view through a link the test can cut (another origin: sign in there).
        try (CuttableLink link = new CuttableLink(base.getPort())) {
            String via = "http://127.0.0.1:" + link.port() + "/";
            browser.open(via);
            browser.await("the sign-in form", ExpectedConditions.visibilityOfElementLocated(By.id("token")));
            signIn(DashboardProfile.VIEWER);
            search(c);
            awaitState(c, "OK");
            browser.await("the live indicator", ExpectedConditions.attributeToBe(By.id("live"), "data-live", "live"));
            browser.script("window.__seen = [];"
                    + "document.addEventListener('fleet-event', e => window.__seen.push(e.detail));");

            // The network breaks: the stream ends, and the change happens meanwhile.
            link.cut();
            browser.await("the reconnecting indicator",
                    ExpectedConditions.attributeToBe(By.id("live"), "data-live", "reconnecting"));
            reports.send(token, c, c + "-a", Status.FAILED);
            long downId = lastStateEvent(c, "DOWN");
            assertEquals("OK", browser.attribute(By.cssSelector("tr[data-cluster='" + c + "'] .badge"), "data-state"));

            // Back: the page reconnects by itself (backoff), with Last-Event-ID, and the stream replays the event.
            link.restore();
            browser.await("live again", Duration.ofSeconds(30),
                    ExpectedConditions.attributeToBe(By.id("live"), "data-live", "live"));
            awaitState(c, "DOWN");
            browser.await("the missed DOWN event delivered by the stream", d -> (Boolean) browser.script(
                    "return window.__seen.some(e => e.id === arguments[0] && e.state === 'DOWN');", downId));
        }
    }

    /** The id of the newest STATE event of the cluster to the given state, as the API lists them. */
    private long lastStateEvent(String cluster, String state) throws Exception {
        JsonNode events = Reports.JSON.readTree(reports.call("GET", "/api/v1/fleet/events?cluster=" + cluster
                + "&limit=1000", DashboardProfile.VIEWER, null).body());
        long id = -1;
        for (JsonNode e : events) {
            if ("STATE".equals(e.path("kind").asText()) && state.equals(e.path("state").asText())) {
                id = e.path("id").asLong();
            }
        }
        assertTrue(id > 0, "no STATE " + state + " event of " + cluster + " in " + events);
        return id;
    }

    @Test
    void aClusterPageShowsNodesPortsAndTheTimeline() throws Exception {
        String c = name("page");
        String token = DashboardProfile.reporter(c);
        reports.cluster(token, c, Status.RUNNING, Status.STOPPED);
        reports.send(token, c, c + "-a", Status.FAILED);
        reports.send(token, c, c + "-a", Status.RUNNING);
        signIn(DashboardProfile.VIEWER);
        search(c);
        // From the keyboard: the cluster's name is a link.
        browser.await("the cluster's link", d -> {
            d.findElement(By.cssSelector("tr[data-cluster='" + c + "'] a")).sendKeys(Keys.ENTER);
            return true;
        });

        browser.await("the cluster page", ExpectedConditions.textToBe(By.id("cluster-name"), c));
        assertEquals("#/cluster/" + c, browser.script("return location.hash;"));
        browser.await("two nodes", ExpectedConditions.numberOfElementsToBe(By.cssSelector("#nodes .node"), 2));
        String active = "#nodes .node[data-node='" + c + "-a'] ";
        String standby = "#nodes .node[data-node='" + c + "-b'] ";
        assertEquals("RUNNING", browser.text(By.cssSelector(active + ".status")));
        assertEquals("true", browser.attribute(By.cssSelector(active + ".port[data-port='30000']"), "data-ok"));
        assertTrue(browser.text(By.cssSelector(active + ".port[data-port='30000']")).matches("rcvport 30000: \\d+\\.\\d ms"),
                browser.text(By.cssSelector(active + ".port[data-port='30000']")));
        assertTrue(browser.text(By.cssSelector(active + ".facts")).contains("clock skew"));
        assertEquals("true", browser.attribute(By.cssSelector(active), "data-fresh"));
        assertEquals("STOPPED", browser.text(By.cssSelector(standby + ".status")));

        // OK, then DOWN, then OK again: three segments in that order, and the STATE events in the list.
        browser.await("at least three timeline segments",
                ExpectedConditions.numberOfElementsToBeMoreThan(By.cssSelector("#timeline .segment"), 2));
        @SuppressWarnings("unchecked")
        List<String> segments = (List<String>) browser.script(
                "return [...document.querySelectorAll('#timeline .segment')].map(s => s.dataset.state);");
        assertEquals(List.of("OK", "DOWN", "OK"), segments.subList(segments.size() - 3, segments.size()), segments.toString());
        assertFalse(browser.findAll(By.cssSelector("#events tr[data-kind='STATE']")).isEmpty());
        browser.screenshot(Path.of("target/dashboard-cluster.png"));
    }

    @Test
    void aViewerSeesWhyItCannotAcknowledge() throws Exception {
        String c = name("viewer-ack");
        reports.cluster(DashboardProfile.reporter(c), c, Status.FAILED, Status.STOPPED);
        HttpResponse<String> direct = reports.call("POST", "/api/v1/fleet/clusters/" + c + "/acknowledgements",
                DashboardProfile.VIEWER, "{\"comment\":\"mine\",\"until\":\"2099-01-01T00:00:00Z\"}");
        assertEquals(403, direct.statusCode(), direct.body());
        String detail = Reports.JSON.readTree(direct.body()).path("detail").asText();

        signIn(DashboardProfile.VIEWER);
        browser.open(base + "#/cluster/" + c);
        browser.await("the cluster page", ExpectedConditions.textToBe(By.id("cluster-name"), c));
        browser.byId("ack-comment").sendKeys("I look at it");
        browser.byId("ack-submit").click();
        browser.await("the refusal", ExpectedConditions.visibilityOfElementLocated(By.id("ack-error")));
        assertEquals(detail, browser.byId("ack-error").getText());
    }

    @Test
    void anOperatorAcknowledgesAndSetsAWindow() throws Exception {
        String c = name("operator");
        reports.cluster(DashboardProfile.reporter(c), c, Status.FAILED, Status.STOPPED);
        signIn(DashboardProfile.OPERATOR);
        browser.open(base + "#/cluster/" + c);
        browser.await("the cluster page", ExpectedConditions.textToBe(By.id("cluster-name"), c));

        browser.byId("ack-comment").sendKeys("replacing the NIC");
        browser.byId("ack-submit").click();
        browser.await("the acknowledgement listed",
                ExpectedConditions.presenceOfElementLocated(By.cssSelector("#acks li[data-ack]")));
        String ack = browser.text(By.cssSelector("#acks li[data-ack]"));
        assertTrue(ack.contains("otto") && ack.contains("replacing the NIC"), ack);
        browser.await("the ack marker", ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#cluster-state [data-marker='ack']")));

        browser.byId("maint-reason").sendKeys("patching");
        browser.byId("maint-submit").click();
        browser.await("MAINTENANCE", ExpectedConditions.attributeToBe(
                By.cssSelector("#cluster-state .badge"), "data-state", "MAINTENANCE"));
        browser.click(By.cssSelector("#windows li[data-window] button"));
        browser.await("DOWN again once the window is removed", ExpectedConditions.attributeToBe(
                By.cssSelector("#cluster-state .badge"), "data-state", "DOWN"));
        browser.click(By.cssSelector("#acks li[data-ack] button"));
        browser.await("no acknowledgement", ExpectedConditions.numberOfElementsToBe(
                By.cssSelector("#acks li[data-ack]"), 0));
    }

    @Test
    void aWrongTokenShowsTheReason() throws Exception {
        HttpResponse<String> direct = reports.call("GET", "/api/v1/fleet/whoami", "hak_not-a-token", null);
        assertEquals(401, direct.statusCode());
        String detail = Reports.JSON.readTree(direct.body()).path("detail").asText();

        browser.byId("token").sendKeys("hak_not-a-token");
        browser.byId("signin-submit").click();
        browser.await("the sign-in error", ExpectedConditions.visibilityOfElementLocated(By.id("signin-error")));
        assertEquals(detail, browser.byId("signin-error").getText());
        assertFalse(browser.byId("overview").isDisplayed());
        assertEquals(null, browser.script("return sessionStorage.getItem('hulftark.fleet.token');"));
    }

    @Test
    void aTokenRevokedDuringTheSessionReturnsToSignInWithTheReason() throws Exception {
        String token = "hak_ui-short-lived-" + RUN;
        new TokenStore(DashboardProfile.TOKENS).add("temp-" + RUN, Role.VIEWER, token);
        signIn(token);
        browser.await("the live indicator", ExpectedConditions.attributeToBe(By.id("live"), "data-live", "live"));

        // Its line leaves the tokens file (written anew and renamed, as the token command does).
        Path file = DashboardProfile.TOKENS;
        List<String> kept = Files.readAllLines(file).stream().filter(l -> !l.startsWith("temp-" + RUN + " ")).toList();
        Path next = file.resolveSibling(file.getFileName() + ".next");
        Files.write(next, kept);
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        HttpResponse<String> direct = reports.call("GET", "/api/v1/fleet/summary", token, null);
        assertEquals(401, direct.statusCode(), direct.body());

        // The page's next request (a tile pressed, or whatever it sent meanwhile) meets the 401.
        browser.script("if (!document.getElementById('overview').hidden) document.getElementById('tile-DOWN').click();");
        browser.await("back at sign-in", ExpectedConditions.visibilityOfElementLocated(By.id("token")));
        assertEquals(Reports.JSON.readTree(direct.body()).path("detail").asText(), browser.text(By.id("signin-error")));
        assertEquals(null, browser.script("return sessionStorage.getItem('hulftark.fleet.token');"));
    }

    @Test
    void signingOutForgetsTheToken() {
        signIn(DashboardProfile.OPERATOR);
        assertTrue(browser.byId("who").getText().contains("operator"));
        browser.byId("signout").click();
        browser.await("the sign-in form", ExpectedConditions.visibilityOfElementLocated(By.id("token")));
        assertEquals(null, browser.script("return sessionStorage.getItem('hulftark.fleet.token');"));
        browser.await("the stream closed", ExpectedConditions.attributeToBe(By.id("live"), "data-live", "off"));
    }
}
