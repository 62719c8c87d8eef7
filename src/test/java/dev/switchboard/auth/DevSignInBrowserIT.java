package dev.switchboard.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.switchboard.testing.HeadlessChromium;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real headless Chromium signs in through the dev identity provider's page and lands back on an
 * app with a working session. The app is a tiny server-side app in the test: it exchanges the
 * one-time code and calls {@code /api/auth/me} with the access token, as a server app would.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
class DevSignInBrowserIT {

  static final int PORT = freePort();
  static final String BASE = "http://127.0.0.1:" + PORT;
  static final JsonMapper JSON = JsonMapper.builder().build();
  static WebDriver browser;
  static HttpServer app;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("server.port", () -> PORT);
    registry.add("SWITCHBOARD_PUBLIC_URL", () -> BASE);
    registry.add("SWITCHBOARD_DATA_DIR", () -> "target/it-data/dev-sign-in-" + UUID.randomUUID());
    registry.add("SWITCHBOARD_ADMIN_EMAILS", () -> "boss@example.com");
    registry.add("SWITCHBOARD_SIGN_IN_RATE_LIMIT", () -> "1000/min");
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @BeforeAll
  static void start() throws IOException {
    app = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    app.createContext(
        "/signed-in",
        exchange -> {
          String query = exchange.getRequestURI().getRawQuery();
          String code = OAuthProvidersIT.query(URI.create("/?" + query)).get("code");
          String page;
          try {
            HttpClient client =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            JsonNode tokens =
                JSON.readTree(
                    client
                        .send(
                            HttpRequest.newBuilder(URI.create(BASE + "/api/auth/exchange"))
                                .header("Content-Type", "application/json")
                                .POST(
                                    HttpRequest.BodyPublishers.ofString(
                                        "{\"code\":\"" + code + "\"}"))
                                .build(),
                            HttpResponse.BodyHandlers.ofString())
                        .body());
            JsonNode me =
                JSON.readTree(
                    client
                        .send(
                            HttpRequest.newBuilder(URI.create(BASE + "/api/auth/me"))
                                .header(
                                    "Authorization",
                                    "Bearer " + tokens.path("accessToken").asString())
                                .GET()
                                .build(),
                            HttpResponse.BodyHandlers.ofString())
                        .body());
            page =
                "<html><body><p id=\"who\">Signed in as "
                    + me.path("email").asString()
                    + " ("
                    + me.path("name").asString()
                    + ")</p></body></html>";
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            page = "interrupted";
          }
          byte[] body = page.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    app.start();

    ChromeOptions options = HeadlessChromium.options("--window-size=1200,900");
    browser = HeadlessChromium.start(options);
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (app != null) {
      app.stop(0);
    }
  }

  WebDriverWait waiting() {
    return new WebDriverWait(browser, Duration.ofSeconds(15));
  }

  @Test
  void signInWhenThroughDevPageThenAppHasAWorkingSession() {
    String appUrl = "http://127.0.0.1:" + app.getAddress().getPort() + "/signed-in";
    browser.get(BASE + "/api/auth/login/google?redirect_to=" + appUrl);
    waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("email")));
    assertThat(browser.getCurrentUrl()).startsWith(BASE + "/dev/oauth/google/authorize?");
    assertThat(browser.getTitle()).contains("Sign in with Google");

    browser.findElement(By.id("email")).sendKeys("ada@example.com");
    browser.findElement(By.id("name")).sendKeys("Ada Lovelace");
    browser.findElement(By.id("allow")).click();

    waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("who")));
    assertThat(browser.getCurrentUrl()).startsWith(appUrl + "?code=");
    assertThat(browser.findElement(By.id("who")).getText())
        .isEqualTo("Signed in as ada@example.com (Ada Lovelace)");
  }

  @Test
  void signInWhenNoAppRunsAndRedirectIsTheSignedInPageThenPageShowsAWorkingExchangeCall()
      throws Exception {
    browser.get(BASE + "/api/auth/login/google?redirect_to=" + BASE + "/auth/signed-in");
    waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("email")));
    browser.findElement(By.id("email")).sendKeys("grace@example.com");
    browser.findElement(By.id("name")).sendKeys("Grace Hopper");
    browser.findElement(By.id("allow")).click();

    waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("call")));
    assertThat(browser.getCurrentUrl())
        .as("the code leaves the address bar")
        .isEqualTo(BASE + "/auth/signed-in");
    String call = browser.findElement(By.id("call")).getText();
    assertThat(call).startsWith("curl -s -X POST " + BASE + "/api/auth/exchange");
    String body = call.substring(call.indexOf("-d '") + 4, call.length() - 1);
    HttpResponse<String> exchanged =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(BASE + "/api/auth/exchange"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(exchanged.statusCode()).as(exchanged.body()).isEqualTo(200);
    assertThat(exchanged.body()).contains("grace@example.com");
  }

  @Test
  void adminWhenListedAndSignsInWithGitHubThenDashboardOpensAndOthersAreRefused() {
    browser.manage().deleteAllCookies();
    browser.get(BASE + "/admin/login");
    browser.findElement(By.id("sign-in-github")).click();
    waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("email")));
    browser.findElement(By.id("email")).sendKeys("someone@example.com");
    browser.findElement(By.id("allow")).click();
    waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("login-error")));
    assertThat(browser.findElement(By.id("login-error")).getText()).contains("not an admin");

    browser.findElement(By.id("sign-in-github")).click();
    waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("email")));
    browser.findElement(By.id("email")).sendKeys("boss@example.com");
    browser.findElement(By.id("allow")).click();

    waiting()
        .until(
            ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("[data-integration='auth.github']")));
    assertThat(browser.getCurrentUrl()).isEqualTo(BASE + "/admin");
    assertThat(browser.findElement(By.cssSelector("[data-integration='auth.github']")).getText())
        .contains("dev");
    assertThat(browser.manage().getCookieNamed("sb_admin").isHttpOnly()).isTrue();
  }
}
