package io.hulftark.fleet.ui;

import com.fasterxml.jackson.databind.JsonNode;
import io.hulftark.wire.Status;
import io.hulftark.wire.Report;
import io.hulftark.http.security.Role;
import io.hulftark.http.security.TokenStore;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.logging.Level;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard in a real headless Chromium against a real fleet view: reports arrive over HTTP with reporter
 * tokens, as agents send them, and the page is checked for what people see. One browser for the class; every
 * test signs in afresh. Cluster names carry a run id, so a store kept from an earlier run does not disturb.
 */
@QuarkusTest
@TestProfile(DashboardProfile.class)
class DashboardTest extends BrowserSession {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 6);

    @BeforeEach
    void signedOut() {
        openSignedOut();
    }

    static String name(String what) {
        return "ui" + RUN + "-" + what;
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
    void aViewerHasNoFormToActWithAndTheApiRefusesItAnyway() throws Exception {
        String c = name("viewer-ack");
        reports.cluster(DashboardProfile.reporter(c), c, Status.FAILED, Status.STOPPED);
        HttpResponse<String> direct = reports.call("POST", "/api/v1/fleet/clusters/" + c + "/acknowledgements",
                DashboardProfile.VIEWER, "{\"comment\":\"mine\",\"until\":\"2099-01-01T00:00:00Z\"}");
        assertEquals(403, direct.statusCode(), direct.body());

        signIn(DashboardProfile.VIEWER);
        browser.open(base + "#/cluster/" + c);
        browser.await("the cluster page", ExpectedConditions.attributeToBe(By.id("cluster"), "data-cluster", c));
        assertEquals(0, browser.findAll(By.cssSelector("#ack-form, #maint-form, #ack-submit, #maint-submit")).size());
        assertTrue(browser.byId("read-only").isDisplayed());
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

        assertTrue(browser.text(By.cssSelector("#cluster-state [data-marker='ack']")).startsWith("ack · otto"));

        browser.byId("maint-reason").sendKeys("patching");
        browser.byId("maint-submit").click();
        // The real state stays, with the marker: "DOWN · in maintenance until 22:00".
        browser.await("the maintenance marker", ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#cluster-state [data-marker='maintenance']")));
        assertEquals("DOWN", browser.attribute(By.cssSelector("#cluster-state .badge"), "data-state"));
        assertTrue(browser.text(By.cssSelector("#cluster-state [data-marker='maintenance']"))
                .matches("in maintenance until .*\\d\\d:\\d\\d"));
        browser.click(By.cssSelector("#windows li[data-window] button"));
        browser.await("no marker once the window is removed", ExpectedConditions.numberOfElementsToBe(
                By.cssSelector("#cluster-state [data-marker='maintenance']"), 0));
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

    // ---------- stale views, invisible characters, the content security policy (issue 11, items 9 and 10) ----------

    /** The cluster page as the user sees it (text of visible elements only). */
    private String clusterPageText() {
        return (String) browser.script("return document.getElementById('cluster').innerText;");
    }

    @Test
    void anUnknownClusterOpenedAfterAnotherShowsNothingOfTheOther() throws Exception {
        String a = name("stale-a");
        String unknown = name("stale-unknown");
        reports.cluster(DashboardProfile.reporter(a), a, Status.FAILED, Status.STOPPED);
        HttpResponse<String> direct = reports.call("GET", "/api/v1/fleet/clusters/" + unknown, DashboardProfile.VIEWER, null);
        assertEquals(404, direct.statusCode(), direct.body());
        signIn(DashboardProfile.OPERATOR);
        browser.open(base + "#/cluster/" + a);
        browser.await("the cluster page of " + a, ExpectedConditions.attributeToBe(By.id("cluster"), "data-cluster", a));
        browser.await("its nodes", ExpectedConditions.numberOfElementsToBe(By.cssSelector("#nodes .node"), 2));
        assertTrue(clusterPageText().contains(a + "-a"));

        browser.script("location.hash = '#/cluster/' + arguments[0];", unknown);
        browser.await("the 404 shown", ExpectedConditions.visibilityOfElementLocated(By.id("cluster-missing")));
        assertEquals("No such cluster. " + Reports.JSON.readTree(direct.body()).path("detail").asText(),
                browser.text(By.id("cluster-missing")));
        assertEquals(unknown, browser.text(By.id("cluster-name")));
        assertEquals(0, browser.findAll(By.cssSelector("#nodes .node, #problems li, #acks li, #windows li, #events tr")).size());
        assertEquals(0, browser.findAll(By.cssSelector("[data-forget]")).size(), "no Forget node of " + a);
        assertFalse(browser.byId("ack-form").isDisplayed(), "no form acts on the unknown cluster");
        assertFalse(browser.byId("maint-form").isDisplayed());
        assertEquals("", browser.attribute(By.id("cluster"), "data-cluster"));
        assertFalse(clusterPageText().contains(a), clusterPageText());
        assertFalse(browser.driver().getTitle().contains(a), browser.driver().getTitle());

        assertFalse(browser.byId("cluster-body").isDisplayed());

        // Back to the known one: drawn again, the message gone.
        browser.script("location.hash = '#/cluster/' + arguments[0];", a);
        browser.await("the cluster page of " + a, ExpectedConditions.attributeToBe(By.id("cluster"), "data-cluster", a));
        assertFalse(browser.byId("cluster-missing").isDisplayed());
        assertTrue(browser.byId("ack-form").isDisplayed());
    }

    @Test
    void answersArrivingLateForAPageLeftBehindNeverReachTheOneShown() throws Exception {
        String a = name("late-a");
        String b = name("late-b");
        String unknown = name("late-unknown");
        reports.cluster(DashboardProfile.reporter(a), a, Status.FAILED, Status.STOPPED);
        reports.cluster(DashboardProfile.reporter(b), b, Status.RUNNING, Status.STOPPED);
        signIn(DashboardProfile.OPERATOR);
        browser.open(base + "#/cluster/" + a);
        browser.await("the cluster page of " + a, ExpectedConditions.attributeToBe(By.id("cluster"), "data-cluster", a));

        // A slow network: answers about these clusters come late, and not even an abort stops them.
        browser.script("""
                const delays = arguments[0];
                window.__answered = [];
                window.__asked = [];
                const realFetch = window.fetch;
                window.fetch = (url, options) => {
                  const hit = Object.keys(delays).find((c) => String(url).includes('/clusters/' + c + '?'));
                  if (!hit) return realFetch(url, options);
                  window.__asked.push(hit);
                  const {signal, ...rest} = options || {};
                  return realFetch(url, rest).then((res) => new Promise((resolve) => setTimeout(() => {
                    window.__answered.push(hit);
                    resolve(res);
                  }, delays[hit])));
                };
                """, java.util.Map.of(a, 1500, unknown, 1500, b, 700));

        // To an unknown cluster, then to B as soon as the unknown one was asked for (not after a fixed delay: a
        // refresh of A under way, which this slow network holds, would otherwise let B's address come first and
        // the unknown one never be asked for): its 404 arrives after B was asked for.
        browser.script("location.hash = '#/cluster/' + arguments[0];", unknown);
        browser.await("the unknown cluster asked for", d -> (Boolean) browser.script(
                "return window.__asked.includes(arguments[0]);", unknown));
        browser.script("location.hash = '#/cluster/' + arguments[0];", b);
        browser.await("B's name at once", ExpectedConditions.textToBe(By.id("cluster-name"), b));
        assertEquals(0, browser.findAll(By.cssSelector("#nodes .node, #problems li, [data-forget]")).size(),
                "nothing of " + a + " while B loads");
        assertFalse(browser.byId("ack-form").isDisplayed());
        browser.await("B drawn", ExpectedConditions.attributeToBe(By.id("cluster"), "data-cluster", b));
        browser.await("the late 404 answered", d -> (Boolean) browser.script("return window.__answered.includes(arguments[0]);", unknown));
        Thread.sleep(300);
        assertEquals(b, browser.text(By.id("cluster-name")));
        assertFalse(browser.byId("cluster-missing").isDisplayed(), "the unknown cluster's 404 is not shown on B's page");
        @SuppressWarnings("unchecked")
        List<String> nodes = (List<String>) browser.script(
                "return [...document.querySelectorAll('#nodes .node')].map(n => n.dataset.node);");
        assertEquals(List.of(b + "-a", b + "-b"), nodes);

        // A (known) then B at once: A's late answer is dropped, B stays.
        browser.script("location.hash = '#/cluster/' + arguments[0];"
                + "setTimeout(() => { location.hash = '#/cluster/' + arguments[1]; }, 100);", a, "x");
        browser.script("setTimeout(() => { location.hash = '#/cluster/' + arguments[0]; }, 150);", b);
        browser.await("A's late answer", d -> (Boolean) browser.script(
                "return window.__answered.filter(c => c === arguments[0]).length === 1;", a));
        browser.await("B drawn again", ExpectedConditions.attributeToBe(By.id("cluster"), "data-cluster", b));
        Thread.sleep(800);
        assertEquals(b, browser.attribute(By.id("cluster"), "data-cluster"));
        assertFalse(clusterPageText().contains(a), clusterPageText());
    }

    @Test
    void invisibleCharactersOfFreeTextsAreShownAsMarkers() throws Exception {
        String c = name("invisible");
        String token = DashboardProfile.reporter(c);
        Instant now = Instant.now();
        Report.Resource resource = new Report.Resource("HULFT", "HULFT8", Status.FAILED, "active", now.minusSeconds(60),
                "port\u200B 30000 \u2066fails\u2069", now, List.of(
                new Report.Port("rcvport", 30000, false, 0, "refused\u202Egnp.exe"),
                new Report.Port("obsport", 31000, true, 640, null)));
        reports.send(token, c, c + "-a", List.of(resource), List.of(
                new Report.Event(1, now, "HULFT", "transition", "RUNNING \u2192 FAILED\u2028by\u202Eeve\u2029")));
        reports.send(token, c, c + "-b", Status.STOPPED);
        assertEquals(201, reports.call("POST", "/api/v1/fleet/clusters/" + c + "/acknowledgements", DashboardProfile.OPERATOR,
                "{\"comment\":\"fixing \\u202Enoc\\u200F\\uFEFF\",\"until\":\"" + now.plusSeconds(3600) + "\"}").statusCode());
        assertEquals(201, reports.call("POST", "/api/v1/fleet/clusters/" + c + "/maintenance", DashboardProfile.OPERATOR,
                "{\"from\":\"" + now.plusSeconds(3600) + "\",\"until\":\"" + now.plusSeconds(7200)
                        + "\",\"reason\":\"patch\\u2029day\\u200D\"}").statusCode());
        browser.driver().manage().logs().get(LogType.BROWSER);  // drains what earlier tests left
        signIn(DashboardProfile.OPERATOR);
        browser.open(base + "#/cluster/" + c);
        browser.await("the cluster page", ExpectedConditions.attributeToBe(By.id("cluster"), "data-cluster", c));
        browser.await("the event", ExpectedConditions.presenceOfElementLocated(By.cssSelector("#events tr[data-kind]")));
        browser.await("the acknowledgement", ExpectedConditions.presenceOfElementLocated(By.cssSelector("#acks li[data-ack]")));

        String event = browser.text(By.cssSelector("#events tr[data-kind='TRANSITION'], #events tr[data-kind='transition']"));
        assertTrue(event.contains("RUNNING \u2192 FAILED\u27E8U+2028\u27E9by\u27E8U+202E\u27E9eve\u27E8U+2029\u27E9"), event);
        String reason = browser.text(By.cssSelector("#nodes .node[data-node='" + c + "-a'] td.reason"));
        assertEquals("port\u27E8U+200B\u27E9 30000 \u27E8U+2066\u27E9fails\u27E8U+2069\u27E9", reason);
        assertTrue(browser.text(By.cssSelector("#nodes .port[data-port='30000']")).contains("refused\u27E8U+202E\u27E9gnp.exe"));
        String ack = browser.text(By.cssSelector("#acks li[data-ack]"));
        assertTrue(ack.contains("fixing \u27E8U+202E\u27E9noc\u27E8U+200F\u27E9\u27E8U+FEFF\u27E9"), ack);
        String window = browser.text(By.cssSelector("#windows li[data-window]"));
        assertTrue(window.contains("patch\u27E8U+2029\u27E9day\u27E8U+200D\u27E9"), window);
        assertEquals("U+202E RIGHT-TO-LEFT OVERRIDE",
                browser.attribute(By.cssSelector("#acks .invisible[data-char='U+202E']"), "title"));

        // Not one of them reaches the page as itself: neither in a text node nor in an attribute (titles, labels).
        @SuppressWarnings("unchecked")
        List<String> raw = (List<String>) browser.script("""
                const re = /[\\p{Cc}\\p{Cf}\\p{Cs}\\p{Zl}\\p{Zp}]/u;
                const found = [];
                const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
                for (let n = walk.nextNode(); n; n = walk.nextNode()) {
                  if (re.test(n.data.replace(/[\\n\\t]/g, ''))) found.push('text: ' + JSON.stringify(n.data));
                }
                for (const el of document.querySelectorAll('*')) {
                  for (const at of el.attributes) if (re.test(at.value)) found.push(el.tagName + '@' + at.name);
                }
                if (re.test(document.title)) found.push('title');
                return found;
                """);
        assertEquals(List.of(), raw);

        // The markers for what no test above could send through JSON and the store: lone surrogates, tags, selectors.
        assertEquals("a\u27E8U+D800\u27E9b\u27E8U+DC00\u27E9c\u27E8U+E0041\u27E9d\u27E8U+FE0F\u27E9e\u27E8U+00AD\u27E9f",
                browser.script("return visibleText('a\\uD800b\\uDC00c\\u{E0041}d\\uFE0Fe\\u00ADf');"));
        assertEquals("\u65E5\u672C\u3000\u00E9 \uD83D\uDE00", browser.script("return visibleText('\\u65E5\\u672C\\u3000\\u00E9 \\uD83D\\uDE00');"),
                "letters, an ideographic space and an emoji are themselves");

        // The page drew all of this (the timeline's widths included) without anything the policy refuses.
        List<String> console = browser.driver().manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.WARNING.intValue()).map(Object::toString).toList();
        assertEquals(List.of(), console);
    }

    @Test
    void theContentSecurityPolicyIsInForce() throws Exception {
        signIn(DashboardProfile.VIEWER);
        browser.driver().manage().logs().get(LogType.BROWSER);
        // What an injected text would try: an inline script, an inline style, a frame of the page.
        Object result = browser.script("""
                window.__violations = [];
                document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective));
                const s = document.createElement('script');
                s.textContent = 'window.__inlineRan = true;';
                document.head.append(s);
                const d = document.createElement('div');
                d.setAttribute('style', 'width: 123px');
                document.body.append(d);
                return [window.__inlineRan === true, d.getBoundingClientRect().width === 123];
                """);
        assertEquals(List.of(false, false), result, "an inline script ran or an inline style applied");
        browser.await("the violations reported", d -> ((List<?>) browser.script("return window.__violations;")).size() >= 2);
        List<String> console = browser.driver().manage().logs().get(LogType.BROWSER).getAll().stream()
                .map(Object::toString).toList();
        assertTrue(console.stream().anyMatch(l -> l.contains("Content Security Policy")), console.toString());
    }
}
