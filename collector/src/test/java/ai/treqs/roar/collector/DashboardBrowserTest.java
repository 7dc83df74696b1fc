package ai.treqs.roar.collector;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * The dashboard in a real browser (Debian's chromium, headless) against the collector and its PostgreSQL with a
 * known data set: sign-in, each view, every number in the DOM against the summary JSON of the same window, the
 * small-group rule, the page with JavaScript off, and a screenshot of each view in target/screenshots.
 */
@QuarkusTest
@TestProfile(DashboardProfile.class)
@QuarkusTestResource(PostgresResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardBrowserTest {
    static final Path SHOTS = Path.of("target/screenshots");
    static final List<String> VIEWS = List.of("", "/adoption", "/outcomes", "/platforms");

    @Inject AgroalDataSource db;
    @TestHTTPResource("/dashboard") URL dashboard;
    ChromeDriver browser;

    @BeforeAll
    void browser() throws Exception {
        if (!Browser.installed()) {
            System.err.println(Browser.absent());
            return;
        }
        browser = Browser.start(Path.of("target/chromium-profile-" + System.nanoTime()), true, 1200, 900);
    }

    @AfterAll
    void quit() {
        if (browser != null) {
            browser.quit();
        }
    }

    @BeforeEach
    void data() throws Exception {
        Assumptions.assumeTrue(Browser.installed(), Browser.absent());
        DashboardData.load(db, LocalDate.now(ZoneOffset.UTC));
    }

    private void signIn(ChromeDriver b, String token) {
        b.manage().deleteAllCookies();
        b.get(dashboard.toString());
        assertTrue(b.getCurrentUrl().contains("/dashboard/login"), b.getCurrentUrl());
        b.findElement(By.name("token")).sendKeys(token);
        Browser.clickAndWait(b, b.findElement(By.cssSelector("button[type=submit]")));
    }

    @Test
    void aWrongTokenIsRefusedAndTheRightOneSignsIn() throws Exception {
        signIn(browser, "not-the-token");
        assertTrue(browser.getCurrentUrl().contains("/dashboard/login"), browser.getCurrentUrl());
        assertEquals("That is not the read token.", browser.findElement(By.cssSelector("[role=alert]")).getText());
        assertTrue(browser.manage().getCookies().isEmpty());
        Files.createDirectories(SHOTS);
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), SHOTS.resolve("dashboard-login-refused.png"),
                StandardCopyOption.REPLACE_EXISTING);
        signIn(browser, SummaryTest.TOKEN);
        assertEquals("Funnel", browser.findElement(By.tagName("h1")).getText());
        assertTrue(browser.manage().getCookieNamed("roar_dashboard").isHttpOnly());
        assertEquals("Strict", browser.manage().getCookieNamed("roar_dashboard").getSameSite());
    }

    @Test
    void everyNumberOfEveryViewIsTheSummarys() throws Exception {
        signIn(browser, SummaryTest.TOKEN);
        for (String query : List.of("days=30", "days=7", "days=90&version=0.3.0",
                "from=" + LocalDate.now(ZoneOffset.UTC).minusDays(20) + "&to=" + LocalDate.now(ZoneOffset.UTC).minusDays(3))) {
            var request = given().header("Authorization", "Bearer " + SummaryTest.TOKEN);
            for (String pair : query.split("&")) {
                String[] kv = pair.split("=");
                request = request.queryParam(kv[0], kv[1]);
            }
            if (query.startsWith("days=")) {
                int days = Integer.parseInt(query.substring(5).split("&")[0]);
                request = request.queryParam("from", LocalDate.now(ZoneOffset.UTC).minusDays(days - 1).toString());
            }
            JsonPath summary = request.get(SummaryTest.SUMMARY).then().statusCode(200).extract().jsonPath();
            for (String view : VIEWS) {
                browser.get(dashboard + view + "?" + query);
                List<WebElement> numbers = browser.findElements(By.cssSelector("[data-path]"));
                assertTrue(numbers.size() >= 3, view + "?" + query + ": numbers on the page");
                for (WebElement n : numbers) {
                    String path = n.getAttribute("data-path");
                    assertEquals(expected(summary, path, n.getAttribute("data-share") != null), n.getText(),
                            view + "?" + query + ": " + path);
                }
            }
        }
    }

    /** What the page shows for the summary's value at {@code path}: the number, a share as a percentage, or "< k". */
    private static String expected(JsonPath summary, String path, boolean share) {
        Object value = summary.get(path);
        if (value instanceof String s) {
            return s;
        }
        assertTrue(value instanceof Number, path + " is " + value);
        BigDecimal number = new BigDecimal(value.toString());
        return share ? number.movePointRight(2).setScale(1, RoundingMode.HALF_UP) + " %" : number.toPlainString();
    }

    @Test
    void smallGroupsShowAsLessThanKAndFoldIntoOther() {
        signIn(browser, SummaryTest.TOKEN);
        browser.get(dashboard.toString());
        assertEquals("< 5", cell("funnel[4].installs").getText());
        assertEquals("< 5", cell("funnel[4].share").getText());
        assertEquals("first_successful_roar_run",
                browser.findElement(By.cssSelector("[data-path=funnel_most_stop_before]")).getText());
        browser.get(dashboard + "/platforms");
        String platforms = browser.findElement(By.id("platforms")).getText();
        assertFalse(platforms.contains("windows"), platforms);
        assertTrue(platforms.contains("other"), platforms);
        assertFalse(browser.findElement(By.id("capabilities")).getText().contains("ray_enabled"));
        browser.get(dashboard + "/outcomes");
        assertEquals("< 5", cell("subcommand_counts.'run_failed_internal'").getText());
        browser.get(dashboard + "/adoption");
        assertEquals("< 5", cell("installs_by_version.'other'").getText());
    }

    private WebElement cell(String path) {
        return browser.findElement(By.cssSelector("[data-path=\"" + path.replace("\"", "\\\"") + "\"]"));
    }

    @Test
    void eachViewIsAPictureWithoutJavaScript() throws Exception {
        ChromeDriver noScript = Browser.start(Path.of("target/chromium-profile-" + System.nanoTime()), false, 1200, 900);
        try {
            // this browser really runs no script: a page that would retitle itself keeps its title
            noScript.get("data:text/html,<title>before</title><script>document.title='after'</script>");
            assertEquals("before", noScript.getTitle());
            signIn(noScript, SummaryTest.TOKEN);
            assertEquals("Funnel", noScript.findElement(By.tagName("h1")).getText());
            noScript.findElement(By.cssSelector("select[name=days] option[value='7']")).click();
            Browser.clickAndWait(noScript, noScript.findElement(By.cssSelector("form.window button[type=submit]")));
            assertTrue(noScript.getCurrentUrl().contains("days=7"), noScript.getCurrentUrl());
            for (String view : VIEWS) {
                noScript.get(dashboard + view + "?days=30");
                assertFalse(noScript.findElements(By.cssSelector("section.panel svg")).isEmpty(), view);
                assertFalse(noScript.findElements(By.cssSelector("section.panel table td.num")).isEmpty(), view);
                // the stylesheet applied (served by the collector under the strict CSP): the nav is a flex row
                assertEquals("flex", noScript.findElement(By.cssSelector("nav ul")).getCssValue("display"), view);
            }
        } finally {
            noScript.quit();
        }
        signIn(browser, SummaryTest.TOKEN);
        Files.createDirectories(SHOTS);
        Map<String, String> names = Map.of("", "funnel", "/adoption", "adoption", "/outcomes", "outcomes",
                "/platforms", "platforms");
        for (String view : VIEWS) {
            browser.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", 1100, "height", 800,
                    "deviceScaleFactor", 1, "mobile", false));
            browser.get(dashboard + view + "?days=30");
            long height = (Long) ((JavascriptExecutor) browser).executeScript(
                    "return document.documentElement.scrollHeight");
            // the whole page in one picture: the viewport as tall as the page
            browser.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", 1100,
                    "height", (int) Math.min(height, 4000), "deviceScaleFactor", 1, "mobile", false));
            Path shot = SHOTS.resolve("dashboard-" + names.get(view) + ".png");
            Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), shot, StandardCopyOption.REPLACE_EXISTING);
            assertTrue(Files.size(shot) > 10_000, shot + " is a picture");
        }
    }
}
