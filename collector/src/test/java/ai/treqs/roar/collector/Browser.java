package ai.treqs.roar.collector;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.openqa.selenium.By;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's chromium, headless, through its own chromedriver: Selenium Manager never runs (the driver's path is
 * given), nothing is downloaded, and each browser has a fresh profile directory.
 */
final class Browser {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private Browser() {}

    static boolean installed() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    static String absent() {
        return "browser tests skipped: Debian's chromium and chromium-driver are not installed "
                + "(apt-get install -y chromium chromium-driver; collector/ci.sh installs them)";
    }

    /** Clicks what submits a form and waits until the next page has replaced this one and finished loading. */
    static void clickAndWait(ChromeDriver b, WebElement button) {
        WebElement page = b.findElement(By.tagName("html"));
        button.click();
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (System.nanoTime() < deadline) {
            try {
                WebElement now = b.findElement(By.tagName("html"));
                if (!now.equals(page) && "complete".equals(b.executeScript("return document.readyState"))) {
                    return;
                }
            } catch (WebDriverException loading) {
                // the old document went away under the lookup, or the new one is not there yet
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new AssertionError("no new page within 15 s of the click");
    }

    static ChromeDriver start(Path profile, boolean javascript, int width, int height) throws IOException {
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        System.setProperty("SE_OFFLINE", "true");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toString());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--hide-scrollbars", "--force-device-scale-factor=1",
                "--window-size=" + width + "," + height,
                "--user-data-dir=" + Files.createDirectories(profile).toAbsolutePath());
        if (!javascript) {
            options.setExperimentalOption("prefs", Map.of("profile.managed_default_content_settings.javascript", 2));
        }
        options.setExperimentalOption("excludeSwitches", List.of("enable-automation"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }
}
