package io.hulftark.fleet.ui;

import io.hulftark.wire.NodeFacts;
import io.hulftark.wire.Report;
import io.hulftark.wire.Status;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;

import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard's parts of issue 13 in a real headless Chromium, fed real reports with facts through
 * POST /api/v1/fleet/reports: the cluster page's settings table (nodes as columns, drift marked as the fleet view
 * finds it, a declared per-node key not marked, each node's last preflight with its failing rows first) and the
 * inventory page (counts that filter when clicked, sortable columns, paging, a CSV link of the current filter).
 */
@QuarkusTest
@TestProfile(DashboardInventoryTest.Profile.class)
class DashboardInventoryTest extends BrowserSession {

    /** The dashboard's profile, with $exe_path declared a per-node key (HULFT in another folder on each node). */
    public static class Profile extends DashboardProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(super.getConfigOverrides());
            config.put("hulftark.fleet.readiness.per-node-keys", "$exe_path");
            return config;
        }
    }

    private static final String RUN = UUID.randomUUID().toString().substring(0, 6);

    private final Instant started = Instant.now();
    private final Map<String, AtomicLong> seqs = new ConcurrentHashMap<>();

    @BeforeEach
    void signedOut() {
        openSignedOut();
    }

    static String name(String what) {
        return "iv" + RUN + "-" + what;
    }

    /** The facts of a node as its agent would send them: one HULFT resource with these settings and preflight. */
    static NodeFacts facts(String agentVersion, String host, Map<String, String> settings,
                           List<NodeFacts.PreflightRow> preflight) throws Exception {
        return facts(agentVersion, "10.0.20348", host, settings, preflight);
    }

    static NodeFacts facts(String agentVersion, String osVersion, String host, Map<String, String> settings,
                           List<NodeFacts.PreflightRow> preflight) throws Exception {
        byte[] sha = MessageDigest.getInstance("SHA-256").digest((agentVersion + osVersion + host + settings + preflight)
                .getBytes(StandardCharsets.UTF_8));
        return new NodeFacts(HexFormat.of().formatHex(sha), Instant.now(), agentVersion, "Windows Server 2022",
                osVersion, "17.0.13 (Eclipse Adoptium)", host, "simulated", true, "9.8.0",
                List.of(new NodeFacts.ResourceFacts("HULFT", settings, preflight)), Instant.now());
    }

    /** Posts a node's state with its facts as its agent would (a reporter token of its cluster). */
    private void send(String cluster, String node, Status status, NodeFacts facts) throws Exception {
        long seq = seqs.computeIfAbsent(cluster + "/" + node, k -> new AtomicLong()).incrementAndGet();
        Report report = new Report(cluster, node, facts.agentVersion(), started, seq, Instant.now(),
                List.of(Reports.hulft(status)), List.of(), 0, null, Map.of("run", RUN), true, "direct", facts);
        HttpResponse<String> answer = reports.call("POST", "/api/v1/fleet/reports", DashboardProfile.reporter(cluster),
                Reports.JSON.writeValueAsString(report));
        assertEquals(202, answer.statusCode(), answer.body());
    }

    private static Map<String, String> settings(String exePath, String timeout) {
        return Map.of("service", "HULFT8", "startType", "manual", "$exe_path", exePath,
                "$conf_file", "E:\\HULFT\\etc\\hulenv.cnf", "hulenv.rcvport", "30000", "LKHULFT_TIMEOUT", timeout);
    }

    private static NodeFacts.PreflightRow row(String check, String result, String detail) {
        return new NodeFacts.PreflightRow(check, result, detail);
    }

    @Test
    void theSettingsTableMarksDriftButNotADeclaredPerNodeKeyAndShowsTheStandbysFailingPreflight() throws Exception {
        String c = name("drift");
        String a = c + "-a";
        String b = c + "-b";
        List<NodeFacts.PreflightRow> passing = List.of(row("service", "OK", "HULFT8 is installed"),
                row("conf_file", "OK", "readable"));
        send(c, a, Status.RUNNING, facts("0.9", a, settings("E:\\HULFT\\bin", "300"), passing));
        // The standby: another folder (declared per node), another timeout (drift), and a conf_file it cannot read;
        // its failing row comes last in the report and must come first on the page.
        send(c, b, Status.STOPPED, facts("0.9", "10.0.17763", b, settings("F:\\HULFT\\bin", "60"), List.of(
                row("service", "OK", "HULFT8 is installed"),
                row("startType", "WARN", "the service starts automatically"),
                row("conf_file", "FAIL", "E:\\HULFT\\etc\\hulenv.cnf is not readable on " + b))));
        signIn(DashboardProfile.VIEWER);
        browser.open(base + "#/cluster/" + c);
        browser.await("the cluster page of " + c, ExpectedConditions.attributeToBe(By.id("cluster"), "data-cluster", c));

        String timeout = "#settings-rows tr[data-key='LKHULFT_TIMEOUT']";
        browser.await("LKHULFT_TIMEOUT marked as drift", ExpectedConditions.attributeToBe(By.cssSelector(timeout),
                "data-drift", "true"));
        assertTrue(browser.attribute(By.cssSelector(timeout), "class").contains("drift"));
        assertEquals("≠ differs", browser.text(By.cssSelector(timeout + " .marker[data-marker='drift']")));
        assertEquals("300", browser.text(By.cssSelector(timeout + " td[data-node='" + a + "']")));
        assertEquals("60", browser.text(By.cssSelector(timeout + " td[data-node='" + b + "']")));
        // Nodes are the columns, in name order.
        assertEquals(List.of("Setting", a, b), browser.script(
                "return [...document.querySelectorAll('#settings-head th')].map(t => t.textContent);"));
        // Node facts come first.
        assertEquals("agentVersion", browser.script(
                "return document.querySelector('#settings-rows tr[data-key]').dataset.key;"));

        // A node's own fact drifts too (another OS build on the standby): marked on its one row, not a second one.
        assertEquals("true", browser.attribute(By.cssSelector("#settings-rows tr[data-key='os']"), "data-drift"));
        assertEquals(1, browser.findAll(By.cssSelector("#settings-rows tr[data-tag='']")).stream()
                .filter(r -> r.getAttribute("data-key").startsWith("os")).count());

        String exe = "#settings-rows tr[data-key='$exe_path']";
        assertEquals("false", browser.attribute(By.cssSelector(exe), "data-drift"));
        assertTrue(browser.findAll(By.cssSelector(exe + " .marker")).isEmpty(), "a declared per-node key is not drift");
        assertEquals("F:\\HULFT\\bin", browser.text(By.cssSelector(exe + " td[data-node='" + b + "']")));

        // Only the differences: the equal service name goes, the drift and the per-node folder stay.
        String service = "#settings-rows tr[data-key='service']";
        assertTrue(browser.find(By.cssSelector(service)).isDisplayed());
        browser.click(By.id("settings-diff"));
        browser.await("equal rows hidden", ExpectedConditions.invisibilityOfElementLocated(By.cssSelector(service)));
        assertTrue(browser.find(By.cssSelector(timeout)).isDisplayed());
        assertTrue(browser.find(By.cssSelector(exe)).isDisplayed());

        // The standby's last preflight: its failing row first, FAIL marked in words, the verdict on the node.
        String standby = "#preflights [data-preflight='" + b + "']";
        assertEquals("1", browser.attribute(By.cssSelector(standby), "data-failing"));
        assertEquals(List.of("FAIL", "WARN", "OK"), browser.script("return [...document.querySelectorAll(arguments[0]"
                + " + ' tbody tr')].map(r => r.dataset.result);", standby));
        String first = standby + " tbody tr:first-child";
        assertEquals("conf_file", browser.attribute(By.cssSelector(first), "data-check"));
        assertTrue(browser.text(By.cssSelector(first)).contains("✗ FAIL"), browser.text(By.cssSelector(first)));
        assertTrue(browser.text(By.cssSelector(first)).contains("is not readable on " + b));
        assertTrue(browser.text(By.cssSelector(standby + " h3")).contains("1 failing"));
        assertTrue(browser.text(By.cssSelector("#preflights [data-preflight='" + a + "'] h3")).contains("passes"));
        // The drift's start is in the cluster's history, as a CONFIG event the kind filter offers.
        browser.await("a CONFIG event in the history", ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#events tr[data-kind='CONFIG']")));
        assertFalse(browser.findAll(By.cssSelector("#history-kind option[value='CONFIG']")).isEmpty());
        browser.script("document.getElementById('settings-title').scrollIntoView();");
        browser.screenshot(Path.of("target/dashboard-settings.png"));
        narrowScreenDoesNotScrollSideways();
    }

    /** The nodes of the inventory table, top to bottom, read in one go. */
    @SuppressWarnings("unchecked")
    private List<String> shownNodes() {
        return (List<String>) browser.script(
                "return [...document.querySelectorAll('#inventory-rows tr')].map(r => r.dataset.node);");
    }

    private void awaitNodes(String what, List<String> nodes) {
        browser.await(what + ": " + nodes, d -> shownNodes().equals(nodes));
    }

    @Test
    void theInventoryFiltersByACountSortsPagesAndItsCsvLinkCarriesTheFilter() throws Exception {
        // Versions of this run only: the fleet view holds the other tests' nodes too.
        String old = "0.1-" + RUN;
        String current = "0.2-" + RUN;
        String c1 = name("inv1");
        String c2 = name("inv2");
        String c3 = name("inv3");
        List<NodeFacts.PreflightRow> ok = List.of(row("service", "OK", "installed"));
        for (String c : List.of(c1, c2)) {
            send(c, c + "-a", Status.RUNNING, facts(old, c + "-a", settings("E:\\HULFT\\bin", "300"), ok));
            send(c, c + "-b", Status.STOPPED, facts(old, c + "-b", settings("E:\\HULFT\\bin", "300"), ok));
        }
        send(c3, c3 + "-a", Status.RUNNING, facts(old, c3 + "-a", settings("E:\\HULFT\\bin", "300"), ok));
        send(c3, c3 + "-b", Status.STOPPED, facts(current, c3 + "-b", settings("E:\\HULFT\\bin", "300"), ok));
        signIn(DashboardProfile.VIEWER);

        browser.click(By.id("nav-inventory"));
        browser.await("the inventory", ExpectedConditions.visibilityOfElementLocated(By.id("inventory")));
        browser.open(base + "#/inventory?limit=2");
        String count = "#inventory-counts button[data-facet='agentVersion'][data-value='" + old + "']";
        browser.await("the count of agent " + old, ExpectedConditions.textToBe(By.cssSelector(count),
                "5 nodes run agent " + old));
        browser.click(By.cssSelector(count));

        // The count lists those nodes: five, two a page, in the default order (cluster, then node).
        browser.await("five nodes of agent " + old, ExpectedConditions.attributeToBe(By.id("inv-info"), "data-total", "5"));
        awaitNodes("the first page by cluster", List.of(c1 + "-a", c1 + "-b"));
        assertEquals("true", browser.attribute(By.cssSelector(count), "aria-pressed"));
        assertEquals(old, browser.byId("inv-agentVersion").getAttribute("value"));
        assertTrue(decoded(browser.script("return location.hash;")).contains("agentVersion=" + old));
        assertEquals("1–2 of 5", browser.text(By.id("inv-info")));
        assertEquals("#/cluster/" + c1, browser.find(By.cssSelector("#inventory-rows tr td.node a"))
                .getAttribute("href").replaceFirst("^[^#]*", ""));

        // Sorted by node, descending: the last node name first.
        browser.click(By.cssSelector("#inventory-table button.sort[data-sort='node']"));
        awaitNodes("sorted by node", List.of(c1 + "-a", c1 + "-b"));
        browser.click(By.cssSelector("#inventory-table button.sort[data-sort='node']"));
        awaitNodes("sorted by node, descending", List.of(c3 + "-a", c2 + "-b"));
        assertEquals("descending", browser.attribute(By.cssSelector("#inventory-table th[data-sort='node']"), "aria-sort"));

        // The pages: 3–4, then the fifth alone.
        browser.click(By.id("inv-next"));
        awaitNodes("the second page", List.of(c2 + "-a", c1 + "-b"));
        assertEquals("3–4 of 5", browser.text(By.id("inv-info")));
        browser.click(By.id("inv-next"));
        awaitNodes("the last page", List.of(c1 + "-a"));
        assertFalse(browser.byId("inv-next").isEnabled());
        browser.click(By.id("inv-prev"));
        awaitNodes("back to the second page", List.of(c2 + "-a", c1 + "-b"));

        // The CSV link carries the filter and the order (all pages), and the API answers it with those nodes only.
        String href = browser.attribute(By.id("inventory-csv"), "href");
        String csvPath = URI.create(href).getRawPath() + "?" + URI.create(href).getRawQuery();
        String query = decoded(URI.create(href).getRawQuery());
        assertTrue(query.contains("agentVersion=" + old), query);
        assertTrue(query.contains("format=csv") && query.contains("sort=node") && query.contains("order=desc"), query);
        assertFalse(query.contains("offset="), query);
        HttpResponse<String> csv = reports.call("GET", csvPath, DashboardProfile.VIEWER, null);
        assertEquals(200, csv.statusCode(), csv.body());
        for (String node : List.of(c1 + "-a", c1 + "-b", c2 + "-a", c2 + "-b", c3 + "-a")) {
            assertTrue(csv.body().contains(node), node + " in " + csv.body());
        }
        assertFalse(csv.body().contains(c3 + "-b"), "a node of agent " + current + " in the CSV: " + csv.body());
        // Clicked, the link saves the same CSV: the page fetches it with the session's token (a plain link has none).
        Path downloads = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "csv-");
        ((ChromeDriver) browser.driver()).executeCdpCommand("Browser.setDownloadBehavior", Map.of(
                "behavior", "allow", "downloadPath", downloads.toString()));
        browser.click(By.id("inventory-csv"));
        Path saved = downloads.resolve("inventory.csv");
        browser.await("the CSV saved as " + saved, d -> Files.isRegularFile(saved) && saved.toFile().length() > 0);
        // The same rows (a node's freshness may have turned meanwhile: compared by lines' count and names).
        List<String> lines = Files.readAllLines(saved, StandardCharsets.UTF_8);
        assertEquals(csv.body().lines().toList().size(), lines.size(), lines.toString());
        assertEquals(csv.body().lines().findFirst().orElseThrow(), lines.get(0));
        assertTrue(lines.stream().anyMatch(l -> l.contains(c2 + "-b")), lines.toString());
        assertTrue(lines.stream().noneMatch(l -> l.contains(c3 + "-b")), lines.toString());

        // Clicking the count again lists every node again.
        browser.click(By.cssSelector(count));
        browser.await("the filter let go", d -> Integer.parseInt(d.findElement(By.id("inv-info"))
                .getAttribute("data-total")) > 5);
        assertEquals("", browser.byId("inv-agentVersion").getAttribute("value"));
        browser.screenshot(Path.of("target/dashboard-inventory.png"));
        narrowScreenDoesNotScrollSideways();
    }

    /** At 400 px wide nothing scrolls sideways: the wide tables scroll inside their own box. */
    private static void narrowScreenDoesNotScrollSideways() {
        ChromeDriver chrome = (ChromeDriver) browser.driver();
        chrome.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", 400, "height", 800,
                "deviceScaleFactor", 1, "mobile", false));
        try {
            browser.await("no sideways scrolling at 400 px", d -> (Boolean) browser.script(
                    "return window.innerWidth === 400 && document.documentElement.scrollWidth <= window.innerWidth;"));
        } finally {
            chrome.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
        }
    }

    private static String decoded(Object text) {
        return URLDecoder.decode(String.valueOf(text), StandardCharsets.UTF_8);
    }
}
