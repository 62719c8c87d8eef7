package dev.switchboard.analytics;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.switchboard.testing.Eventually;
import dev.switchboard.testing.FreePort;
import dev.switchboard.testing.HeadlessChromium;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeOptions;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * /sdk/analytics.js in a real headless Chromium, served by Switchboard and used by a page of an app
 * (a local server that also plays the ingest's /v1/batch): page/track/identify arrive in batches
 * with one anonymous id, failed sends are retried, and a page being left flushes the queue with a
 * beacon.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
class AnalyticsSdkBrowserIT {

  static final int PORT = FreePort.next();
  static final JsonMapper JSON = JsonMapper.builder().build();

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("SWITCHBOARD_DATA_DIR", () -> "target/it-data/analytics-sdk-" + System.nanoTime());
    registry.add("PORT", () -> PORT);
    registry.add("SWITCHBOARD_PUBLIC_URL", () -> "http://127.0.0.1:" + PORT);
    registry.add("ANALYTICS_KEY", () -> "wk_browser_test");
    registry.add("SWITCHBOARD_ADMIN_API_KEY", () -> ADMIN_KEY);
  }

  static final String ADMIN_KEY = "sk_analytics_sdk_admin_key_0123456789ab";

  static WebDriver browser;
  WireMockServer app;

  @BeforeAll
  static void startBrowser() {
    ChromeOptions options = HeadlessChromium.options(HeadlessChromium.VISITOR_USER_AGENT);
    browser = HeadlessChromium.start(options);
  }

  @AfterAll
  static void stopBrowser() {
    if (browser != null) {
      browser.quit();
    }
  }

  @BeforeEach
  void startApp() {
    app = new WireMockServer(options().dynamicPort());
    app.start();
    app.stubFor(
        get(urlEqualTo("/shop/pricing"))
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "text/html")
                    .withBody(
                        """
            <!doctype html><html><head><title>Pricing</title>
            <script src="http://127.0.0.1:%d/sdk/analytics.js"></script></head><body>prices</body></html>"""
                            .formatted(PORT))));
    app.stubFor(
        get(urlEqualTo("/bye"))
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "text/html")
                    .withBody("<!doctype html><title>bye</title>")));
  }

  @AfterEach
  void stopApp() {
    app.stop();
  }

  Object run(String script) {
    return ((JavascriptExecutor) browser).executeScript(script);
  }

  /**
   * Every message the fake ingest answered 2xx for, in arrival order, with the batch's writeKey.
   */
  List<JsonNode> accepted() {
    List<ServeEvent> served = new ArrayList<>(app.getAllServeEvents());
    // Newest first from WireMock, logged to the millisecond: reversed, ties keep arrival order.
    java.util.Collections.reverse(served);
    served.sort((a, b) -> a.getRequest().getLoggedDate().compareTo(b.getRequest().getLoggedDate()));
    List<JsonNode> messages = new ArrayList<>();
    for (ServeEvent event : served) {
      if (event.getRequest().getUrl().equals("/v1/batch")
          && event.getResponse().getStatus() == 200) {
        JsonNode body = JSON.readTree(event.getRequest().getBodyAsString());
        assertThat(body.path("writeKey").asString()).isEqualTo("wk_browser_test");
        assertThat(body.path("sentAt").isString()).isTrue();
        body.path("batch").forEach(messages::add);
      }
    }
    return messages;
  }

  @Test
  void
      sdkWhenPageTrackIdentifyCalledThenOneBatchArrivesWithOneAnonymousIdAndNoThirdPartyRequests() {
    app.stubFor(
        post(urlEqualTo("/v1/batch"))
            .willReturn(aResponse().withStatus(200).withBody("{\"success\":true}")));
    browser.get(app.baseUrl() + "/shop/pricing");
    run(
        "localStorage.clear();"
            + "switchboard.analytics.init({writeKey: 'wk_browser_test', host: '"
            + app.baseUrl()
            + "'});"
            + "switchboard.analytics.page();"
            + "switchboard.analytics.track('feature_used', {feature_name: 'export'});"
            + "switchboard.analytics.identify('user_42', {plan: 'pro'});"
            + "switchboard.analytics.track('subscription_started', {plan: 'pro', price: 19});");

    Eventually.await(
        "four messages at /v1/batch", Duration.ofSeconds(10), () -> accepted().size() == 4);
    List<JsonNode> messages = accepted();
    String anonymousId =
        String.valueOf(run("return localStorage.getItem('switchboard.analytics.anonymousId')"));
    assertThat(messages)
        .extracting(m -> m.path("type").asString())
        .containsExactly("page", "track", "identify", "track");
    assertThat(messages)
        .allSatisfy(
            m -> {
              assertThat(m.path("anonymousId").asString()).isEqualTo(anonymousId);
              assertThat(m.path("messageId").asString()).hasSizeBetween(1, 99);
              assertThat(m.path("timestamp").asString()).endsWith("Z");
              assertThat(m.path("context").path("library").path("name").asString())
                  .isEqualTo("switchboard-analytics.js");
            });
    assertThat(messages.get(0).path("name").asString()).isEqualTo("Pricing");
    assertThat(messages.get(0).path("properties").path("path").asString())
        .isEqualTo("/shop/pricing");
    assertThat(messages.get(0).path("properties").path("url").asString())
        .isEqualTo(app.baseUrl() + "/shop/pricing");
    assertThat(messages.get(1).path("event").asString()).isEqualTo("feature_used");
    assertThat(messages.get(1).path("properties").path("feature_name").asString())
        .isEqualTo("export");
    assertThat(messages.get(1).has("userId")).isFalse();
    assertThat(messages.get(2).path("userId").asString()).isEqualTo("user_42");
    assertThat(messages.get(2).path("traits").path("plan").asString()).isEqualTo("pro");
    assertThat(messages.get(3).path("userId").asString()).isEqualTo("user_42");
    assertThat(
            app.countRequestsMatching(
                    com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(
                            urlEqualTo("/v1/batch"))
                        .build())
                .getCount())
        .isEqualTo(1);
    Object origins =
        run(
            "return performance.getEntriesByType('resource').map(e => new URL(e.name).origin)"
                + ".filter(o => o !== location.origin && o !== 'http://127.0.0.1:"
                + PORT
                + "')");
    assertThat((List<?>) origins).isEmpty();
    assertThat(run("return switchboard.analytics.pending()")).isEqualTo(0L);

    run("switchboard.analytics.reset()");
    assertThat(run("return localStorage.getItem('switchboard.analytics.userId')")).isNull();
    assertThat(String.valueOf(run("return switchboard.analytics.anonymousId()")))
        .isNotEqualTo(anonymousId);
  }

  @Test
  void sdkWhenIngestFailsThenRetriesWithBackoffHonouringRetryAfterAndDeliversEveryMessageOnce() {
    app.stubFor(
        post(urlEqualTo("/v1/batch"))
            .inScenario("outage")
            .whenScenarioStateIs(STARTED)
            .willReturn(aResponse().withStatus(503))
            .willSetStateTo("limited"));
    app.stubFor(
        post(urlEqualTo("/v1/batch"))
            .inScenario("outage")
            .whenScenarioStateIs("limited")
            .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1"))
            .willSetStateTo("up"));
    app.stubFor(
        post(urlEqualTo("/v1/batch"))
            .inScenario("outage")
            .whenScenarioStateIs("up")
            .willReturn(aResponse().withStatus(200)));
    browser.get(app.baseUrl() + "/shop/pricing");
    run(
        "localStorage.clear();"
            + "switchboard.analytics.init({writeKey: 'wk_browser_test', host: '"
            + app.baseUrl()
            + "', minBackoff: 200});"
            + "for (var i = 0; i < 3; i++) switchboard.analytics.track('feature_used', {feature_name: 'f' + i});");

    Eventually.await(
        "the batch after 503 and 429", Duration.ofSeconds(15), () -> accepted().size() == 3);
    assertThat(accepted())
        .extracting(m -> m.path("properties").path("feature_name").asString())
        .containsExactly("f0", "f1", "f2");
    assertThat(app.getAllServeEvents())
        .filteredOn(e -> e.getRequest().getUrl().equals("/v1/batch"))
        .hasSize(3);
    assertThat(run("return switchboard.analytics.pending()")).isEqualTo(0L);
  }

  @Test
  void sdkWhenPageIsLeftBeforeTheNextFlushThenQueueSentWithBeaconCarryingTheWriteKey() {
    app.stubFor(post(urlEqualTo("/v1/batch")).willReturn(aResponse().withStatus(200)));
    browser.get(app.baseUrl() + "/shop/pricing");
    run(
        "localStorage.clear();"
            + "switchboard.analytics.init({writeKey: 'wk_browser_test', host: '"
            + app.baseUrl()
            + "', "
            + "flushInterval: 600000});"
            + "switchboard.analytics.track('feature_used', {feature_name: 'beacon'});");
    assertThat(run("return switchboard.analytics.pending()")).isEqualTo(1L);

    browser.get(app.baseUrl() + "/bye");

    Eventually.await("the beacon", Duration.ofSeconds(10), () -> accepted().size() == 1);
    ServeEvent beacon =
        app.getAllServeEvents().stream()
            .filter(e -> e.getRequest().getUrl().equals("/v1/batch"))
            .findFirst()
            .orElseThrow();
    assertThat(beacon.getRequest().getHeader("Content-Type")).startsWith("text/plain");
    assertThat(beacon.getRequest().containsHeader("Authorization")).isFalse();
    assertThat(accepted().get(0).path("properties").path("feature_name").asString())
        .isEqualTo("beacon");
    assertThat(run("return localStorage.getItem('switchboard.analytics.queue')")).isNull();
  }

  @Test
  void sdkWhenPointedAtSwitchboardFromAnotherOriginThenRealIngestStoresTheEventsForTheQueryApi() {
    browser.get(app.baseUrl() + "/shop/pricing");
    run(
        "localStorage.clear();"
            + "switchboard.analytics.init({writeKey: 'wk_browser_test', host: 'http://127.0.0.1:"
            + PORT
            + "'});"
            + "switchboard.analytics.page();"
            + "switchboard.analytics.identify('user_sdk', {plan: 'pro'});"
            + "switchboard.analytics.track('feature_used', {feature_name: 'sdk-e2e'});");
    String anonymousId = String.valueOf(run("return switchboard.analytics.anonymousId()"));
    dev.switchboard.testing.HttpTestClient api = new dev.switchboard.testing.HttpTestClient(PORT);

    Eventually.await(
        "three events in the query API",
        Duration.ofSeconds(15),
        () -> {
          JsonNode live =
              JSON.readTree(
                      api.get(
                              "/api/analytics/live?limit=50",
                              "Authorization",
                              "Bearer " + ADMIN_KEY)
                          .body())
                  .path("events");
          int mine = 0;
          for (JsonNode e : live) {
            mine += anonymousId.equals(e.path("anonymousId").asString()) ? 1 : 0;
          }
          return mine == 3;
        });
    JsonNode live =
        JSON.readTree(
                api.get("/api/analytics/live?limit=50", "Authorization", "Bearer " + ADMIN_KEY)
                    .body())
            .path("events");
    List<JsonNode> mine = new ArrayList<>();
    live.forEach(
        e -> {
          if (anonymousId.equals(e.path("anonymousId").asString())) {
            mine.add(0, e);
          }
        });
    assertThat(mine)
        .extracting(e -> e.path("event").isNull() ? "" : e.path("event").asString())
        .containsExactly("page_viewed", "", "feature_used");
    assertThat(mine.get(2).path("userId").asString()).isEqualTo("user_sdk");
    assertThat(mine.get(2).path("message").path("properties").path("feature_name").asString())
        .isEqualTo("sdk-e2e");
    assertThat(mine.get(0).path("message").path("properties").path("path").asString())
        .isEqualTo("/shop/pricing");
    assertThat(run("return switchboard.analytics.pending()")).isEqualTo(0L);
  }
}
