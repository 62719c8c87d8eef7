package dev.switchboard.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testing.HttpTestClient;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Segment-compatible ingest against the running service: accepted calls, enrichment, and every bad
 * input of the issue (none a 5xx, none losing the valid messages around it). On H2 here; {@link
 * AnalyticsIngestPostgresIT} runs the same cases on PostgreSQL.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "SWITCHBOARD_DATA_DIR=target/it-data/analytics-ingest",
      "ANALYTICS_KEY=" + AnalyticsIngestIT.OLD_KEY + "," + AnalyticsIngestIT.KEY,
      "SWITCHBOARD_ADMIN_API_KEY=" + AnalyticsIngestIT.ADMIN_KEY
    })
class AnalyticsIngestIT {

  static final String KEY = "wk_test_current_0123456789";
  static final String OLD_KEY = "wk_test_previous_0123456789";
  static final String ADMIN_KEY = "sk_analytics_admin_key_0123456789abcdef";
  static final JsonMapper JSON = JsonMapper.builder().build();

  @LocalServerPort int port;
  @Autowired DataSource dataSource;

  HttpTestClient http;
  JdbcClient jdbc;
  String user;

  @BeforeEach
  void setUp() {
    http = new HttpTestClient(port);
    jdbc = JdbcClient.create(dataSource);
    user = "user-" + UUID.randomUUID();
  }

  static String basic(String key) {
    return "Basic "
        + Base64.getEncoder().encodeToString((key + ":").getBytes(StandardCharsets.UTF_8));
  }

  HttpResponse<String> post(String path, String body, String... headers) {
    return http.post(path, body, concat(new String[] {"Authorization", basic(KEY)}, headers));
  }

