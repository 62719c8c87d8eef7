package dev.switchboard.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.platform.apikeys.ApiKeyService;
import dev.switchboard.testing.HeadlessChromium;
import dev.switchboard.testing.HttpTestClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The first admin key of a production install from the dashboard, in a real headless Chromium: a
 * production start on an empty data dir prints the setup token; the sign-in page links to
 * /admin/setup; a wrong token shows an error and creates nothing; the right one shows the key once,
 * the key works on the API, and the page is gone.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SetupPageBrowserIT {

  static final Pattern TOKEN = Pattern.compile("setup_[0-9a-f]{64}");

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("SWITCHBOARD_DATA_DIR", () -> "target/it-data/setup-page-" + System.nanoTime());
    registry.add("SWITCHBOARD_ENV", () -> "production");
    registry.add("SWITCHBOARD_PUBLIC_URL", () -> "https://switchboard.example.com");
    registry.add("EMAIL_PROVIDER", () -> "smtp");
    registry.add("SMTP_URL", () -> "smtps://mail.example.com:465");
    registry.add("EMAIL_FROM", () -> "no-reply@example.com");
    registry.add("AUTH_OAUTH_PROVIDERS", () -> "none");
  }

  @LocalServerPort int port;

  @Autowired ApiKeyService keys;

  static WebDriver browser;

  @BeforeAll
  static void startBrowser() {
    ChromeOptions options = HeadlessChromium.options("--window-size=1280,900");
    browser = HeadlessChromium.start(options);
  }

  @AfterAll
  static void stopBrowser() {
    if (browser != null) {
      browser.quit();
    }
  }

  @Test
  void setupPageWhenProductionWithoutAdminKeyThenCreatesTheFirstKeyOnceFromTheBrowser(
      CapturedOutput output) {
    Matcher printed = TOKEN.matcher(output.getAll());
    assertThat(printed.find()).as("setup token in the startup log").isTrue();
    String token = printed.group();
    String base = "http://127.0.0.1:" + port;
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(10));

    browser.get(base + "/admin/login");
    browser.findElement(By.cssSelector("#setup-link a")).click();
    wait.until(ExpectedConditions.urlToBe(base + "/admin/setup"));

    // A wrong token: an error on the page, no key.
    browser.findElement(By.id("token")).sendKeys("setup_" + "0".repeat(64));
    browser.findElement(By.id("create-key")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("setup-error")));
    assertThat(browser.findElement(By.id("setup-error")).getText()).contains("not the setup token");
    assertThat(keys.list()).isEmpty();

    browser.findElement(By.id("token")).sendKeys(token);
    browser.findElement(By.id("name")).clear();
    browser.findElement(By.id("name")).sendKeys("ops");
    browser.findElement(By.id("create-key")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("created-key")));
    assertThat(browser.findElement(By.id("store-it")).getText()).contains("Store this key now");
    String key = browser.findElement(By.id("created-key")).getText();
    assertThat(key).startsWith("sk_");
    assertThat(browser.getPageSource()).doesNotContain(token);

    HttpTestClient http = new HttpTestClient(port);
    HttpResponse<String> integrations = http.authorized(key).get("/api/integrations");
    assertThat(integrations.statusCode()).as(integrations.body()).isEqualTo(200);
    assertThat(keys.list()).singleElement().satisfies(k -> assertThat(k.name()).isEqualTo("ops"));

    // Used: the page and the link are gone, and the token does not work again.
    browser.get(base + "/admin/setup");
    wait.until(ExpectedConditions.urlToBe(base + "/admin/login"));
    assertThat(browser.findElements(By.id("setup-link"))).isEmpty();
    HttpResponse<String> again =
        http.post("/api/setup/admin-key", "{\"token\":\"" + token + "\",\"name\":\"twice\"}");
    assertThat(again.statusCode()).isEqualTo(404);
    assertThat(keys.list()).hasSize(1);
  }

  @Test
  void setupPostWhenCrossSiteThenRefusedAndNothingCreated() {
    HttpResponse<String> response =
        new HttpTestClient(port)
            .send(
                java.net.http.HttpRequest.newBuilder()
                    .uri(java.net.URI.create("http://127.0.0.1:" + port + "/admin/setup"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("token=setup_x")),
                "Origin",
                "https://evil.example");
    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.body()).contains("\"code\":\"cross_site_request\"");
  }
}
