package dev.switchboard.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testing.HttpTestClient;
import dev.switchboard.testing.TestKeys;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"SWITCHBOARD_DATA_DIR=target/it-data/monitoring-map", TestKeys.ADMIN_PROPERTY})
class IntegrationMapIT {

  @LocalServerPort int port;

  @Autowired JsonMapper json;

  HttpTestClient http;

  @BeforeEach
  void setUp() {
    http = new HttpTestClient(port).authorized(TestKeys.ADMIN);
  }

  JsonNode map() {
    HttpResponse<String> response = http.get("/api/integrations");
    assertThat(response.statusCode()).isEqualTo(200);
    return json.readTree(response.body());
  }

  @Test
  void integrationsWhenNoKeyOrWrongKeyThen401AndHealthStaysPublic() {
    HttpTestClient anonymous = new HttpTestClient(port);
    HttpResponse<String> missing = anonymous.get("/api/integrations");
    assertThat(missing.statusCode()).isEqualTo(401);
    assertThat(missing.body()).contains("\"code\":\"missing_api_key\"");
    HttpResponse<String> wrong =
        anonymous.get(
            "/api/integrations", "Authorization", "Bearer sk_unknown_key_unknown_key_unknown_000");
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.body()).contains("\"code\":\"invalid_api_key\"");
    assertThat(anonymous.get("/api/health").statusCode()).isEqualTo(200);
  }

  @Test
  void integrationsWhenNoEnvironmentThenDatabaseIsUpOnEmbeddedH2() {
    HttpResponse<String> response = http.get("/api/integrations");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Cache-Control"))
        .hasValueSatisfying(v -> assertThat(v).contains("no-store"));
    JsonNode body = json.readTree(response.body());
    assertThat(body.get("status").asString()).isEqualTo("up");
    JsonNode database = body.get("integrations").get(0);
    assertThat(database.get("id").asString()).isEqualTo("database");
    assertThat(database.get("area").asString()).isEqualTo("platform");
    assertThat(database.get("provider").asString()).isEqualTo("h2");
    assertThat(database.get("mode").asString()).isEqualTo("embedded");
    assertThat(database.get("configured").asBoolean()).isFalse();
    assertThat(database.get("config").get("DATABASE_URL").asString()).startsWith("jdbc:h2:file:");
    assertThat(database.get("rateLimits").isObject()).isTrue();
    JsonNode health = database.get("health");
    assertThat(health.get("status").asString()).isEqualTo("up");
    assertThat(health.get("detail").asString()).isEqualTo("SELECT 1 ok");
    assertThat(health.get("latencyMs").isNumber()).isTrue();
    assertThat(health.get("checkedAt").asString()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    assertThat(health.get("since").asString()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
  }

  @Test
  void healthWhenDatabaseUpThenPublicSummaryWithoutConfiguration() {
    HttpResponse<String> response = http.get("/api/health");

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode body = json.readTree(response.body());
    assertThat(body.get("status").asString()).isEqualTo("up");
    assertThat(body.get("integrations").get("database").asString()).isEqualTo("up");
    assertThat(response.body()).doesNotContain("DATABASE_URL").doesNotContain("jdbc:");
  }

  @Test
  void actuatorWhenDatabaseUpThenHealthReadinessAndLivenessUp() {
    HttpResponse<String> health = http.get("/actuator/health");
    assertThat(health.statusCode()).isEqualTo(200);
    JsonNode body = json.readTree(health.body());
    assertThat(body.get("status").asString()).isEqualTo("UP");
    assertThat(body.get("components").get("integrations").get("status").asString()).isEqualTo("UP");

    assertThat(http.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
    assertThat(http.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
  }

  @Test
  void prometheusWhenScrapedThenIntegrationGaugesPresent() {
    HttpResponse<String> response = http.get("/actuator/prometheus");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body())
        .contains("switchboard_integration_up{integration=\"database\",provider=\"h2\"} 1.0")
        .containsPattern(
            "switchboard_integration_check_latency_seconds\\{integration=\"database\",provider=\"h2\"} \\d");
  }

  static Stream<Arguments> badRequests() {
    return Stream.of(
        Arguments.of("POST", "/api/integrations", null, 405, "method_not_allowed"),
        Arguments.of("DELETE", "/api/health", null, 405, "method_not_allowed"),
        Arguments.of("GET", "/api/integrations/nope", null, 404, "not_found"),
        Arguments.of("GET", "/api/integrations", "application/xml", 406, "not_acceptable"));
  }

  @ParameterizedTest
  @MethodSource("badRequests")
  void requestWhenInvalidThenErrorShapeAndMapUnchanged(
      String method, String path, String accept, int status, String code) {
    JsonNode before = map().get("integrations");
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(http.base() + path))
            .method(method, HttpRequest.BodyPublishers.noBody());
    if (accept != null) {
      request.header("Accept", accept);
    }

    HttpResponse<String> response = http.send(request);

    assertThat(response.statusCode()).isEqualTo(status);
    JsonNode error = json.readTree(response.body());
    assertThat(error.get("status").asInt()).isEqualTo(status);
    assertThat(error.get("code").asString()).isEqualTo(code);
    assertThat(error.get("requestId").asString()).isNotBlank();
    JsonNode after = map().get("integrations");
    assertThat(after.size()).isEqualTo(before.size());
    for (int i = 0; i < before.size(); i++) {
      assertThat(after.get(i).get("id")).isEqualTo(before.get(i).get("id"));
      assertThat(after.get(i).get("config")).isEqualTo(before.get(i).get("config"));
      assertThat(after.get(i).get("health").get("status"))
          .isEqualTo(before.get(i).get("health").get("status"));
    }
  }
}
