package dev.switchboard.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;

/** The error-shape assertion of the idempotency tests. */
final class ErrorShape {

  private ErrorShape() {}

  static void assertErrorShape(HttpResponse<String> response, int status, String code) {
    assertThat(response.statusCode()).isEqualTo(status);
    ErrorShapeIT.assertErrorShape(response, status, code);
  }
}
