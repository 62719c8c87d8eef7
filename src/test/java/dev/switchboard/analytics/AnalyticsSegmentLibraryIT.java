package dev.switchboard.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import com.segment.analytics.Analytics;
import com.segment.analytics.messages.IdentifyMessage;
import com.segment.analytics.messages.PageMessage;
import com.segment.analytics.messages.TrackMessage;
import dev.switchboard.testing.Eventually;
import dev.switchboard.testing.HttpTestClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The official Segment Java library, pointed at Switchboard with its {@code endpoint} option:
 * identify, page and track, flushed; then the events are read back through the query API with their
 * user, properties and corrected timestamps.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "SWITCHBOARD_DATA_DIR=target/it-data/analytics-segment-library",
      "ANALYTICS_KEY=" + AnalyticsSegmentLibraryIT.KEY,
      "SWITCHBOARD_ADMIN_API_KEY=" + AnalyticsSegmentLibraryIT.ADMIN
    })
class AnalyticsSegmentLibraryIT {

  static final String KEY = "wk_segment_library_0123456789";
  static final String ADMIN = "sk_analytics_library_admin_0123456789abcdef";
  static final JsonMapper JSON = JsonMapper.builder().build();

  @LocalServerPort int port;

  @Test
  void segmentLibraryWhenIdentifyPageTrackFlushedThenReadableThroughQueryApi() {
    AtomicInteger failures = new AtomicInteger();
    Analytics analytics =
        Analytics.builder(KEY)
            .endpoint("http://127.0.0.1:" + port)
            .flushInterval(10, java.util.concurrent.TimeUnit.SECONDS)
            .callback(
                new com.segment.analytics.Callback() {
                  @Override
                  public void success(com.segment.analytics.messages.Message message) {}

                  @Override
                  public void failure(
                      com.segment.analytics.messages.Message message, Throwable throwable) {
                    failures.incrementAndGet();
                  }
                })
            .build();
    String user = "lib-" + UUID.randomUUID();
    Instant happened = Instant.now().minus(Duration.ofMinutes(30));
    try {
      analytics.enqueue(IdentifyMessage.builder().userId(user).traits(Map.of("plan", "pro")));
      analytics.enqueue(
          PageMessage.builder("Pricing").userId(user).properties(Map.of("path", "/pricing")));
      analytics.enqueue(
          TrackMessage.builder("feature_used")
              .userId(user)
              .properties(Map.of("feature_name", "export"))
              .timestamp(Date.from(happened)));
      analytics.flush();
    } finally {
      analytics.shutdown();
    }

    HttpTestClient api = new HttpTestClient(port).authorized(ADMIN);
    JsonNode[] mine = new JsonNode[1];
    Eventually.await(
        "three events of " + user,
        Duration.ofSeconds(20),
        () -> {
          HttpResponse<String> live = api.get("/api/analytics/live?limit=100");
          java.util.List<JsonNode> found = new java.util.ArrayList<>();
          for (JsonNode e : JSON.readTree(live.body()).path("events")) {
            if (e.path("userId").asString().equals(user)) {
              found.add(e);
            }
          }
          mine[0] = JSON.valueToTree(found);
          return found.size() == 3;
        });
    assertThat(failures.get()).isZero();
    Map<String, JsonNode> byType = new java.util.HashMap<>();
    mine[0].forEach(e -> byType.put(e.path("type").asString(), e));
    assertThat(byType.get("identify").path("message").path("traits").path("plan").asString())
        .isEqualTo("pro");
    assertThat(byType.get("page").path("event").asString()).isEqualTo("page_viewed");
    assertThat(byType.get("page").path("message").path("name").asString()).isEqualTo("Pricing");
    JsonNode track = byType.get("track");
    assertThat(track.path("message").path("properties").path("feature_name").asString())
        .isEqualTo("export");
    assertThat(track.path("message").path("context").path("library").path("name").asString())
        .isEqualTo("analytics-java");
    // receivedAt - (sentAt - timestamp): the same clock on both sides, so the event keeps its own
    // time.
    Instant corrected = Instant.parse(track.path("timestamp").asString());
    assertThat(Duration.between(happened, corrected).abs()).isLessThan(Duration.ofSeconds(5));
    assertThat(track.path("message").path("sentAt").asString()).isNotBlank();

    JsonNode counts =
        JSON.readTree(api.get("/api/analytics/events?event=feature_used&interval=day").body());
    assertThat(counts.path("series").get(0).path("total").asLong()).isGreaterThanOrEqualTo(1);
    JsonNode filtered =
        JSON.readTree(
            api.get(
                    "/api/analytics/events?event=feature_used&property=feature_name"
                        + "&value=export")
                .body());
    assertThat(filtered.path("series").get(0).path("total").asLong()).isGreaterThanOrEqualTo(1);
    JsonNode none =
        JSON.readTree(
            api.get(
                    "/api/analytics/events?event=feature_used&property=feature_name"
                        + "&value=import")
                .body());
    assertThat(none.path("series").size()).isZero();
  }
}
