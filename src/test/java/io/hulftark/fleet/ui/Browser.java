package io.hulftark.fleet.ui;

import org.openqa.selenium.By;
import org.openqa.selenium.ElementNotInteractableException;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real headless Chromium driven by Selenium, from the Debian packages: Selenium downloads nothing (the driver
 * and the browser are given, Selenium Manager is never asked) and the profile is a fresh temp folder, deleted
 * with every Chromium process that used it when the browser is closed.
 */
public final class Browser implements AutoCloseable {

    static final Path CHROMIUM = Path.of(System.getProperty("hulftark.test.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("hulftark.test.chromedriver", "/usr/bin/chromedriver"));
    static final Duration WAIT = Duration.ofSeconds(15);

    private final Path profile;
    private final ChromeDriverService service;
    private final ChromeDriver driver;

    private Browser(Path profile, ChromeDriverService service, ChromeDriver driver) {
        this.profile = profile;
        this.service = service;
        this.driver = driver;
    }

    /** Whether this machine has the browser and its driver; tests say so instead of failing obscurely. */
    static String missing() {
        if (!Files.isExecutable(CHROMIUM)) {
            return CHROMIUM + " is not installed (Debian package chromium)";
        }
        if (!Files.isExecutable(CHROMEDRIVER)) {
            return CHROMEDRIVER + " is not installed (Debian package chromium-driver)";
        }
        return null;
    }

    public static Browser start() throws IOException {
        String missing = missing();
        if (missing != null) {
            throw new IllegalStateException(missing);
        }
        Path profile = Files.createTempDirectory("hulft-ark-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-default-apps", "--disable-extensions", "--no-first-run", "--no-default-browser-check",
                "--window-size=1400,1000", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withLogFile(new File("target/chromedriver.log"))
                .build();
        try {
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
            driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
            return new Browser(profile, service, driver);
        } catch (RuntimeException e) {
            service.stop();
            killChromiumOf(profile);
            deleteTree(profile);
            throw e;
        }
    }

    public WebDriver driver() {
        return driver;
    }

    public void open(String url) {
        driver.get(url);
    }

    public WebElement find(By by) {
        return driver.findElement(by);
    }

    public List<WebElement> findAll(By by) {
        return driver.findElements(by);
    }

    public WebElement byId(String id) {
        return driver.findElement(By.id(id));
    }

    /** Waits (polling, up to {@link #WAIT}) until the condition holds; the message says what was awaited. */
    public <T> T await(String what, ExpectedCondition<T> condition) {
        return await(what, WAIT, condition);
    }

    public <T> T await(String what, Duration timeout, ExpectedCondition<T> condition) {
        WebDriverWait wait = new WebDriverWait(driver, timeout, Duration.ofMillis(50));
        wait.withMessage(what);
        // The page redraws rows and badges on every live update: an element found a moment ago may be gone, or
        // not yet interactable in the row that replaces it.
        wait.ignoring(StaleElementReferenceException.class);
        wait.ignoring(ElementNotInteractableException.class);
        return wait.until(condition);
    }

    /** Clicks an element, found again if the page redrew it between finding and clicking. */
    public void click(By by) {
        await("a click on " + by, d -> {
            d.findElement(by).click();
            return true;
        });
    }

    /** The text of an element, read again if the page redrew it meanwhile. */
    public String text(By by) {
        return await("the text of " + by, d -> d.findElement(by).getText());
    }

    /** An attribute of an element, read again if the page redrew it meanwhile; "" when absent. */
    public String attribute(By by, String name) {
        return await(name + " of " + by, d -> {
            String v = d.findElement(by).getAttribute(name);
            return v == null ? "" : v;
        });
    }

    public Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    /** Saves what the browser shows as a PNG (for people to look at; no test compares pixels). */
    public Path screenshot(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        byte[] png = driver.getScreenshotAs(OutputType.BYTES);
        Files.write(file, png);
        return file;
    }

    /** Quits the browser even when the driver no longer answers, then makes sure no Chromium of ours outlives it. */
    @Override
    public void close() {
        try {
            driver.quit();
        } catch (RuntimeException e) {
            // the driver died with the test: the processes are still ours to end
        } finally {
            service.stop();
            killChromiumOf(profile);
            deleteTree(profile);
        }
    }

    /** Ends the Chromium processes started with this profile (and only those): their command line names it. */
    private static void killChromiumOf(Path profile) {
        String marker = "--user-data-dir=" + profile;
        List<ProcessHandle> ours = ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
                .toList();
        ours.forEach(ProcessHandle::destroy);
        for (ProcessHandle p : ours) {
            try {
                p.onExit().get(3, TimeUnit.SECONDS);
            } catch (Exception e) {
                p.destroyForcibly();
            }
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a temp folder left behind is harmless
        }
    }
}
