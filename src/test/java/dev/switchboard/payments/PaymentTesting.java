package dev.switchboard.payments;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Assertions and polling shared by the payments integration tests. */
final class PaymentTesting {

  static final JsonMapper JSON = JsonMapper.builder().build();

  private PaymentTesting() {}

  static JsonNode json(HttpResponse<String> response) {
    return JSON.readTree(response.body());
  }

  /** The error shape of DESIGN.md with a stable code. */
  static void assertError(HttpResponse<String> response, int status, String code) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    JsonNode body = json(response);
    assertThat(body.path("status").asInt()).isEqualTo(status);
    assertThat(body.path("code").asString()).isEqualTo(code);
    assertThat(body.path("message").asString()).isNotBlank();
    assertThat(body.path("requestId").asString()).isNotBlank();
  }
}