  HttpResponse<String> postBytes(String path, byte[] body, String... headers) {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)),
        concat(new String[] {"Authorization", basic(KEY)}, headers));
  }

  static String[] concat(String[] a, String[] b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  long stored(String userId) {
    return jdbc.sql("SELECT COUNT(*) FROM analytics_events WHERE user_id = ?")
        .param(userId)
        .query(Long.class)
        .single();
  }

  JsonNode payload(String userId) {
    return JSON.readTree(
        jdbc.sql("SELECT payload FROM analytics_events WHERE user_id = ? ORDER BY id")
            .param(userId)
            .query(String.class)
            .list()
            .get(0));
  }

  static JsonNode body(HttpResponse<String> response) {
    return JSON.readTree(response.body());
  }

  static void assertError(HttpResponse<String> response, int status, String code) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    JsonNode body = body(response);
    assertThat(body.path("code").asString()).isEqualTo(code);
    assertThat(body.path("requestId").asString()).isNotBlank();
  }

  static void assertRejected(HttpResponse<String> response, int index, String code) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode rejected = body(response).path("rejected");
    assertThat(rejected.isArray()).as(response.body()).isTrue();
    boolean found = false;
    for (JsonNode r : rejected) {
      found |= r.path("index").asInt() == index && r.path("code").asString().equals(code);
    }
    assertThat(found).as(response.body()).isTrue();
  }

  @Test
  void trackWhenValidWithBasicKeyThenStoredEnrichedAndAnswered200() {
    HttpResponse<String> response =
        post(
            "/v1/track",
            "{\"userId\":\""
                + user
                + "\",\"event\":\"feature_used\","
                + "\"properties\":{\"feature_name\":\"export\"},\"context\":{\"page\":{\"url\":"
                + "\"https://app.example.com/p?utm_source=news&utm_campaign=winter%20sale&x=1\"}}}",
            "X-Forwarded-For",
            "203.0.113.77",
            "User-Agent",
            "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("{\"success\":true}");
    assertThat(response.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/json");
    JsonNode stored = payload(user);
    assertThat(stored.path("event").asString()).isEqualTo("feature_used");
    assertThat(stored.path("properties").path("feature_name").asString()).isEqualTo("export");
    assertThat(stored.path("messageId").asString()).startsWith("sb-");
    assertThat(stored.path("context").path("ip").asString()).isEqualTo("203.0.113.0");
    assertThat(stored.toString()).doesNotContain("203.0.113.77").doesNotContain(KEY);
    assertThat(stored.path("context").path("userAgent").asString()).contains("Firefox");
    assertThat(stored.path("context").path("campaign").path("source").asString()).isEqualTo("news");
    assertThat(stored.path("context").path("campaign").path("name").asString())
        .isEqualTo("winter sale");
    assertThat(stored.path("receivedAt").asString()).isNotBlank();
  }

  @Test
  void ingestWhenAnyCallPathThenEachStoredAsItsTypeAndUnknownCallsAre404() {
    String[][] paths = {
      {"/v1/track", "track"},
      {"/v1/t/", "track"},
      {"/v1/page/", "page"},
      {"/v1/p", "page"},
      {"/v1/screen", "screen"},
      {"/v1/s/", "screen"},
      {"/v1/identify/", "identify"},
      {"/v1/i", "identify"},
      {"/v1/group", "group"},
      {"/v1/g/", "group"},
      {"/v1/alias/", "alias"},
      {"/v1/a", "alias"}
    };
    for (String[] path : paths) {
      HttpResponse<String> response =
          post(
              path[0],
              "{\"userId\":\""
                  + user
                  + "\",\"event\":\"e\",\"groupId\":\"g\",\"previousId\":\"p-"
                  + user
                  + "\"}");
      assertThat(response.statusCode()).as(path[0] + " " + response.body()).isEqualTo(200);
      assertThat(response.body()).as(path[0]).isEqualTo("{\"success\":true}");
      assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
    }
    for (String path : new String[] {"/v1/batch", "/v1/b/", "/v1/import/"}) {
      HttpResponse<String> response =
          post(
              path,
              "{\"batch\":[{\"type\":\"track\",\"userId\":\"" + user + "\",\"event\":\"e\"}]}");
      assertThat(response.statusCode()).as(path + " " + response.body()).isEqualTo(200);
    }
    assertThat(
            jdbc.sql("SELECT type FROM analytics_events WHERE user_id = ? ORDER BY id")
                .param(user)
                .query(String.class)
                .list())
        .containsExactly(
            "track",
            "track",
            "page",
            "page",
            "screen",
            "screen",
            "identify",
            "identify",
            "group",
            "group",
            "alias",
            "alias",
            "track",
            "track",
            "track");
    assertError(post("/v1/nope", "{}"), 404, "not_found");
    assertError(post("/v1/trackx/", "{}"), 404, "not_found");
  }

  @Test
  void trackWhenWriteKeyInBodyOrOldKeyThenAccepted() {
    HttpResponse<String> inBody =
        http.post(
            "/v1/t",
            "{\"writeKey\":\"" + KEY + "\",\"userId\":\"" + user + "\",\"event\":\"a\"}",
            "Content-Type",
            "text/plain");
    HttpResponse<String> rotated =
        http.post(
            "/v1/track",
            "{\"userId\":\"" + user + "\",\"event\":\"b\"}",
            "Authorization",
            basic(OLD_KEY));

    assertThat(inBody.statusCode()).as(inBody.body()).isEqualTo(200);
    assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(200);
    assertThat(stored(user)).isEqualTo(2);
    assertThat(payload(user).has("writeKey")).isFalse();
  }

  @Test
  void ingestWhenKeyUnknownOrMissingThen401AndNothingStored() {
    String body = "{\"userId\":\"" + user + "\",\"event\":\"x\"}";
    assertError(
        http.post("/v1/track", body, "Authorization", basic("wk_wrong")), 401, "invalid_write_key");
    assertError(http.post("/v1/track", body), 401, "invalid_write_key");
    assertError(
        http.post(
            "/v1/track", "{\"writeKey\":\"wk_wrong\",\"userId\":\"" + user + "\",\"event\":\"x\"}"),
        401,
        "invalid_write_key");
    assertThat(stored(user)).isZero();
  }

  @Test
  void ingestWhenBodyIsNotJsonOrNotUtf8Then400() {
    assertError(post("/v1/track", "{\"userId\":"), 400, "invalid_json");
    assertError(post("/v1/track", "[1,2]"), 400, "invalid_json");
    assertError(post("/v1/batch", "{\"batch\":\"no\"}"), 400, "invalid_batch");
    byte[] invalidUtf8 =
        ("{\"userId\":\"" + user + "\",\"event\":\"x\",\"properties\":{\"a\":\"")
            .getBytes(StandardCharsets.UTF_8);
    byte[] body = java.util.Arrays.copyOf(invalidUtf8, invalidUtf8.length + 4);
    body[invalidUtf8.length] = (byte) 0xC3;
    body[invalidUtf8.length + 1] = (byte) 0x28;
    body[invalidUtf8.length + 2] = '"';
    body[invalidUtf8.length + 3] = '}';
    assertError(
        postBytes("/v1/track", java.util.Arrays.copyOf(body, body.length + 1)),
        400,
        "invalid_json");
    assertThat(stored(user)).isZero();
  }

  @Test
  void singleCallWhenInvalidThen200WithRejectionAndNothingStored() {
    assertRejected(
        post("/v1/track", "{\"userId\":\"" + user + "\",\"event\":\"x\",\"properties\":\"str\"}"),
        0,
        "invalid_field_type");
    assertRejected(post("/v1/track", "{\"event\":\"x\"}"), 0, "no_user_anon_id");
    assertRejected(post("/v1/track", "{\"userId\":\"" + user + "\"}"), 0, "missing_event");
    assertRejected(post("/v1/track", "{\"userId\":{\"a\":1},\"event\":\"x\"}"), 0, "invalid_id");
    assertRejected(
        post(
            "/v1/track",
            "{\"userId\":\""
                + user
                + "\",\"event\":\"x\",\"messageId\":\""
                + "m".repeat(100)
                + "\"}"),
        0,
        "invalid_message_id");
    assertRejected(
        post(
            "/v1/track",
            "{\"userId\":\"" + user + "\",\"event\":\"x\",\"timestamp\":\"yesterday\"}"),
        0,
        "invalid_timestamp");
    assertRejected(post("/v1/alias", "{\"userId\":\"" + user + "\"}"), 0, "missing_previous_id");
    assertThat(stored(user)).isZero();
  }

  @Test
  void ingestWhenOversizeThen400AndNothingStored() {
    String big = "x".repeat(33 * 1024);
    assertError(
        post(
            "/v1/track",
            "{\"userId\":\"" + user + "\",\"event\":\"x\",\"properties\":{\"a\":\"" + big + "\"}}"),
        400,
        "event_too_large");
    StringBuilder batch = new StringBuilder("{\"batch\":[");
    for (int i = 0; i < 20; i++) {
      batch
          .append(i == 0 ? "" : ",")
          .append("{\"type\":\"track\",\"userId\":\"")
          .append(user)
          .append("\",\"event\":\"x\",\"properties\":{\"a\":\"")
          .append("y".repeat(30 * 1024))
          .append("\"}}");
    }
    assertError(post("/v1/batch", batch.append("]}").toString()), 400, "batch_too_large");
    // An item over 32 KB inside an acceptable batch is rejected alone.
    HttpResponse<String> mixed =
        post(
            "/v1/batch",
            "{\"batch\":[{\"type\":\"track\",\"userId\":\""
                + user
                + "\",\"event\":\"ok\"},{\"type\":\"track\",\"userId\":\""
                + user
                + "\",\"event\":\"x\",\"properties\":{\"a\":\""
                + big
                + "\"}}]}");
    assertRejected(mixed, 1, "event_too_large");
    assertThat(stored(user)).isEqualTo(1);
  }

  @Test
  void batchWhen2501EventsThenFirst2500StoredAndTheLastRejected() {
    StringBuilder batch = new StringBuilder("{\"batch\":[");
    for (int i = 0; i < 2_501; i++) {
      batch
          .append(i == 0 ? "" : ",")
          .append("{\"type\":\"track\",\"userId\":\"")
          .append(user)
          .append("\",\"event\":\"e\",\"messageId\":\"m")
          .append(i)
          .append('-')
          .append(user.substring(5, 30))
          .append("\"}");
    }
    HttpResponse<String> response = post("/v1/batch", batch.append("]}").toString());

    assertRejected(response, 2_500, "too_many_events");
    assertThat(body(response).path("rejected").size()).isEqualTo(1);
    assertThat(stored(user)).isEqualTo(2_500);
  }

  @Test
  void batchWhenSomeItemsInvalidThenValidOnesStoredAndInvalidOnesListed() {
    HttpResponse<String> response =
        post(
            "/v1/batch",
            "{\"batch\":["
                + "{\"type\":\"track\",\"userId\":\""
                + user
                + "\",\"event\":\"kept_1\"},"
                + "{\"type\":\"track\",\"event\":\"no_ids\"},"
                + "{\"type\":\"launch\",\"userId\":\""
                + user
                + "\"},"
                + "\"not an object\","
                + "{\"type\":\"page\",\"userId\":\""
                + user
                + "\",\"name\":\"Home\"}],"
                + "\"context\":{\"device\":{\"type\":\"phone\"}},\"integrations\":{\"All\":false,\"PostHog\":true}}");

    assertRejected(response, 1, "no_user_anon_id");
    assertRejected(response, 2, "invalid_type");
    assertRejected(response, 3, "invalid_message");
    assertThat(stored(user)).isEqualTo(2);
    JsonNode first = payload(user);
    assertThat(first.path("context").path("device").path("type").asString()).isEqualTo("phone");
    assertThat(first.path("integrations").path("PostHog").asBoolean()).isTrue();
    assertThat(
            jdbc.sql("SELECT event FROM analytics_events WHERE user_id = ? ORDER BY id")
                .param(user)
                .query(String.class)
                .list())
        .containsExactly("kept_1", "page_viewed");
  }

  @Test
  void ingestWhenSameMessageIdSent1000TimesThenStoredOnce() {
    String message =
        "{\"type\":\"track\",\"userId\":\""
            + user
            + "\",\"event\":\"dup\",\"messageId\":\"same-"
            + user.substring(5, 30)
            + "\"}";
    StringBuilder batch = new StringBuilder("{\"batch\":[");
    for (int i = 0; i < 980; i++) {
      batch.append(i == 0 ? "" : ",").append(message);
    }
    assertThat(post("/v1/batch", batch.append("]}").toString()).statusCode()).isEqualTo(200);
    for (int i = 0; i < 20; i++) {
      assertThat(post("/v1/track", message).statusCode()).isEqualTo(200);
    }
    assertThat(stored(user)).isEqualTo(1);
  }

  @Test
  void ingestWhenClockSkewedOrTimestampAbsurdThenTimestampCorrected() {
    Instant now = Instant.now();
    // The client's clock is an hour ahead; the event happened 5 minutes before it was sent.
    post(
        "/v1/track",
        "{\"userId\":\""
            + user
            + "\",\"event\":\"skewed\",\"timestamp\":\""
            + now.plus(Duration.ofMinutes(55))
            + "\",\"sentAt\":\""
            + now.plus(Duration.ofHours(1))
            + "\"}");
    post(
        "/v1/track",
        "{\"userId\":\""
            + user
            + "\",\"event\":\"future\",\"timestamp\":\"2999-01-01T00:00:00Z\"}");
    post(
        "/v1/track",
        "{\"userId\":\"" + user + "\",\"event\":\"past\",\"timestamp\":\"1970-01-01T00:00:00Z\"}");
    HttpResponse<String> extreme =
        post(
            "/v1/track",
            "{\"userId\":\""
                + user
                + "\",\"event\":\"extreme\","
                + "\"timestamp\":\"+999999999-12-31T23:59:59Z\",\"sentAt\":\"-999999999-01-01T00:00:00Z\"}");
    assertThat(extreme.statusCode()).as(extreme.body()).isEqualTo(200);

    java.util.Map<String, Instant> at = new java.util.HashMap<>();
    jdbc.sql("SELECT event, occurred_at FROM analytics_events WHERE user_id = ?")
        .param(user)
        .query(
            (rs, n) ->
                at.put(
                    rs.getString(1), rs.getObject(2, java.time.OffsetDateTime.class).toInstant()))
        .list();
    assertThat(Duration.between(at.get("skewed"), now.minus(Duration.ofMinutes(5))).abs())
        .isLessThan(Duration.ofSeconds(10));
    assertThat(Duration.between(at.get("future"), now).abs()).isLessThan(Duration.ofSeconds(10));
    assertThat(Duration.between(at.get("past"), now).abs()).isLessThan(Duration.ofSeconds(10));
    assertThat(Duration.between(at.get("extreme"), now).abs()).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void ingestWhenNulBytesOrDeepNestingThenNo5xx() {
    HttpResponse<String> nul =
        post(
            "/v1/track",
            "{\"userId\":\""
                + user
                + "\",\"event\":\"nul\\u0000name\","
                + "\"properties\":{\"a\\u0000\":\"b\\u0000c\"},\"anonymousId\":\"anon\\u0000\"}");
    assertThat(nul.statusCode()).as(nul.body()).isEqualTo(200);
    assertThat(stored(user)).isEqualTo(1);

    String deep = "{\"a\":".repeat(40) + "1" + "}".repeat(40);
    assertRejected(
        post(
            "/v1/track",
            "{\"userId\":\"" + user + "\",\"event\":\"deep\",\"properties\":" + deep + "}"),
        0,
        "too_deep");
    String deeper = "[".repeat(5_000) + "]".repeat(5_000);
    HttpResponse<String> tooDeep =
        post(
            "/v1/track",
            "{\"userId\":\"" + user + "\",\"event\":\"d\",\"properties\":{\"a\":" + deeper + "}}");
    assertError(tooDeep, 400, "invalid_json");
    assertThat(stored(user)).isEqualTo(1);
  }

  @Test
  void ingestWhenGzipOrBotThenHandledLikeSegment() throws Exception {
    ByteArrayOutputStream zipped = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(zipped)) {
      gzip.write(
          ("{\"batch\":[{\"type\":\"identify\",\"userId\":\""
                  + user
                  + "\",\"traits\":{\"plan\":\"pro\"}}]}")
              .getBytes(StandardCharsets.UTF_8));
    }
    HttpResponse<String> gz =
        postBytes(
            "/v1/batch",
            zipped.toByteArray(),
            "Content-Encoding",
            "gzip",
            "Content-Type",
            "application/json");
    assertThat(gz.statusCode()).as(gz.body()).isEqualTo(200);
    assertError(
        postBytes(
            "/v1/batch", "not gzip".getBytes(StandardCharsets.UTF_8), "Content-Encoding", "gzip"),
        400,
        "invalid_gzip");

    HttpResponse<String> bot =
        post(
            "/v1/page",
            "{\"userId\":\"" + user + "\",\"name\":\"Home\"}",
            "User-Agent",
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)");
    assertThat(bot.statusCode()).isEqualTo(200);
    assertThat(stored(user)).isEqualTo(1);
  }

  @Test
  void preflightWhenOriginSentThenCorsHeaders() {
    HttpResponse<String> preflight =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/batch"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()),
            "Origin",
            "http://localhost:3000",
            "Access-Control-Request-Method",
            "POST");

    assertThat(preflight.statusCode()).isEqualTo(204);
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin"))
        .contains("http://localhost:3000");
  }
}
