package io.hulftark.fleet.ui;

import com.fasterxml.jackson.databind.JsonNode;
import io.hulftark.wire.Status;
import io.hulftark.wire.Report;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard on every screen (issue 14, item 6), in a real headless Chromium at 1400×900 and 400×800: no
 * sideways scrolling, node names that do not wrap, one time format with its zone, sortable columns, the history
 * in time order with paging and filters, the state timeline's labels and marks, and the fleet-wide event log
 * following the live stream.
 */
@QuarkusTest
@TestProfile(DashboardProfile.class)
class DashboardScreensTest extends BrowserSession {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 6);

    @BeforeEach
    void signedIn() {
        size(1400, 900);
        openSignedOut();
    }

    @AfterEach
    void backToTheUsualWindow() {
        ((ChromeDriver) browser.driver()).executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
    }

    static String name(String what) {
        return "sc" + RUN + "-" + what;
    }

    /** The page's viewport, exactly (a window has a minimum width of its own, and borders). */
    private static void size(int width, int height) {
        ((ChromeDriver) browser.driver()).executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of(
                "width", width, "height", height, "deviceScaleFactor", 1, "mobile", false));
        assertEquals(width, ((Number) browser.script("return window.innerWidth;")).intValue());
    }

    private void openCluster(String c) {
        browser.open(base + "#/cluster/" + c);
        browser.await("the cluster page of " + c, ExpectedConditions.attributeToBe(By.id("cluster"), "data-cluster", c));
    }

    /** Whether the page scrolls sideways: wider than the window's inner width. */
    private boolean scrollsSideways() {
        return (Boolean) browser.script("return document.documentElement.scrollWidth > window.innerWidth;");
    }

    /** What sticks out on the right, for the failure message. */
    private Object overflowing() {
        return browser.script("""
                return [document.documentElement.scrollWidth, window.innerWidth, document.body.scrollWidth,
                  ...[...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right
                  > window.innerWidth + 0.5 && e.getClientRects().length > 0)
                  .slice(0, 12).map((e) => e.tagName + '#' + e.id + '.' + e.className + ' '
                  + Math.round(e.getBoundingClientRect().left) + '..' + Math.round(e.getBoundingClientRect().right)
                  + ' ' + getComputedStyle(e).position)];
                """);
    }

    /** The events of a cluster, as a node's agent reports them: out of their time order, with a long text each. */
    private void history(String token, String cluster, String node, int count, Instant newest) throws Exception {
        List<Report.Event> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            // Every third one is older than the one before it: arrival order is not time order.
            Instant at = newest.minusSeconds(10L * (count - i)).minusSeconds(i % 3 == 0 ? 25 : 0);
            events.add(new Report.Event(i + 1, at, "HULFT", i % 5 == 0 ? "action" : "transition",
                    "step " + i + ": the service was checked on every port and found as the agent reports it here"));
        }
        reports.send(token, cluster, node, List.of(Reports.hulft(node.endsWith("-a") ? Status.RUNNING : Status.STOPPED)),
                events);
    }

    @Test
    void atFourHundredPixelsNothingScrollsSidewaysAndAt1400NoNodeNameWraps() throws Exception {
        String c = name("narrow-cluster-with-a-long-name");
        String token = DashboardProfile.reporter(c);
        reports.cluster(token, c, Status.FAILED, Status.STOPPED);
        history(token, c, c + "-a", 12, Instant.now());
        signIn(DashboardProfile.OPERATOR);

        size(400, 800);
        browser.await("the table", ExpectedConditions.presenceOfElementLocated(By.cssSelector("#cluster-rows tr")));
        assertFalse(scrollsSideways(), () -> "the overview scrolls sideways at 400 px: " + overflowing());
        openCluster(c);
        browser.await("the history", ExpectedConditions.presenceOfElementLocated(By.cssSelector("#events tr")));
        assertFalse(scrollsSideways(), () -> "the cluster page scrolls sideways at 400 px: " + overflowing());
        browser.open(base + "#/events?cluster=" + c);
        browser.await("the event log", ExpectedConditions.presenceOfElementLocated(By.cssSelector("#log-rows tr")));
        assertFalse(scrollsSideways(), () -> "the event log scrolls sideways at 400 px: " + overflowing());

        size(1400, 900);
        openCluster(c);
        browser.await("the history", ExpectedConditions.presenceOfElementLocated(By.cssSelector("#events tr td.node")));
        @SuppressWarnings("unchecked")
        List<String> wrapped = (List<String>) browser.script("""
                return [...document.querySelectorAll('#events td.node, #events td.kind, #events td.when')]
                  .filter((td) => td.textContent.trim() !== '')
                  .filter((td) => {
                    // Wrapped: one of its texts (a node name, a kind, a time) takes more than one line.
                    const walk = document.createTreeWalker(td, NodeFilter.SHOW_TEXT);
                    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
                      const r = document.createRange();
                      r.selectNodeContents(n);
                      const tops = [...r.getClientRects()].map((x) => x.top);
                      if (tops.length > 1 && Math.max(...tops) - Math.min(...tops) > 2) return true;
                    }
                    return false;
                  })
                  .map((td) => td.textContent);
                """);
        assertEquals(List.of(), wrapped, "wrapped in the History table at 1400 px");
        assertFalse(scrollsSideways());
    }

    @Test
    void everyTimeIsLocalWithItsZoneIn24HoursAndSaysHowLongAgoOnHover() throws Exception {
        String c = name("times");
        String token = DashboardProfile.reporter(c);
        reports.cluster(token, c, Status.RUNNING, Status.STOPPED);
        history(token, c, c + "-a", 3, Instant.now().minusSeconds(7200));
        ChromeDriver chrome = (ChromeDriver) browser.driver();
        // Far from UTC, so a time shown in UTC (or without converting) cannot pass.
        chrome.executeCdpCommand("Emulation.setTimezoneOverride", Map.of("timezoneId", "Asia/Tokyo"));
        try {
            signIn(DashboardProfile.VIEWER);
            browser.await("the cluster's row", ExpectedConditions.presenceOfElementLocated(
                    By.cssSelector("tr[data-cluster='" + c + "'] time")));
            openCluster(c);
            browser.await("the history", ExpectedConditions.presenceOfElementLocated(By.cssSelector("#events time")));
            @SuppressWarnings("unchecked")
            List<Map<String, String>> times = (List<Map<String, String>>) browser.script("""
                    return [...document.querySelectorAll('#cluster time, #overview time')]
                      .map((t) => ({iso: t.getAttribute('datetime'), text: t.textContent, title: t.title}));
                    """);
            assertTrue(times.size() >= 6, times.toString());
            DateTimeFormatter tokyo = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.of("Asia/Tokyo"));
            for (Map<String, String> t : times) {
                String text = t.get("text");
                assertTrue(text.matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d (GMT\\+9|JST|UTC\\+09:00)"), text);
                assertEquals(tokyo.format(Instant.parse(t.get("iso"))), text.substring(0, 19), t.toString());
                assertTrue(t.get("title").matches("just now|\\d+ (s|min|h|d) ago|in \\d+ (s|min|h|d)"), t.toString());
            }
            assertTrue(times.stream().anyMatch(t -> t.get("title").endsWith("h ago")), "the 2 h old events: " + times);
            // Beside the cluster's own facts too, not only on hover.
            assertTrue(browser.text(By.id("cluster-facts")).matches("(?s).*since \\d{4}-.* \\((just now|\\d+ (s|min) ago)\\).*"),
                    browser.text(By.id("cluster-facts")));
        } finally {
            chrome.executeCdpCommand("Emulation.setTimezoneOverride", Map.of("timezoneId", ""));
        }
    }

    @Test
    void theClusterTableSortsByTheColumnChosen() throws Exception {
        String prefix = name("sort-");
        // By name a < b < c; by problems c (SPLIT), b (DOWN), a (OK).
        reports.cluster(DashboardProfile.reporter(prefix + "a"), prefix + "a", Status.RUNNING, Status.STOPPED);
        reports.cluster(DashboardProfile.reporter(prefix + "b"), prefix + "b", Status.FAILED, Status.STOPPED);
        reports.cluster(DashboardProfile.reporter(prefix + "c"), prefix + "c", Status.RUNNING, Status.RUNNING);
        signIn(DashboardProfile.VIEWER);
        browser.byId("search").sendKeys(prefix);
        browser.await("three clusters", d -> shownClusters().size() == 3);
        assertEquals(List.of(prefix + "c", prefix + "b", prefix + "a"), shownClusters(), "problems first");
        assertEquals("descending", browser.attribute(By.cssSelector("th[data-sort='PROBLEM']"), "aria-sort"));

        browser.click(By.cssSelector("th[data-sort='NAME'] button"));
        browser.await("sorted by name", d -> shownClusters().equals(List.of(prefix + "a", prefix + "b", prefix + "c")));
        assertEquals("ascending", browser.attribute(By.cssSelector("th[data-sort='NAME']"), "aria-sort"));
        assertEquals("none", browser.attribute(By.cssSelector("th[data-sort='PROBLEM']"), "aria-sort"));
        assertEquals("NAME", new Select(browser.byId("sort")).getFirstSelectedOption().getAttribute("value"));
        assertTrue(String.valueOf(browser.script("return location.hash;")).contains("sort=NAME"));

        // Latest change first: a changes now.
        reports.send(DashboardProfile.reporter(prefix + "a"), prefix + "a", prefix + "a-a", Status.FAILED);
        browser.click(By.cssSelector("th[data-sort='SINCE'] button"));
        browser.await("sorted by the latest change", d -> shownClusters().get(0).equals(prefix + "a"));
        browser.click(By.cssSelector("th[data-sort='PROBLEM'] button"));
        browser.await("problems first again", d -> shownClusters().get(0).equals(prefix + "c"));
    }

    @SuppressWarnings("unchecked")
    private List<String> shownClusters() {
        return (List<String>) browser.script(
                "return [...document.querySelectorAll('#cluster-rows tr')].map(r => r.dataset.cluster);");
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> historyRows(String tbody) {
        return (List<Map<String, Object>>) browser.script("""
                return [...document.querySelectorAll('#' + arguments[0] + ' tr')].map((r) => ({
                  id: Number(r.dataset.event), kind: r.dataset.kind, at: r.querySelector('time').getAttribute('datetime'),
                  node: r.querySelector('td.node').textContent}));
                """, tbody);
    }

    private static void assertNewestFirst(List<Map<String, Object>> rows) {
        for (int i = 1; i < rows.size(); i++) {
            Instant before = Instant.parse((String) rows.get(i - 1).get("at"));
            Instant at = Instant.parse((String) rows.get(i).get("at"));
            assertFalse(at.isAfter(before), "not in time order at row " + i + ": " + rows);
        }
    }

    @Test
    void theHistoryIsInTimeOrderPagedAndFilteredByKindAndNode() throws Exception {
        String c = name("history");
        String token = DashboardProfile.reporter(c);
        reports.cluster(token, c, Status.RUNNING, Status.STOPPED);
        history(token, c, c + "-a", 70, Instant.now());
        history(token, c, c + "-b", 5, Instant.now().minusSeconds(400));
        signIn(DashboardProfile.VIEWER);
        openCluster(c);
        browser.await("a full page", d -> historyRows("events").size() == 50);
        List<Map<String, Object>> first = historyRows("events");
        assertNewestFirst(first);
        assertFalse(browser.byId("history-older").getAttribute("disabled") != null, "Older is offered");
        assertTrue(browser.byId("history-newer").getAttribute("disabled") != null);

        browser.click(By.id("history-older"));
        browser.await("the next page", d -> !historyRows("events").isEmpty()
                && !historyRows("events").get(0).get("id").equals(first.get(0).get("id")));
        List<Map<String, Object>> second = historyRows("events");
        assertNewestFirst(second);
        assertFalse(Instant.parse((String) second.get(0).get("at")).isAfter(Instant.parse((String) first.get(49).get("at"))));
        List<Object> ids = new ArrayList<>(first.stream().map(r -> r.get("id")).toList());
        second.forEach(r -> assertFalse(ids.contains(r.get("id")), "shown on both pages: " + r));
        browser.click(By.id("history-newer"));
        browser.await("the first page again", d -> historyRows("events").get(0).get("id").equals(first.get(0).get("id")));

        new Select(browser.byId("history-kind")).selectByValue("ACTION");
        browser.await("actions only", d -> historyRows("events").stream().allMatch(r -> r.get("kind").equals("ACTION")));
        assertEquals(15, historyRows("events").size(), "70 / 5 + 5 / 5 actions");
        new Select(browser.byId("history-node")).selectByValue(c + "-b");
        browser.await("node b's actions only", d -> historyRows("events").size() == 1);
        assertEquals(c + "-b", historyRows("events").get(0).get("node"));
        new Select(browser.byId("history-kind")).selectByValue("");
        browser.await("every kind of node b", d -> historyRows("events").size() > 5
                && historyRows("events").stream().allMatch(r -> r.get("node").equals(c + "-b")));
        assertNewestFirst(historyRows("events"));
    }

    @Test
    void theTimelineLabelsEverySpanAndKeepsAOneSecondSplitVisible() throws Exception {
        String c = name("timeline");
        String token = DashboardProfile.reporter(c);
        reports.cluster(token, c, Status.RUNNING, Status.STOPPED);
        reports.send(token, c, c + "-a", Status.FAILED);
        reports.send(token, c, c + "-a", Status.RUNNING);
        signIn(DashboardProfile.VIEWER);
        openCluster(c);
        browser.await("three spans", ExpectedConditions.numberOfElementsToBeMoreThan(By.cssSelector("#timeline .segment"), 2));
        String down = browser.attribute(By.cssSelector("#timeline .segment[data-state='DOWN']"), "title");
        assertTrue(down.matches("DOWN from \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d \\S+ to \\d{4}-.* \\(\\d+ (s|min).*\\)"), down);
        String last = (String) browser.script("return [...document.querySelectorAll('#timeline .segment')].pop().title;");
        assertTrue(last.startsWith("OK from ") && last.contains(" to now"), last);

        // Three days of OK with a SPLIT of one second in the middle: drawn by the page's own function.
        Object width = browser.script("""
                const now = Date.now(), day = 86400000;
                drawTimeline({state: 'OK', since: new Date(now - day).toISOString()}, [
                  {state: 'OK', at: new Date(now - 3 * day).toISOString()},
                  {state: 'SPLIT', at: new Date(now - day - 1000).toISOString()},
                  {state: 'OK', at: new Date(now - day).toISOString()}].reverse());
                const split = document.querySelector('#timeline .segment[data-state="SPLIT"]');
                return [split.getBoundingClientRect().width, split.title];
                """);
        List<?> result = (List<?>) width;
        assertTrue(((Number) result.get(0)).doubleValue() >= 5.5, "the one-second SPLIT is " + result.get(0) + " px wide");
        assertTrue(((String) result.get(1)).matches("SPLIT from .* to .* \\(1 s\\)"), (String) result.get(1));
    }

    @Test
    void theEventLogShowsEveryClusterFiltersAndFollowsLive() throws Exception {
        String a = name("log-a");
        String b = name("log-b");
        reports.cluster(DashboardProfile.reporter(a), a, Status.RUNNING, Status.STOPPED);
        reports.cluster(DashboardProfile.reporter(b), b, Status.RUNNING, Status.STOPPED);
        signIn(DashboardProfile.VIEWER);
        browser.click(By.id("nav-events"));
        browser.await("the event log", ExpectedConditions.visibilityOfElementLocated(By.id("eventlog")));
        browser.await("events of both clusters", d -> {
            @SuppressWarnings("unchecked")
            List<String> clusters = (List<String>) browser.script(
                    "return [...document.querySelectorAll('#log-rows td.cluster')].map(t => t.textContent);");
            return clusters.contains(a) && clusters.contains(b);
        });
        assertNewestFirst(historyRows("log-rows"));

        browser.byId("log-cluster").sendKeys(a);
        new Select(browser.byId("log-kind")).selectByValue("STATE");
        browser.await("a's STATE events only", d -> {
            List<Map<String, Object>> rows = historyRows("log-rows");
            return !rows.isEmpty() && rows.stream().allMatch(r -> r.get("kind").equals("STATE"))
                    && (Boolean) browser.script("return [...document.querySelectorAll('#log-rows td.cluster')]"
                    + ".every(t => t.textContent === arguments[0]);", a);
        });
        assertTrue(String.valueOf(browser.script("return location.hash;")).contains("kind=STATE"));
        browser.await("the live indicator", ExpectedConditions.attributeToBe(By.id("live"), "data-live", "live"));
        int before = historyRows("log-rows").size();

        // a goes DOWN: its STATE event appears on top without a reload; b's change does not pass the filter.
        browser.script("window.__sameDocument = 'yes';");
        reports.send(DashboardProfile.reporter(b), b, b + "-a", Status.FAILED);
        reports.send(DashboardProfile.reporter(a), a, a + "-a", Status.FAILED);
        browser.await("the DOWN event on top", d -> historyRows("log-rows").size() == before + 1
                && browser.findAll(By.cssSelector("#log-rows tr:first-child .badge[data-state='DOWN']")).size() == 1);
        assertEquals("yes", browser.script("return window.__sameDocument;"));
        JsonNode events = Reports.JSON.readTree(reports.call("GET", "/api/v1/fleet/events?cluster=" + a
                + "&kind=STATE&order=NEWEST", DashboardProfile.VIEWER, null).body());
        assertEquals(events.get(0).path("id").asLong(), ((Number) historyRows("log-rows").get(0).get("id")).longValue());
        assertFalse(scrollsSideways());
    }

    @Test
    void aViewerGetsNoOperatorControlsAtAll() throws Exception {
        String c = name("viewer");
        reports.cluster(DashboardProfile.reporter(c), c, Status.FAILED, Status.STOPPED);
        HttpResponse<String> ack = reports.call("POST", "/api/v1/fleet/clusters/" + c + "/acknowledgements",
                DashboardProfile.OPERATOR, "{\"comment\":\"on it\",\"until\":\"" + Instant.now().plusSeconds(3600) + "\"}");
        assertEquals(201, ack.statusCode(), ack.body());

        signIn(DashboardProfile.VIEWER);
        openCluster(c);
        browser.await("the acknowledgement", ExpectedConditions.presenceOfElementLocated(By.cssSelector("#acks li[data-ack]")));
        assertEquals(0, browser.findAll(By.cssSelector("form.op-form, #ack-form, #maint-form, #ack-comment, "
                + "#maint-reason, #acks button, #windows button, [data-forget]")).size(), "operator controls in the page");
        assertTrue(browser.byId("read-only").isDisplayed());

        // Signed in again as an operator, in the same tab: the forms and the Remove button are there.
        browser.byId("signout").click();
        browser.await("the sign-in form", ExpectedConditions.visibilityOfElementLocated(By.id("token")));
        browser.byId("token").sendKeys(DashboardProfile.OPERATOR);
        browser.byId("signin-submit").click();
        browser.await("back on the cluster page", ExpectedConditions.attributeToBe(By.id("cluster"), "data-cluster", c));
        browser.await("the forms", ExpectedConditions.visibilityOfElementLocated(By.id("ack-form")));
        assertTrue(browser.byId("maint-form").isDisplayed());
        browser.await("the Remove button", ExpectedConditions.presenceOfElementLocated(By.cssSelector("#acks li[data-ack] button")));
        assertFalse(browser.byId("read-only").isDisplayed());
    }
}
