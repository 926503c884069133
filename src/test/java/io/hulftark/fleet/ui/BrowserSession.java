package io.hulftark.fleet.ui;

import io.quarkus.test.common.http.TestHTTPResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

import java.net.URI;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What every in-process dashboard test shares: one headless Chromium per test class, the served dashboard's address,
 * a reporter into its store, a signed-out start and the sign-in.
 */
abstract class BrowserSession {

    static Browser browser;

    @TestHTTPResource("/")
    URI base;

    Reports reports;

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

    /** The dashboard with no session: its sign-in form shown. */
    void openSignedOut() {
        reports = new Reports(base);
        browser.open(base.toString());
        browser.script("sessionStorage.clear();");
        browser.open(base.toString());
        browser.await("the sign-in form", ExpectedConditions.visibilityOfElementLocated(By.id("token")));
    }

    void signIn(String token) {
        browser.byId("token").sendKeys(token);
        browser.byId("signin-submit").click();
        browser.await("the overview after sign-in", ExpectedConditions.visibilityOfElementLocated(By.id("overview")));
    }
}
