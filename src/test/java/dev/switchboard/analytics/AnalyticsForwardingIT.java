package dev.switchboard.analytics;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.switchboard.monitoring.HealthMonitor;
import dev.switchboard.monitoring.IntegrationHealth;
import dev.switchboard.platform.integrations.HealthStatus;
import dev.switchboard.testing.Eventually;
import dev.switchboard.testing.HttpTestClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Forwarding in the running service: events ingested on /v1 reach local servers playing Segment and
 * PostHog through the job queue; Segment being down delays only Segment, loses nothing, and shows
 * on its box; the integrations object keeps an event away from Segment.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AnalyticsForwardingIT {

  static final String KEY = "wk_forwarding_it_0123456789";
  static final String ADMIN_KEY = "sk_forwarding_admin_key_0123456789abcdef";
  static final JsonMapper JSON = JsonMapper.builder().build();
  static final WireMockServer SEGMENT = new WireMockServer(options().dynamicPort());
  static final WireMockServer POSTHOG = new WireMockServer(options().dynamicPort());

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    SEGMENT.start();
    POSTHOG.start();
    registry.add(
        "SWITCHBOARD_DATA_DIR", () -> "target/it-data/analytics-forwarding-" + System.nanoTime());
    registry.add("ANALYTICS_KEY", () -> KEY);
    registry.add("SWITCHBOARD_ADMIN_API_KEY", () -> ADMIN_KEY);
    registry.add("SEGMENT_WRITE_KEY", () -> "seg_write_key_0123456789");
    registry.add("SEGMENT_API_URL", SEGMENT::baseUrl);
    registry.add("POSTHOG_API_KEY", () -> "phc_forwarding_it_0123456789");
    registry.add("POSTHOG_HOST", POSTHOG::baseUrl);
  }

  @AfterAll
  static void stop() {
    SEGMENT.stop();
    POSTHOG.stop();
  }

  @LocalServerPort int port;
  @Autowired HealthMonitor monitor;

  static List<JsonNode> accepted(WireMockServer server) {
    List<ServeEvent> served = new ArrayList<>(server.getAllServeEvents());
    // Newest first from WireMock, logged to the millisecond: reversed, ties keep arrival order.
    java.util.Collections.reverse(served);
    served.sort((a, b) -> a.getRequest().getLoggedDate().compareTo(b.getRequest().getLoggedDate()));
    List<JsonNode> items = new ArrayList<>();
    for (ServeEvent event : served) {
      if (event.getResponse().getStatus() == 200) {
        JSON.readTree(event.getRequest().getBodyAsString()).path("batch").forEach(items::add);
      }
    }
    return items;
  }

  @Test
  void forwardWhenSegmentDownAndPostHogUpThenPostHogNowSegmentAfterRecoveryInOrderOnceEach()
      throws Exception {
    SEGMENT.stubFor(post(urlEqualTo("/v1/batch")).willReturn(aResponse().withStatus(503)));
    POSTHOG.stubFor(
        post(urlEqualTo("/batch/"))
            .willReturn(aResponse().withStatus(200).withBody("{\"status\":1}")));
    String anon = "anon-" + UUID.randomUUID();
    HttpTestClient http = new HttpTestClient(port);
    String basic =
        "Basic " + Base64.getEncoder().encodeToString((KEY + ":").getBytes(StandardCharsets.UTF_8));

    HttpResponse<String> ingested =
        http.post(
            "/v1/batch",
            """
        {"batch":[
          {"type":"page","messageId":"fw-1","anonymousId":"%1$s","name":"Pricing","properties":{"path":"/pricing"}},
          {"type":"identify","messageId":"fw-2","anonymousId":"%1$s","userId":"u-fw","traits":{"plan":"pro"}},
          {"type":"track","messageId":"fw-3","userId":"u-fw","event":"signed_up","properties":{"method":"google"},
           "integrations":{"All":false,"PostHog":true}},
          {"type":"track","messageId":"fw-4","userId":"u-fw","event":"feature_used",
           "properties":{"feature_name":"export"}}]}"""
                .formatted(anon),
            "Authorization",
            basic);
    assertThat(ingested.statusCode()).as(ingested.body()).isEqualTo(200);

    Eventually.await(
        "PostHog has all four", Duration.ofSeconds(20), () -> accepted(POSTHOG).size() == 4);
    assertThat(accepted(POSTHOG))
        .extracting(i -> i.path("event").asString())
        .containsExactly("$pageview", "$identify", "signed_up", "feature_used");
    Eventually.await(
        "Segment's box degraded",
        Duration.ofSeconds(20),
        () -> monitor.checkNow("analytics.segment").join().status() == HealthStatus.DEGRADED);
    IntegrationHealth failing = monitor.checkNow("analytics.segment").get();
    assertThat(failing.detail()).contains("pending 4").contains("forwarded 0").contains("HTTP 503");

    SEGMENT.resetAll();
    SEGMENT.stubFor(
        post(urlEqualTo("/v1/batch")).willReturn(aResponse().withStatus(200).withBody("{}")));
    Eventually.await(
        "Segment caught up", Duration.ofSeconds(30), () -> accepted(SEGMENT).size() == 3);
    Thread.sleep(1500);
    assertThat(accepted(SEGMENT))
        .extracting(m -> m.path("messageId").asString())
        .containsExactly("fw-1", "fw-2", "fw-4");
    assertThat(accepted(POSTHOG)).hasSize(4);

    IntegrationHealth recovered = monitor.checkNow("analytics.segment").get();
    assertThat(recovered.status()).isEqualTo(HealthStatus.UP);
    assertThat(recovered.detail()).isEqualTo("pending 0, forwarded 3, failed 0, skipped 1");
    HttpResponse<String> map =
        http.get("/api/integrations", "Authorization", "Bearer " + ADMIN_KEY);
    assertThat(map.body())
        .contains("analytics.segment")
        .contains("analytics.posthog")
        .doesNotContain("seg_write_key_0123456789")
        .doesNotContain("phc_forwarding_it_0123456789");
  }
}
