package io.hulftark.fleet.ui;

import com.fasterxml.jackson.databind.JsonNode;
import io.hulftark.wire.Status;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The dashboard's fleet-action controls, labels and batches (issue 12, item 8) in a real headless Chromium against
 * a real fleet view fed over HTTP as agents feed it: what a viewer does not get, what an operator's confirmations
 * say, the controls of a node whose agent does not allow fleet actions, the label chips and filter, and a batch's
 * summary.
 */
@QuarkusTest
@TestProfile(DashboardProfile.class)
class DashboardActionsTest extends BrowserSession {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 6);

    @BeforeEach
    void signedOut() {
        openSignedOut();
    }

    @AfterEach
    void usualWindow() {
        ((ChromeDriver) browser.driver()).executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
    }

    static String name(String what) {
        return "ac" + RUN + "-" + what;
    }

    private void openCluster(String c) {
        browser.open(base + "#/cluster/" + c);
        browser.await("the cluster page of " + c, ExpectedConditions.attributeToBe(By.id("cluster"), "data-cluster", c));
        browser.await("its nodes", ExpectedConditions.numberOfElementsToBe(By.cssSelector("#nodes .node"), 2));
    }

    private void search(String text) {
        WebElement box = browser.byId("search");
        box.clear();
        box.sendKeys(text);
    }

    @SuppressWarnings("unchecked")
    private List<String> shownClusters() {
        return (List<String>) browser.script(
                "return [...document.querySelectorAll('#cluster-rows tr')].map(r => r.dataset.cluster);");
    }

    /** A cluster served by its node -a, its -b a standby, both agents allowing fleet actions, with labels. */
    private void cluster(String c, Map<String, String> labels) throws Exception {
        String token = DashboardProfile.reporter(c);
        reports.send(token, c, c + "-a", Status.RUNNING, labels, true);
        reports.send(token, c, c + "-b", Status.STOPPED, labels, true);
    }

    /**
     * Whether the fleet view keeps what agents say of labels and fleet actions (the ingest's part of issue 12);
     * tests that need it say so instead of failing on another part's absence.
     */
    private boolean ingestKeepsLabelsAndFleetActions(String c) throws Exception {
        JsonNode d = Reports.JSON.readTree(reports.call("GET", "/api/v1/fleet/clusters/" + c, DashboardProfile.VIEWER,
                null).body());
        JsonNode node = d.path("nodes").path(0);
        return node.path("fleetActions").asBoolean(false) && !node.path("labels").isEmpty();
    }

    /** The text of every node of the page that a viewer must not have. */
    private List<?> actionControls() {
        return (List<?>) browser.script("""
                const controls = '.node-actions, button.act, dialog, #select-all-col, #select-all, input[data-select], '
                  + '#batch-bar, #batch-open, #batch-panel button, #action-progress button';
                return [...document.querySelectorAll(controls)].map((e) => e.tagName + '#' + e.id + '.' + e.className);
                """);
    }

    @Test
    void aViewerSeesNoActionControlsAndNoCheckboxColumnAnOperatorDoes() throws Exception {
        String c = name("viewer");
        cluster(c, Map.of("site", "tokyo"));

        signIn(DashboardProfile.VIEWER);
        search(c);
        browser.await("the cluster listed", d -> shownClusters().equals(List.of(c)));
        assertEquals(List.of(), actionControls(), "on the table");
        long columns = (Long) browser.script("return document.querySelectorAll('#clusters thead th').length;");
        assertEquals(columns, (Long) browser.script("return document.querySelectorAll('#cluster-rows tr:first-child > *').length;"));
        openCluster(c);
        assertEquals(List.of(), actionControls(), "on the cluster page");

        // The same pages for an operator have them: the assertions above can fail.
        browser.byId("signout").click();
        browser.await("the sign-in form", ExpectedConditions.visibilityOfElementLocated(By.id("token")));
        browser.open(base + "#/");
        signIn(DashboardProfile.OPERATOR);
        search(c);
        browser.await("the cluster listed", d -> shownClusters().equals(List.of(c)));
        browser.await("a checkbox per row", ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#cluster-rows tr[data-cluster='" + c + "'] input[data-select]")));
        assertTrue(browser.byId("select-all").isDisplayed());
        assertTrue(browser.byId("batch-open").isDisplayed());
        assertEquals(columns + 1, (Long) browser.script("return document.querySelectorAll('#clusters thead th').length;"));
        openCluster(c);
        assertEquals(2, browser.findAll(By.cssSelector(".node-actions")).size());

        // An operator's pages, controls and all, still fit 400 px without scrolling sideways.
        ((ChromeDriver) browser.driver()).executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of(
                "width", 400, "height", 800, "deviceScaleFactor", 1, "mobile", false));
        assertFalse(scrollsSideways(), "the cluster page at 400 px");
        browser.open(base + "#/?q=" + c);
        browser.await("the cluster listed", d -> shownClusters().equals(List.of(c)));
        assertFalse(scrollsSideways(), "the table at 400 px");
    }

    private boolean scrollsSideways() {
        return (Boolean) browser.script("return document.documentElement.scrollWidth > window.innerWidth;");
    }

    @Test
    void aNodeWhoseAgentDoesNotAllowFleetActionsHasItsControlsDisabledWithTheReason() throws Exception {
        String c = name("not-allowed");
        reports.cluster(DashboardProfile.reporter(c), c, Status.RUNNING, Status.STOPPED);  // agents that do not say
        signIn(DashboardProfile.OPERATOR);
        openCluster(c);
        String card = "#nodes .node[data-node='" + c + "-b'] ";
        // Read in one go: a live update may redraw the cards at any moment.
        @SuppressWarnings("unchecked")
        List<String> buttons = (List<String>) browser.script("""
                return [...document.querySelectorAll(arguments[0] + 'button.act')].map((b) => b.dataset.action + ' '
                  + (b.disabled ? 'disabled' : 'enabled') + ' '
                  + document.getElementById(b.getAttribute('aria-describedby')).textContent);
                """, card);
        String hint = "this node's agent does not allow fleet actions (hulftark.agent.fleet-actions.enabled)";
        assertEquals(List.of("restore disabled " + hint, "remove disabled " + hint, "recover disabled " + hint,
                "quickCheck disabled " + hint, "switchover disabled " + hint), buttons, "every control disabled, "
                + "described by the reason");
        assertEquals(hint, browser.text(By.cssSelector(card + ".hint")));
        // The serving node gets no switchover to itself.
        assertEquals(0, browser.findAll(By.cssSelector("#nodes .node[data-node='" + c + "-a'] button[data-action='switchover']")).size());
    }

    @Test
    void theConfirmationsStateTheEffectAndTheKeyboardStaysInThem() throws Exception {
        String c = name("confirm");
        cluster(c, Map.of("site", "osaka"));
        boolean allowed = ingestKeepsLabelsAndFleetActions(c);
        signIn(DashboardProfile.OPERATOR);
        openCluster(c);

        // A switchover to the standby, at 400 px: the effect in words, a reason field, Esc cancels.
        ((ChromeDriver) browser.driver()).executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of(
                "width", 400, "height", 800, "deviceScaleFactor", 1, "mobile", false));
        By switchover = By.cssSelector("#nodes .node[data-node='" + c + "-b'] button[data-action='switchover']");
        assertEquals("Switch over to " + c + "-b", browser.text(switchover));
        open(switchover, allowed, c, "switchover", c + "-b");
        browser.await("the dialog", ExpectedConditions.visibilityOfElementLocated(By.id("action-dialog")));
        assertEquals("HULFT on " + c + " will stop on " + c + "-a and start on " + c + "-b", browser.text(By.id("action-effect")));
        assertEquals("500", browser.attribute(By.id("action-reason"), "maxlength"));
        assertEquals("action-reason", browser.script("return document.activeElement.id;"));
        assertTrue((Boolean) browser.script("const r = document.getElementById('action-dialog').getBoundingClientRect();"
                + "return r.left >= 0 && r.right <= window.innerWidth;"), "the dialog fits 400 px");
        assertFalse((Boolean) browser.script("return document.documentElement.scrollWidth > window.innerWidth;"));
        browser.screenshot(Path.of("target/dashboard-confirm-400.png"));
        // Tab goes round the dialog's controls and never leaves it.
        for (int i = 0; i < 6; i++) {
            browser.driver().switchTo().activeElement().sendKeys(Keys.TAB);
            assertTrue((Boolean) browser.script("return document.getElementById('action-dialog').contains(document.activeElement);"),
                    "the focus left the dialog after " + (i + 1) + " tabs");
        }
        browser.driver().switchTo().activeElement().sendKeys(Keys.ESCAPE);
        browser.await("the dialog gone from the page", ExpectedConditions.numberOfElementsToBe(By.id("action-dialog"), 0));
        assertEquals(allowed ? "switchover" : "back", browser.script("return document.activeElement.dataset.action"
                + " || document.activeElement.id;"), "the focus back where it was");

        // A remove of the only serving node: says the cluster is left unserved, and needs force.
        open(By.cssSelector("#nodes .node[data-node='" + c + "-a'] button[data-action='remove']"), allowed, c, "remove", c + "-a");
        browser.await("the dialog", ExpectedConditions.visibilityOfElementLocated(By.id("action-dialog")));
        assertEquals("remove will stop HULFT on " + c + "-a; no node will serve " + c, browser.text(By.id("action-effect")));
        assertTrue(browser.byId("action-force").isDisplayed(), "the force checkbox");
        browser.click(By.id("action-dialog-confirm"));
        browser.await("the refusal", ExpectedConditions.visibilityOfElementLocated(By.id("action-dialog-error")));
        assertEquals("tick force: this leaves " + c + " with no serving node", browser.text(By.id("action-dialog-error")));
        browser.click(By.id("action-dialog-cancel"));
        browser.await("the dialog gone", ExpectedConditions.numberOfElementsToBe(By.id("action-dialog"), 0));

        // A remove of the standby needs no force.
        open(By.cssSelector("#nodes .node[data-node='" + c + "-b'] button[data-action='remove']"), allowed, c, "remove", c + "-b");
        browser.await("the dialog", ExpectedConditions.visibilityOfElementLocated(By.id("action-dialog")));
        assertEquals("remove will stop HULFT on " + c + "-b, which does not serve " + c + " now", browser.text(By.id("action-effect")));
        assertFalse(browser.byId("action-force").isDisplayed());
    }

    /**
     * Opens an action's dialog from its button (from the keyboard). Until the fleet view keeps the agents'
     * fleetActions (the ingest's part, another helper's), the button is rightly disabled: the dialog is then opened
     * as the button would open it, so that its texts and keyboard are tested all the same.
     */
    private void open(By button, boolean allowed, String cluster, String action, String node) {
        // Found again on each try: a live update may redraw the node cards at any moment.
        if (allowed) {
            browser.await("the button enabled, pressed", d -> {
                WebElement b = d.findElement(button);
                if (!b.isEnabled()) {
                    return false;
                }
                b.sendKeys(Keys.ENTER);
                return true;
            });
        } else {
            assertEquals("true", browser.attribute(button, "disabled"), "enabled although the agent does not say it allows");
            // A disabled button takes no focus: the link back to the table stands in for it.
            browser.script("document.getElementById('back').focus();"
                    + "openActionDialog(arguments[0], arguments[1], arguments[2], null);", cluster, action, node);
        }
    }

    @Test
    void anActionUnderWayShowsOnTheClusterPageAndASecondOneIsRefusedWithTheApisReason() throws Exception {
        String c = name("running");
        cluster(c, Map.of("site", "osaka"));
        // Asked by a script; no agent takes its first step (these agents only report), so it stays under way.
        HttpResponse<String> started = reports.call("POST", "/api/v1/fleet/clusters/" + c + "/actions",
                DashboardProfile.OPERATOR, "{\"action\":\"switchover\",\"node\":\"" + c + "-b\",\"reason\":\"patching\"}");
        assertEquals(202, started.statusCode(), started.body());
        String id = Reports.JSON.readTree(started.body()).path("id").asText();

        // A viewer sees it move, with no control.
        signIn(DashboardProfile.VIEWER);
        openCluster(c);
        browser.await("the action's progress", ExpectedConditions.attributeToBe(By.id("action-progress"), "data-action", id));
        assertTrue(browser.text(By.id("action-summary")).startsWith("switchover to " + c + "-b by otto: "),
                browser.text(By.id("action-summary")));
        assertTrue(browser.text(By.cssSelector("#action-steps tr")).startsWith(c + "-a remove "),
                browser.text(By.cssSelector("#action-steps tr")));
        assertEquals(List.of(), actionControls());

        // An operator's second action on the busy cluster: the API's one line, in the dialog.
        browser.byId("signout").click();
        browser.await("the sign-in form", ExpectedConditions.visibilityOfElementLocated(By.id("token")));
        browser.open(base + "#/");
        signIn(DashboardProfile.OPERATOR);
        openCluster(c);
        browser.await("the button enabled, pressed", d -> {
            WebElement b = d.findElement(By.cssSelector("#nodes .node[data-node='" + c + "-b'] button[data-action='quickCheck']"));
            b.sendKeys(Keys.ENTER);
            return true;
        });
        browser.await("the dialog", ExpectedConditions.visibilityOfElementLocated(By.id("action-dialog")));
        browser.click(By.id("action-dialog-confirm"));
        browser.await("the refusal", ExpectedConditions.visibilityOfElementLocated(By.id("action-dialog-error")));
        HttpResponse<String> again = reports.call("POST", "/api/v1/fleet/clusters/" + c + "/actions",
                DashboardProfile.OPERATOR, "{\"action\":\"quickCheck\",\"node\":\"" + c + "-b\"}");
        assertEquals(409, again.statusCode(), again.body());
        String detail = Reports.JSON.readTree(again.body()).path("detail").asText();
        assertTrue(detail.contains(id), detail);
        assertEquals(detail, browser.text(By.id("action-dialog-error")));
    }

    @Test
    void aBatchOverTheSelectedRowsShowsItsProgressAndIsCancelledFromThePanel() throws Exception {
        HttpResponse<String> probe = reports.call("GET", "/api/v1/fleet/batches", DashboardProfile.OPERATOR, null);
        assumeTrue(probe.statusCode() == 200, "the fleet view has no batches yet (helper batches): " + probe.statusCode());
        List<String> names = List.of(name("roll-1"), name("roll-2"));
        for (String c : names) {
            cluster(c, Map.of("site", "osaka"));
        }
        signIn(DashboardProfile.OPERATOR);
        search(name("roll-"));
        browser.await("both listed", d -> shownClusters().size() == 2);
        browser.click(By.id("select-all"));
        assertEquals("2 selected", browser.text(By.id("selected-count")));
        browser.click(By.id("batch-open"));
        browser.await("the batch dialog", ExpectedConditions.visibilityOfElementLocated(By.id("batch-dialog")));
        new Select(browser.byId("batch-action")).selectByValue("quickCheck");
        browser.byId("batch-reason").sendKeys("checking the osaka clusters");
        assertEquals("quickCheck on 2 clusters, 1 at a time, stop at the first failure", browser.text(By.id("batch-summary")));
        browser.click(By.id("batch-dialog-confirm"));
        browser.await("the dialog closed", ExpectedConditions.numberOfElementsToBe(By.id("batch-dialog"), 0));

        // The panel follows it; these agents only report, so its first quickCheck stays under way.
        browser.await("the batch's panel", ExpectedConditions.attributeToBe(By.id("batch-panel"), "data-state", "RUNNING"));
        String id = browser.attribute(By.id("batch-panel"), "data-batch");
        JsonNode batch = Reports.JSON.readTree(reports.call("GET", "/api/v1/fleet/batches/" + id,
                DashboardProfile.VIEWER, null).body());
        assertEquals("otto", batch.path("requestedBy").asText());
        assertEquals(2, batch.path("total").asInt());
        assertEquals("checking the osaka clusters", batch.path("reason").asText());
        assertTrue(browser.text(By.id("batch-counts")).startsWith("RUNNING · "), browser.text(By.id("batch-counts")));
        assertEquals(2, browser.findAll(By.cssSelector("#batch-panel li[data-cluster]")).size());

        browser.click(By.id("batch-cancel"));
        browser.await("cancelled", ExpectedConditions.attributeToBe(By.id("batch-panel"), "data-state", "CANCELLED"));
        assertEquals("CANCELLED", Reports.JSON.readTree(reports.call("GET", "/api/v1/fleet/batches/" + id,
                DashboardProfile.VIEWER, null).body()).path("state").asText());
    }

    @Test
    void labelsShowAsChipsAndFilterTheTableFromTheAddress() throws Exception {
        String tokyo = name("lab-tokyo");
        String osaka = name("lab-osaka");
        cluster(tokyo, Map.of("site", "tokyo", "env", "prod"));
        cluster(osaka, Map.of("site", "osaka", "env", "prod"));
        assumeTrue(ingestKeepsLabelsAndFleetActions(tokyo), "the fleet view does not keep labels yet (ingest, helper store)");
        signIn(DashboardProfile.VIEWER);
        search(name("lab-"));
        browser.await("both listed", d -> shownClusters().size() == 2);
        assertEquals("env=prod site=osaka", browser.text(By.cssSelector("tr[data-cluster='" + osaka + "'] td.labels")));

        WebElement box = browser.byId("filter-label");
        box.sendKeys("site=osaka");
        browser.await("only Osaka", d -> shownClusters().equals(List.of(osaka)));
        browser.await("the filter in the address", d -> ((String) browser.script("return location.hash;"))
                .contains("label=site%3Dosaka"));
        // From the address alone (a link someone shared).
        String hash = (String) browser.script("return location.hash;");
        browser.open(base + "#/");
        browser.open(base + hash);
        browser.await("only Osaka again", d -> shownClusters().equals(List.of(osaka)));
        assertEquals("site=osaka", browser.byId("filter-label").getAttribute("value"));

        // Not key=value: marked, and the table stays as it was.
        box = browser.byId("filter-label");
        box.clear();
        box.sendKeys("osaka");
        browser.await("marked invalid", ExpectedConditions.attributeToBe(By.id("filter-label"), "aria-invalid", "true"));
        assertEquals(List.of(osaka), shownClusters());

        // A chip filters by itself; the cluster page shows each node's labels.
        box.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);  // emptied as a person does (clear() sends no input)
        browser.await("both again", d -> shownClusters().size() == 2);
        browser.click(By.cssSelector("tr[data-cluster='" + tokyo + "'] .chip[data-label='site=tokyo']"));
        browser.await("only Tokyo", d -> shownClusters().equals(List.of(tokyo)));
        openCluster(tokyo);
        assertEquals("env=prod site=tokyo", browser.text(By.cssSelector("#nodes .node[data-node='" + tokyo + "-a'] .labels")));
    }

    @Test
    void aBatchDialogSummarisesWhatItWillDo() throws Exception {
        List<String> names = List.of(name("batch-1"), name("batch-2"), name("batch-3"));
        for (String c : names) {
            cluster(c, Map.of("site", "osaka"));
        }
        signIn(DashboardProfile.OPERATOR);
        search(name("batch-"));
        browser.await("three listed", d -> shownClusters().size() == 3);
        browser.click(By.cssSelector("tr[data-cluster='" + names.get(0) + "'] input[data-select]"));
        browser.click(By.cssSelector("tr[data-cluster='" + names.get(2) + "'] input[data-select]"));
        assertEquals("2 selected", browser.text(By.id("selected-count")));

        browser.click(By.id("batch-open"));
        browser.await("the batch dialog", ExpectedConditions.visibilityOfElementLocated(By.id("batch-dialog")));
        assertTrue(browser.byId("batch-scope-selected").isSelected());
        new Select(browser.byId("batch-action")).selectByValue("quickCheck");
        WebElement concurrency = browser.byId("batch-concurrency");
        concurrency.clear();
        concurrency.sendKeys("2");
        assertEquals("quickCheck on 2 clusters, 2 at a time, stop at the first failure", browser.text(By.id("batch-summary")));
        browser.screenshot(Path.of("target/dashboard-batch.png"));

        // Everything that matches the filter instead: the three of the search.
        browser.click(By.id("batch-scope-filter"));
        browser.click(By.id("batch-stop"));
        assertEquals("quickCheck on 3 clusters, 2 at a time, go on after a failure", browser.text(By.id("batch-summary")));
        new Select(browser.byId("batch-action")).selectByValue("restore");
        browser.click(By.id("batch-dialog-confirm"));
        browser.await("the node asked for", ExpectedConditions.visibilityOfElementLocated(By.id("batch-dialog-error")));
        assertEquals("restore needs the node to run on", browser.text(By.id("batch-dialog-error")));
        browser.driver().switchTo().activeElement().sendKeys(Keys.ESCAPE);
        browser.await("the dialog gone", ExpectedConditions.numberOfElementsToBe(By.id("batch-dialog"), 0));
    }
}
