package io.hulftark.fleet.ui;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The browser harness itself, on a trivial page: Chromium runs JS, and closing leaves no process behind. */
class BrowserTest {

    private static final String PAGE = """
            <!doctype html><html><head><title>harness</title></head><body>
            <button id="b">press</button><p id="out">before</p>
            <script>document.getElementById('b').onclick = () =>
              setTimeout(() => document.getElementById('out').textContent = 'after', 100);</script>
            </body></html>""";

    @Test
    void runsScriptsAndLeavesNoChromiumBehind() throws Exception {
        assumeTrue(Browser.missing() == null, Browser.missing());
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            byte[] body = PAGE.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        long chromiumPid;
        try (Browser browser = Browser.start()) {
            browser.open("http://127.0.0.1:" + server.getAddress().getPort() + "/");
            assertEquals("harness", browser.driver().getTitle());
            browser.byId("b").click();
            browser.await("the click handler's text", ExpectedConditions.textToBe(By.id("out"), "after"));
            chromiumPid = chromiumOf(browser);
        } finally {
            server.stop(0);
        }
        long pid = chromiumPid;
        assertTrue(ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true), "chromium " + pid + " still runs");
    }

    /** The browser process of this session: a descendant of this JVM (through chromedriver) given a profile. */
    private static long chromiumOf(Browser browser) {
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().commandLine().map(c -> c.contains("--user-data-dir=")).orElse(false))
                .findFirst().orElseThrow(() -> new AssertionError("no chromium below this JVM")).pid();
    }
}
