package dev.switchboard.platform.apikeys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testing.HttpTestClient;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Wrong keys are counted by the rate limit like anonymous requests, so they are no way around it.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "SWITCHBOARD_DATA_DIR=target/it-data/invalid-key-rate-limit",
      "SWITCHBOARD_API_RATE_LIMIT=3/min"
    })
class InvalidKeyRateLimitIT {

  @LocalServerPort int port;

  @Test
  void requestWhenWrongKeysBeyondTheLimitThen429InsteadOf401() {
    HttpTestClient http = new HttpTestClient(port);
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> wrong =
          http.get(
              "/api/ping",
              "Authorization",
              "Bearer sk_wrong_" + i + "_000000000000000000000000000000000000");
      assertThat(wrong.statusCode()).isEqualTo(401);
      assertThat(wrong.body()).contains("\"code\":\"invalid_api_key\"");
      assertThat(wrong.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
    }
    HttpResponse<String> limited =
        http.get(
            "/api/ping", "Authorization", "Bearer sk_wrong_4_000000000000000000000000000000000000");
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.body()).contains("\"code\":\"rate_limited\"");
    assertThat(limited.headers().firstValue("Retry-After")).isPresent();
  }
}
