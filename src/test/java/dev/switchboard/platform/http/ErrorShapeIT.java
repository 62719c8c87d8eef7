package dev.switchboard.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.monitoring.ErrorReporter;
import dev.switchboard.testing.HttpTestClient;
import dev.switchboard.testing.TestKeys;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"SWITCHBOARD_DATA_DIR=target/it-data/error-shape", TestKeys.ADMIN_PROPERTY})
class ErrorShapeIT {

  @LocalServerPort int port;

  @Autowired ErrorReporter reporter;

  HttpTestClient http;

  @BeforeEach
  void setUp() {
    http = new HttpTestClient(port);
  }

  @Test
  void unknownRouteThenNotFoundInErrorShape() {
    HttpResponse<String> response = http.get("/api/does-not-exist");
    assertThat(response.statusCode()).isEqualTo(404);
    assertErrorShape(response, 404, "not_found");
  }

  @Test
  void wrongMethodThenMethodNotAllowedWithAllowHeader() {
    HttpResponse<String> response = http.post("/actuator/health", "{}");
    assertThat(response.statusCode()).isEqualTo(405);
    assertErrorShape(response, 405, "method_not_allowed");
  }

  @Test
  void contentLengthOverLimitThenPayloadTooLarge() {
    String big = "{\"x\":\"" + "a".repeat((int) BodySizeLimit.DEFAULT_MAX_BYTES) + "\"}";
    HttpResponse<String> response = http.post("/api/does-not-exist", big);
    assertThat(response.statusCode()).isEqualTo(413);
    assertErrorShape(response, 413, "payload_too_large");
  }

  @Test
  void chunkedBodyGrowingPastLimitThenPayloadTooLargeAndNothingCreated() {
    HttpTestClient admin = http.authorized(TestKeys.ADMIN);
    int before = admin.get("/api/keys").body().split("\"id\"").length;
    byte[] big =
        ("{\"name\":\""
                + "a".repeat((int) BodySizeLimit.DEFAULT_MAX_BYTES)
                + "\",\"scopes\":[\"admin\"]}")
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    // An input-stream body has no known length, so it is sent chunked: the limit must hold while
    // reading.
    HttpResponse<String> response =
        admin.send(
            HttpRequest.newBuilder(URI.create(http.base() + "/api/keys"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(big))));
    assertThat(response.statusCode()).isEqualTo(413);
    assertErrorShape(response, 413, "payload_too_large");
    assertThat(admin.get("/api/keys").body().split("\"id\"").length).isEqualTo(before);
  }

  @Test
  void errorPathRequestedDirectlyThenNotFoundAndNothingReported() {
    for (String method : new String[] {"GET", "POST"}) {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(http.base() + "/error"))
                  .method(method, HttpRequest.BodyPublishers.noBody()));
      assertThat(response.statusCode()).isEqualTo(404);
      assertErrorShape(response, 404, "not_found");
    }
    // Reports are written in the background: without this, "nothing reported" would hold for a
    // report still queued.
    reporter.flush(Duration.ofSeconds(10));
    assertThat(http.authorized(TestKeys.ADMIN).get("/api/errors").body()).contains("\"total\":0");
  }

  @Test
  void malformedJsonThenBadRequestWithStableCode() {
    HttpResponse<String> response =
        http.authorized(TestKeys.ADMIN).post("/api/keys", "{\"name\": \"x\", ");
    assertThat(response.statusCode()).isEqualTo(400);
    assertErrorShape(response, 400, "malformed_json");
  }

  static void assertErrorShape(HttpResponse<String> response, int status, String code) {
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    String requestId = response.headers().firstValue(RequestIds.HEADER).orElseThrow();
    assertThat(response.body())
        .contains("\"status\":" + status)
        .contains("\"code\":\"" + code + "\"")
        .contains("\"message\":")
        .contains("\"requestId\":\"" + requestId + "\"");
  }
}
