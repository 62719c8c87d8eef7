package dev.switchboard.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Asserts the error shape of DESIGN.md: {@code {status, code, message, requestId}}. */
final class Errors {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private Errors() {}

  static JsonNode assertError(HttpResponse<String> response, int status, String code) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.path("status").asInt()).isEqualTo(status);
    assertThat(body.path("code").asString()).isEqualTo(code);
    assertThat(body.path("message").asString()).isNotBlank();
    assertThat(body.path("requestId").asString()).isNotBlank();
    return body;
  }
}
