package dev.switchboard.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testing.FreePort;
import dev.switchboard.testing.HeadlessChromium;
import dev.switchboard.testing.HttpTestClient;
import java.io.File;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.logging.Level;
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
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The analytics page in a real headless Chromium: seeded events drawn as SVG bars, the funnel of
 * the four product events with its conversion, and the live stream picking up events sent by
 * /sdk/analytics.js from the page itself to the real ingest; no console errors.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
class AnalyticsDashboardBrowserIT {

  static final String ADMIN_KEY = "sk_analytics_dashboard_key_0123456789ab";
  static final String WRITE_KEY = "wk_dashboard_0123456789";
  static final int PORT = FreePort.next();

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add(
        "SWITCHBOARD_DATA_DIR", () -> "target/it-data/analytics-dashboard-" + System.nanoTime());
    registry.add("SWITCHBOARD_ADMIN_API_KEY", () -> ADMIN_KEY);
    registry.add("ANALYTICS_KEY", () -> WRITE_KEY);
    registry.add("PORT", () -> PORT);
    registry.add("SWITCHBOARD_PUBLIC_URL", () -> "http://127.0.0.1:" + PORT);
  }

  static WebDriver browser;

  @BeforeAll
  static void startBrowser() {
    ChromeOptions options =
        HeadlessChromium.options("--window-size=1400,1000", HeadlessChromium.VISITOR_USER_AGENT);
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    browser = HeadlessChromium.start(options);
  }

  @AfterAll
  static void stopBrowser() {
    if (browser != null) {
      browser.quit();
    }
  }

  static void seed() {
    String basic =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((WRITE_KEY + ":").getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> response =
        new HttpTestClient(PORT)
            .post(
                "/v1/batch",
                """
        {"batch":[
          {"type":"page","anonymousId":"anon-a","properties":{"path":"/","title":"Home"}},
          {"type":"page","anonymousId":"anon-b","properties":{"path":"/","title":"Home"}},
          {"type":"page","anonymousId":"anon-c","properties":{"path":"/","title":"Home"}},
          {"type":"identify","anonymousId":"anon-a","userId":"user-a"},
          {"type":"identify","anonymousId":"anon-b","userId":"user-b"},
          {"type":"track","userId":"user-a","event":"signed_up","properties":{"method":"password"}},
          {"type":"track","userId":"user-b","event":"signed_up","properties":{"method":"google"}},
          {"type":"track","userId":"user-a","event":"feature_used","properties":{"feature_name":"export"}},
          {"type":"track","userId":"user-a","event":"subscription_started","properties":{"plan":"pro","price":19}},
          {"type":"track","userId":"user-b","event":"<b>odd name</b>"}]}""",
                "Authorization",
                basic);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
  }

  @Test
  void analyticsPageWhenEventsSeededThenSvgBarsFunnelLiveStreamAndNoConsoleErrors()
      throws Exception {
    seed();
    browser.get("http://127.0.0.1:" + PORT + "/admin/login");
    browser.findElement(By.id("key")).sendKeys(ADMIN_KEY);
    browser.findElement(By.id("sign-in")).click();
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
    wait.until(ExpectedConditions.urlMatches(".*/admin$"));
    browser.findElement(By.linkText("Analytics")).click();
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("event-charts")));

    for (String event :
        List.of("page_viewed", "signed_up", "feature_used", "subscription_started")) {
      WebElement chart =
          browser.findElement(By.cssSelector("figure[data-event='" + event + "'] svg"));
      long drawn =
          chart.findElements(By.cssSelector("rect.bar")).stream()
              .mapToLong(bar -> Long.parseLong(bar.getAttribute("data-count")))
              .sum();
      assertThat(drawn)
          .as(event)
          .isEqualTo(
              switch (event) {
                case "page_viewed" -> 3;
                case "signed_up" -> 2;
                default -> 1;
              });
    }
    assertThat(
            browser
                .findElement(By.cssSelector("figure[data-event='<b>odd name</b>'] figcaption"))
                .getText())
        .startsWith("<b>odd name</b>");
    List<WebElement> steps = browser.findElements(By.cssSelector("#funnel svg rect.bar"));
    assertThat(steps)
        .extracting(s -> s.getAttribute("data-step"))
        .containsExactly("page_viewed", "signed_up", "feature_used", "subscription_started");
    assertThat(steps)
        .extracting(s -> s.getAttribute("data-people"))
        .containsExactly("3", "2", "1", "1");
    assertThat(
            browser
                .findElement(By.cssSelector("#funnel-steps tr[data-step='subscription_started']"))
                .getText())
        .contains("33.3%");
    assertThat(browser.findElements(By.cssSelector("#live tbody tr"))).hasSize(10);
    assertThat(browser.findElement(By.id("snippet")).getText())
        .contains("/sdk/analytics.js")
        .contains("switchboard.analytics.init");

    ((JavascriptExecutor) browser)
        .executeAsyncScript(
            """
        var done = arguments[arguments.length - 1];
        var script = document.createElement('script');
        script.src = '/sdk/analytics.js';
        script.onload = function () {
          switchboard.analytics.init({ writeKey: '%s' });
          switchboard.analytics.track('feature_used', { feature_name: 'live-check' });
          switchboard.analytics.flush().then(function () { done(true); });
        };
        document.head.appendChild(script);
        """
                .formatted(WRITE_KEY));
    wait.until(d -> d.findElements(By.cssSelector("#live tbody tr")).size() == 11);
    assertThat(browser.findElement(By.cssSelector("#live tbody tr")).getText())
        .contains("feature_used");

    List<LogEntry> errors =
        browser.manage().logs().get(LogType.BROWSER).getAll().stream()
            .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
            .toList();
    assertThat(errors).isEmpty();

    Files.createDirectories(Path.of("target", "screenshots"));
    File shot = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE);
    Files.copy(
        shot.toPath(),
        Path.of("target", "screenshots", "admin-analytics.png"),
        StandardCopyOption.REPLACE_EXISTING);
  }

  @Test
  void analyticsPageWhenNotSignedInThenLoginRedirectAndLiveFeed401WithErrorShape() {
    HttpTestClient http = new HttpTestClient(PORT);
    HttpResponse<String> page = http.get("/admin/analytics");
    assertThat(page.statusCode()).isEqualTo(303);
    assertThat(page.headers().firstValue("Location")).contains("/admin/login");

    HttpResponse<String> live = http.get("/admin/analytics/live?after=0");
    assertThat(live.statusCode()).isEqualTo(401);
    assertThat(live.body()).contains("\"code\":\"unauthenticated\"").doesNotContain("anon-");
  }
}
