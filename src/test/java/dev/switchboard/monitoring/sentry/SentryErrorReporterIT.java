package dev.switchboard.monitoring.sentry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.monitoring.ErrorReporter;
import dev.switchboard.monitoring.FailingRoutes;
import dev.switchboard.platform.integrations.HealthStatus;
import dev.switchboard.platform.integrations.Integration;
import dev.switchboard.testing.HttpTestClient;
import dev.switchboard.testing.TestKeys;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Sentry adapter against a local ingest endpoint speaking the envelope protocol. The context is
 * closed after the class, which shuts the SDK down so no other test reports to a stopped server.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(FailingRoutes.class)
@DirtiesContext
class SentryErrorReporterIT {

  static final String SEGMENT_KEY = "seg_sentry_it_0a1b2c3d4e5f6789";
  static final String[] NEVER_SENT = {
    SEGMENT_KEY,
    "query-token-value",
    "cookie-session-value",
    "authorization-bearer-value",
    "x-api-key-value",
    "body-password-value"
  };

  static FakeSentryIngest ingest;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    ingest = new FakeSentryIngest();
    registry.add("SENTRY_DSN", () -> ingest.dsn("publickey"));
    registry.add("SENTRY_ENVIRONMENT", () -> "it-sentry");
    registry.add("SWITCHBOARD_ADMIN_API_KEY", () -> TestKeys.ADMIN);
    registry.add("SWITCHBOARD_DATA_DIR", () -> "target/it-data/errors-sentry");
    registry.add("SEGMENT_WRITE_KEY", () -> SEGMENT_KEY);
  }

  @AfterAll
  static void stopIngest() {
    ingest.close();
  }

  @LocalServerPort int port;

  @Autowired ErrorReporter reporter;

  @Autowired JsonMapper json;

  @Autowired JdbcClient jdbc;

  @Autowired
  @Qualifier("errorsIntegration")
  Integration integration;

  HttpTestClient http;

  @BeforeEach
  void setUp() {
    http = new HttpTestClient(port).authorized(TestKeys.ADMIN);
    reporter.flush(Duration.ofSeconds(5));
    ingest.clear();
  }

  @Test
  void reportWhenRequestFailsWithSecretThenEventCarriesContextButNoCredentialsAndSecretIsMasked()
      throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        http.base() + FailingRoutes.SECRET_PATH + "?token=query-token-value"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString("{\"password\":\"body-password-value\"}")),
            "Authorization",
            "Basic authorization-bearer-value",
            "Cookie",
            "session=cookie-session-value",
            "X-Api-Key",
            "x-api-key-value",
            "User-Agent",
            "switchboard-it/1.0");

    assertThat(response.statusCode()).isEqualTo(500);
    String requestId = response.headers().firstValue("X-Request-Id").orElseThrow();
    JsonNode body = json.readTree(response.body());
    assertThat(body.get("message").asString()).startsWith("Something went wrong on our side");
    assertThat(body.get("requestId").asString()).isEqualTo(requestId);

    reporter.flush(Duration.ofSeconds(5));
    FakeSentryIngest.Envelope envelope = nextEventEnvelope();
    assertThat(envelope.auth()).contains("sentry_key=publickey");
    assertThat(envelope.raw()).doesNotContain(NEVER_SENT);
    JsonNode event = json.readTree(eventPayload(envelope));

    assertThat(event.get("environment").asString()).isEqualTo("it-sentry");
    JsonNode exception = event.get("exception").get("values").get(0);
    assertThat(exception.get("type").asString()).isEqualTo("IllegalStateException");
    assertThat(exception.get("value").asString()).isEqualTo("Segment rejected write key ****");
    assertThat(event.get("tags").get("request_id").asString()).isEqualTo(requestId);

    JsonNode user = event.get("user");
    assertThat(user.get("id").asString())
        .isEqualTo(expectedUserHash(FailingRoutes.CALLER_ID))
        .isNotEqualTo(FailingRoutes.CALLER_ID);
    assertThat(user.has("email")).isFalse();
    assertThat(user.has("ip_address")).isFalse();

    JsonNode request = event.get("request");
    assertThat(request.get("method").asString()).isEqualTo("POST");
    assertThat(request.get("url").asString())
        .isEqualTo("http://localhost:8080" + FailingRoutes.SECRET_PATH);
    assertThat(request.has("cookies")).isFalse();
    assertThat(request.has("query_string")).isFalse();
    assertThat(request.has("data")).isFalse();
    assertThat(request.get("headers").propertyNames()).containsExactly("User-Agent");
    assertThat(request.get("headers").get("User-Agent").asString()).isEqualTo("switchboard-it/1.0");

    JsonNode crumb = breadcrumbs(event).get(0);
    assertThat(crumb.get("category").asString()).isEqualTo("http.segment");
    assertThat(crumb.get("message").asString()).isEqualTo("POST /v1/batch with key **** → 401");
  }

  @Test
  void reportWhenClientErrorThenNothingIsSentAndNextServerErrorIs() throws Exception {
    HttpTestClient anonymous = new HttpTestClient(port);
    HttpResponse<String> notFound = anonymous.get("/api/no-such-route");
    HttpResponse<String> failure = anonymous.get(FailingRoutes.OTHER_PATH);

    assertThat(notFound.statusCode()).isEqualTo(404);
    assertThat(failure.statusCode()).isEqualTo(500);
    reporter.flush(Duration.ofSeconds(5));
    JsonNode event = json.readTree(eventPayload(nextEventEnvelope()));
    assertThat(event.get("tags").get("request_id").asString())
        .isEqualTo(failure.headers().firstValue("X-Request-Id").orElseThrow());
    assertThat(event.get("exception").get("values").get(0).get("type").asString())
        .isEqualTo("UnsupportedOperationException");
    assertThat(event.has("user")).as(event.toString()).isFalse();
  }

  @Test
  void integrationWhenDsnSetThenLiveSentryWithMaskedDsnAndUp() throws Exception {
    assertThat(integration.provider()).isEqualTo("sentry");
    assertThat(integration.mode()).isEqualTo(Integration.Mode.LIVE);
    assertThat(integration.configured()).isTrue();
    assertThat(integration.maskedConfig().get("SENTRY_DSN"))
        .isEqualTo("http://****@127.0.0.1:" + URI.create(ingest.dsn("publickey")).getPort() + "/…")
        .doesNotContain("publickey");
    assertThat(integration.maskedConfig()).containsEntry("SENTRY_ENVIRONMENT", "it-sentry");
    assertThat(integration.healthCheck().check().status()).isEqualTo(HealthStatus.UP);
  }

  private FakeSentryIngest.Envelope nextEventEnvelope() throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(10);
    while (Instant.now().isBefore(deadline)) {
      FakeSentryIngest.Envelope envelope = ingest.next(Duration.ofMillis(500));
      if (envelope != null
          && envelope.items().stream().anyMatch(i -> i.header().contains("\"type\":\"event\""))) {
        return envelope;
      }
    }
    throw new AssertionError("no event envelope reached the ingest endpoint within 10 s");
  }

  private static String eventPayload(FakeSentryIngest.Envelope envelope) {
    return envelope.items().stream()
        .filter(i -> i.header().contains("\"type\":\"event\""))
        .findFirst()
        .orElseThrow()
        .payload();
  }

  /** Breadcrumbs as a list, whichever of the two shapes the SDK writes. */
  private static JsonNode breadcrumbs(JsonNode event) {
    JsonNode crumbs = event.get("breadcrumbs");
    return crumbs.isArray() ? crumbs : crumbs.get("values");
  }

  private String expectedUserHash(String callerId) throws Exception {
    String salt =
        jdbc.sql("SELECT setting_value FROM error_settings WHERE setting_key = 'user_hash_salt'")
            .query(String.class)
            .single();
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(salt.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return HexFormat.of().formatHex(mac.doFinal(callerId.getBytes(StandardCharsets.UTF_8)));
  }
}
