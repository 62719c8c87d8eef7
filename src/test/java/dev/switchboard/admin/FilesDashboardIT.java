package dev.switchboard.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.storage.Samples;
import dev.switchboard.testing.FreePort;
import dev.switchboard.testing.HeadlessChromium;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The dashboard's files page in a real headless Chromium: an image uploaded through /sdk/files.js,
 * then previewed.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
class FilesDashboardIT {

  static final String ADMIN_KEY = "sk_files_dashboard_key_0123456789abcdef";
  static final int PORT = FreePort.next();

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add(
        "SWITCHBOARD_DATA_DIR", () -> "target/it-data/files-dashboard-" + System.nanoTime());
    registry.add("SWITCHBOARD_ADMIN_API_KEY", () -> ADMIN_KEY);
    registry.add("PORT", () -> PORT);
    registry.add("SWITCHBOARD_PUBLIC_URL", () -> "http://127.0.0.1:" + PORT);
    registry.add("STORAGE_RATE_LIMIT", () -> "1/s");
  }

  static WebDriver browser;

  @BeforeAll
  static void startBrowser() {
    ChromeOptions options = HeadlessChromium.options("--window-size=1400,1000");
    browser = HeadlessChromium.start(options);
  }

  @AfterAll
  static void stopBrowser() {
    if (browser != null) {
      browser.quit();
    }
  }

  @Test
  void filesPageWhenImageUploadedThroughHelperThenReadyAndPreviewed() throws Exception {
    Path image =
        Files.createDirectories(Path.of("target", "it-data")).resolve("dashboard-pixel.png");
    Files.write(image, Samples.png());
    Path pdfAsPng = Path.of("target", "it-data", "disguised.png");
    Files.write(pdfAsPng, Samples.pdf());

    browser.get("http://127.0.0.1:" + PORT + "/admin/login");
    browser.findElement(By.id("key")).sendKeys(ADMIN_KEY);
    browser.findElement(By.id("sign-in")).click();
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
    wait.until(ExpectedConditions.urlMatches(".*/admin$"));
    browser.findElement(By.linkText("Files")).click();
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("upload-input")));

    browser.findElement(By.id("upload-input")).sendKeys(image.toAbsolutePath().toString());
    browser.findElement(By.id("upload-button")).click();
    WebElement status =
        wait.until(
            ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("[data-uploaded], [data-error]")));
    assertThat(status.getAttribute("data-uploaded")).as(status.getText()).isNotNull();
    String id = status.getAttribute("data-uploaded");
    assertThat(status.getText()).contains("dashboard-pixel.png").contains("ready");
    assertThat(browser.findElement(By.id("upload-progress")).getAttribute("value"))
        .isEqualTo("100");

    WebElement row =
        wait.until(
            ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("tr[data-file='" + id + "'][data-status='ready']")));
    assertThat(row.getText())
        .contains("dashboard-pixel.png")
        .contains("dashboard")
        .contains("image/png")
        .containsPattern("\\d+ B\\b");
    WebElement preview = row.findElement(By.cssSelector("img.preview"));
    wait.until(
        d ->
            (Boolean)
                ((JavascriptExecutor) d)
                    .executeScript(
                        "return arguments[0].complete && arguments[0].naturalWidth > 0", preview));

    browser.navigate().refresh();
    WebElement listed =
        wait.until(
            ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("tr[data-file='" + id + "'][data-status='ready'] img.preview")));
    assertThat(browser.findElement(By.cssSelector("tr[data-file='" + id + "']")).getText())
        .containsPattern("\\d+ B\\b");
    wait.until(
        d ->
            (Boolean)
                ((JavascriptExecutor) d)
                    .executeScript(
                        "return arguments[0].complete && arguments[0].naturalWidth > 0", listed));

    browser.findElement(By.id("upload-input")).sendKeys(pdfAsPng.toAbsolutePath().toString());
    browser.findElement(By.id("upload-button")).click();
    WebElement refused =
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-error]")));
    assertThat(refused.getAttribute("data-error")).isEqualTo("content_mismatch");

    Files.createDirectories(Path.of("target", "screenshots"));
    File shot = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE);
    Files.copy(
        shot.toPath(),
        Path.of("target", "screenshots", "admin-files.png"),
        StandardCopyOption.REPLACE_EXISTING);
  }

  @Test
  void helperWhenRateLimitedThenWaitsForRetryAfterAndCompletes() {
    browser.get("http://127.0.0.1:" + PORT + "/admin/login");
    Object result =
        ((JavascriptExecutor) browser)
            .executeAsyncScript(
                """
        var done = arguments[arguments.length - 1];
        var script = document.createElement('script');
        script.src = '/sdk/files.js';
        script.onload = async function () {
          var bytes = Uint8Array.from(atob('%s'), function (c) { return c.charCodeAt(0); });
          var retries = 0, progress = 0;
          var options = { headers: { Authorization: 'Bearer %s' },
            onRetry: function () { retries++; }, onProgress: function (p) { progress = p.loaded; } };
          try {
            var started = Date.now();
            var statuses = [];
            for (var n = 0; n < 4; n++) {
              var f = await SwitchboardFiles.upload(new File([bytes], n + '.png', { type: 'image/png' }), options);
              statuses.push(f.status);
            }
            done([statuses.join('+'), retries, progress, Date.now() - started].join(','));
          } catch (e) { done('error ' + e.code + ' ' + e.message); }
        };
        document.head.appendChild(script);
        """
                    .formatted(
                        java.util.Base64.getEncoder().encodeToString(Samples.png()), ADMIN_KEY));

    // Four uploads are eight limited calls (presign, complete) at one a second: at least one finds
    // the bucket empty however slowly a loaded machine runs the browser (two uploads once did not).
    String[] parts = String.valueOf(result).split(",");
    assertThat(parts).as(String.valueOf(result)).hasSize(4);
    assertThat(parts[0]).isEqualTo("ready+ready+ready+ready");
    assertThat(Integer.parseInt(parts[1])).isPositive();
    assertThat(Integer.parseInt(parts[2])).isEqualTo(Samples.png().length);
    assertThat(Long.parseLong(parts[3])).isGreaterThanOrEqualTo(900);
  }
}
