package dev.updraft.server.api;

import static dev.updraft.server.api.Api.admin;
import static dev.updraft.server.api.Api.bundle;
import static dev.updraft.server.api.Api.ch;
import static dev.updraft.server.api.Api.channel;
import static dev.updraft.server.api.Api.newDevice;
import static dev.updraft.server.api.RolloutApiTest.check;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web console in a real browser (docs/console.md, "Tests"): Debian's headless chromium driven through its
 * chromedriver by Selenium, against this test's server. Simulated devices (plain HTTP on /updates and /stats) install
 * a rollout; the operator logs in, reads the release's funnel, pauses the rollout through its confirmation step, sees
 * the next device check get the stable bundle, and logs out. Screenshots of each page go to
 * {@code target/console-screenshots/}. Without chromium or chromedriver the test fails and says what to install.
 */
@QuarkusTest
class ConsoleBrowserTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SHOTS = Path.of("target", "console-screenshots");

    static ChromeDriver browser;

    @TestHTTPResource("/")
    URL root;

    @BeforeAll
    static void startBrowser() throws IOException {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new AssertionError("the console's browser tests need Debian's chromium and its driver at " + CHROMIUM
                    + " and " + CHROMEDRIVER + ": run `apt-get install chromium chromium-driver` (as root)");
        }
        Files.createDirectories(SHOTS);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,900");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().implicitlyWait(Duration.ofSeconds(5));
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    String url(String path) {
        return root.toString().replaceAll("/$", "") + path;
    }

    static void shot(String name) {
        try {
            Files.copy(
                    browser.getScreenshotAs(OutputType.FILE).toPath(),
                    SHOTS.resolve(name + ".png"),
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static WebElement find(String css) {
        return browser.findElement(By.cssSelector(css));
    }

    static String text(String css) {
        return find(css).getText();
    }

    /**
     * Clicks what submits a form or follows a link, and waits until the next page has replaced this one and loaded.
     * The old page is marked with a window property the next one does not have; asking the browser mid-navigation may
     * fail (chromium answered a staleness check with "Node with given id does not belong to the document" in CI), so
     * such failures only mean "not yet".
     */
    static void clickAndWait(WebElement element) {
        JavascriptExecutor js = (JavascriptExecutor) browser;
        js.executeScript("window.updraftPageBeforeClick = true");
        element.click();
        new WebDriverWait(browser, Duration.ofSeconds(10))
                .ignoring(WebDriverException.class)
                .until(d -> Boolean.TRUE.equals(js.executeScript(
                        "return window.updraftPageBeforeClick === undefined && document.readyState === 'complete'")));
    }

    void logIn(String key) {
        browser.get(url("/console/login"));
        find("#key").sendKeys(key);
        clickAndWait(find("form.card button[type=submit]"));
    }

    /** Waits until the condition holds (the device API writes events in batches, about every second). */
    static void eventually(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 15 s: " + what);
            }
            Thread.onSpinWait();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    static void stats(String app, String device, String action, String version) {
        Api.device()
                .body(List.of(DeviceEndpointsApiTest.event(app, device, action, version)))
                .post("/stats")
                .then()
                .statusCode(200);
    }

    @Test
    void aWrongKey_isRefused_andOpensNoSession() {
        browser.manage().deleteAllCookies();
        browser.get(url("/console"));
        assertThat(browser.getCurrentUrl()).endsWith("/console/login");
        shot("01-login");
        logIn("not-the-admin-key");
        assertThat(text("#login-error")).isEqualTo("That admin API key is not valid.");
        assertThat(browser.getCurrentUrl()).endsWith("/console/login");
        assertThat(browser.manage().getCookieNamed("updraft_console")).isNull();
        shot("02-login-refused");
        browser.get(url("/console/audit"));
        assertThat(browser.getCurrentUrl()).endsWith("/console/login");
    }

    @Test
    void anOperator_seesTheFunnel_pausesTheRollout_andDevicesGetTheStableBundle() {
        String app = Api.newApp("console");
        bundle(app, "1.0.1");
        bundle(app, "1.0.2");
        channel(app, ch("name", "production", "bundle", "1.0.1", "public", true));
        admin().body(Map.of("rollout_version", "1.0.2", "rollout_percentage_bps", 10_000))
                .patch("/api/v1/apps/{a}/channels/production", app)
                .then()
                .statusCode(200);
        // Four simulated devices are offered 1.0.2; three install and confirm it, one fails to download it.
        List<String> devices = List.of(newDevice(), newDevice(), newDevice(), newDevice());
        for (String d : devices) {
            assertThat(check(app, d, "1.0.0")).isEqualTo("1.0.2");
        }
        for (String d : devices.subList(0, 3)) {
            stats(app, d, "download_complete", "1.0.2");
            stats(app, d, "set", "1.0.2");
            stats(app, d, "app_launch_ready", "1.0.2");
        }
        stats(app, devices.get(3), "download_fail", "1.0.2");
        // Offers are written in batches (every updraft.devices.flush-interval), events as they arrive: wait for both.
        eventually("the events and the offers are stored", () -> {
            Map<String, Object> funnel = ReleaseHealthApiTest.funnel(app, "1.0.2");
            return ((Number) funnel.get("failed")).intValue() == 1 && ((Number) funnel.get("offered")).intValue() == 4;
        });

        browser.manage().deleteAllCookies();
        logIn(Api.KEY);
        assertThat(browser.getCurrentUrl()).endsWith("/console");
        Cookie session = browser.manage().getCookieNamed("updraft_console");
        assertThat(session.isHttpOnly()).isTrue();
        assertThat(session.getSameSite()).isEqualTo("Strict");
        assertThat(session.getPath()).isEqualTo("/console");
        clickAndWait(browser.findElement(By.linkText(app)));
        shot("03-apps-then-app");
        assertThat(text("#ch-production")).startsWith("production");
        WebElement production = find("section[aria-labelledby=ch-production]");
        assertThat(production.findElement(By.cssSelector("[data-state]")).getText())
                .isEqualTo("active");
        assertThat(production.getText()).contains("1.0.1", "1.0.2", "100%");
        shot("04-app");

        clickAndWait(browser.findElement(By.linkText("1.0.2")));
        assertThat(text("h1")).isEqualTo("Release 1.0.2");
        assertThat(text("#funnel-offered")).isEqualTo("4");
        assertThat(text("#funnel-downloaded")).isEqualTo("3");
        assertThat(text("#funnel-installed")).isEqualTo("3");
        assertThat(text("#funnel-confirmed")).isEqualTo("3");
        assertThat(text("#funnel-failed")).isEqualTo("1");
        assertThat(text("#funnel-failure-rate")).isEqualTo("25.0%");
        assertThat(browser.findElements(By.cssSelector("svg.chart"))).hasSize(2);
        // The failure-rate chart draws the threshold of the channel's policy (the server's 10 %).
        assertThat(find("svg.chart line.threshold").getDomAttribute("y1")).isNotBlank();
        assertThat(text("svg.chart text.threshold-label")).isEqualTo("auto-pause threshold 10.0%");
        shot("05-release");
        browser.executeScript("document.querySelector('figure').scrollIntoView()");
        shot("05b-release-charts");

        browser.get(url("/console/apps/" + app));
        clickAndWait(find("section[aria-labelledby=ch-production] button[value=pause]"));
        assertThat(text("h1")).isEqualTo("Pause the rollout?");
        // Nothing has changed before the confirmation.
        assertThat(check(app, newDevice(), "1.0.0")).isEqualTo("1.0.2");
        shot("06-confirm-pause");
        clickAndWait(find("#confirm"));
        assertThat(text(".notice")).isEqualTo("Pause the rollout: done.");
        assertThat(find("section[aria-labelledby=ch-production] [data-state]").getText())
                .isEqualTo("paused by hand");
        shot("07-paused");
        assertThat(check(app, newDevice(), "1.0.0")).isEqualTo("1.0.1");

        // The audit log names the key that logged in, under the admin API's own route.
        Map<String, Object> entry = admin().queryParam("limit", "1")
                .get("/api/v1/audit")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getMap("entries[0]");
        assertThat(entry)
                .containsEntry("key_name", "configured")
                .containsEntry("method", "POST")
                .containsEntry("route", "/api/v1/apps/{app_id}/channels/{channel}/rollout/pause")
                .containsEntry("status", 200)
                .containsEntry("path_params", Map.of("app_id", app, "channel", "production"));
        browser.get(url("/console/audit"));
        assertThat(text("tbody tr:first-child")).contains("configured", "/rollout/pause", app);
        shot("08-audit");

        browser.get(url("/console/apps/" + app + "/devices"));
        find("#q").sendKeys(devices.get(0));
        clickAndWait(find("form[role=search] button"));
        assertThat(text("tbody")).contains(devices.get(0), "default");
        shot("09-devices");
        clickAndWait(browser.findElement(By.linkText(devices.get(0))));
        assertThat(text("tbody")).contains("app_launch_ready", "set", "download_complete");
        shot("10-device");

        // A phone-sized window: the same page, readable without sideways scrolling of the page itself.
        browser.get(url("/console/apps/" + app));
        browser.manage().window().setSize(new Dimension(390, 844));
        Object overflow = browser.executeScript(
                "return document.documentElement.scrollWidth <= document.documentElement.clientWidth");
        shot("11-app-phone");
        browser.manage().window().setSize(new Dimension(1280, 900));
        assertThat(overflow).isEqualTo(true);

        clickAndWait(find("header form.logout button"));
        assertThat(browser.getCurrentUrl()).endsWith("/console/login");
        assertThat(browser.manage().getCookieNamed("updraft_console")).isNull();
        // The session itself is gone, not just the browser's cookie.
        io.restassured.RestAssured.given()
                .redirects()
                .follow(false)
                .cookie("updraft_console", session.getValue())
                .get("/console")
                .then()
                .statusCode(303)
                .header("Location", org.hamcrest.Matchers.endsWith("/console/login"));
    }
}
