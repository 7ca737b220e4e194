package com.preaudit.support;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Level;

/**
 * Headless Chromium at 1366×768 driven through Debian's chromedriver (never a downloaded one: the build
 * reaches only package registries). Without chromium the browser tests are skipped locally and fail
 * on CI ({@code CI=true}), where .ci/run installs it.
 */
public final class Browser implements AutoCloseable {

    static final String CHROMIUM = System.getProperty("preaudit.chromium", "/usr/bin/chromium");
    static final String DRIVER = System.getProperty("preaudit.chromedriver", "/usr/bin/chromedriver");
    public static final Path SCREENSHOTS = Path.of("target", "console-screenshots");

    public final WebDriver driver;
    private final String base;
    private final List<String> jsErrors = new ArrayList<>();
    /** Chromium's TMPDIR, removed on close. */
    private final Path tmp;

    private Browser(WebDriver driver, String base, Path tmp) {
        this.driver = driver;
        this.base = base;
        this.tmp = tmp;
    }

    /** Skips (locally) or fails (CI=true) when Chromium or its driver is missing. */
    public static void requireChromium() {
        boolean present = new File(CHROMIUM).canExecute() && new File(DRIVER).canExecute();
        if (present) {
            return;
        }
        String message = "console browser tests need Debian's chromium and chromium-driver (" + CHROMIUM + ", " + DRIVER
                + "): apt-get install -y chromium chromium-driver";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail(message);
        }
        Assumptions.abort(message);
    }

    public static Browser open(String base) {
        requireChromium();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1366,768", "--lang=zh-CN", "--no-first-run", "--disable-extensions");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        // Chromium keeps its process-singleton socket in a directory of its own under TMPDIR and leaves it there when
        // chromedriver ends it: one /tmp/org.chromium.Chromium.* per browser, hundreds per build. A temporary directory
        // of this browser's, removed on close, keeps /tmp clean.
        Path tmp;
        try {
            Path target = Path.of("target");
            Files.createDirectories(target);
            tmp = Files.createTempDirectory(target.toAbsolutePath(), "chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(DRIVER))
                .usingAnyFreePort().withEnvironment(Map.of("TMPDIR", tmp.toString())).build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
        return new Browser(driver, base, tmp);
    }

    public Browser go(String path) {
        driver.get(base + path);
        collectErrors();
        return this;
    }

    public WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    public List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    public boolean has(String css) {
        return !all(css).isEmpty();
    }

    public String text(String css) {
        return find(css).getText();
    }

    public String path() {
        return driver.getCurrentUrl().substring(base.length());
    }

    public <T> T await(Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, Duration.ofSeconds(20)).until(condition);
    }

    public Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** Submits the element's form (a click, as a user would) and collects the next page's errors. */
    public Browser click(String css) {
        collectErrors();
        WebElement page = find("html");
        find(css).click();
        // every click of the tests submits a form or follows a link: wait for the next page
        await(d -> gone(page));
        await(d -> "complete".equals(js("return document.readyState")));
        return this;
    }

    /**
     * Whether the page the element belonged to has been replaced. Selenium's stalenessOf knows only
     * StaleElementReferenceException; Chromium answers a check of a node of the unloaded document that
     * is caught mid-navigation with "Node with given id does not belong to the document" instead.
     */
    private static boolean gone(WebElement oldPage) {
        try {
            oldPage.isEnabled();
            return false;
        } catch (org.openqa.selenium.WebDriverException e) {
            return true;
        }
    }

    /**
     * A form POST made by the page's own script with the session's cookie and CSRF token (a user forging what a
     * button they are not shown would send); the status after redirects are followed.
     */
    public long postForm(String path, String body) {
        Object status = ((JavascriptExecutor) driver).executeAsyncScript(
                "var done = arguments[arguments.length - 1];"
                        + "fetch(arguments[0], {method: 'POST', headers: {'Content-Type': 'application/x-www-form-urlencoded'}, body: arguments[1]})"
                        + ".then(function (r) { done(r.status); });", path, body);
        return ((Number) status).longValue();
    }

    /** The session's CSRF token, as every signed-in page carries it (the sign-out form). */
    public String csrf() {
        return find("input[name=_csrf]").getAttribute("value");
    }

    public Browser type(String css, String text) {
        WebElement e = find(css);
        e.clear();
        e.sendKeys(text);
        return this;
    }

    public void screenshot(String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        File f = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(f.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        collectErrors();
    }

    /** Reads the browser console so far; SEVERE entries are JavaScript errors (or failed loads). */
    public void collectErrors() {
        for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
            if (e.getLevel().intValue() >= Level.SEVERE.intValue()) {
                jsErrors.add(e.getMessage());
            }
        }
    }

    /**
     * JavaScript errors seen on any page so far, except the status errors of pages the test expected to
     * be refused (a 401/403 document also shows up in the console as a failed load).
     */
    public List<String> jsErrors() {
        collectErrors();
        return jsErrors.stream().filter(m -> !m.matches("(?s).*status of (401|403|409|422)\\b.*")).toList();
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try {
                TempDirs.delete(tmp);
            } catch (IOException e) {
                // best effort: it is under target/, which the next clean build removes
            }
        }
    }
}
