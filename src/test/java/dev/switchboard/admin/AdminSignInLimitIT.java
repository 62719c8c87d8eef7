package dev.switchboard.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testing.HttpTestClient;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Sign-in attempts are limited per address, so a key cannot be guessed through the dashboard form.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "SWITCHBOARD_DATA_DIR=target/it-data/admin-sign-in-limit",
      "SWITCHBOARD_ADMIN_API_KEY=sk_admin_sign_in_limit_key_0123456789ab"
    })
class AdminSignInLimitIT {

  @LocalServerPort int port;

  @Test
  void signInWhenManyWrongKeysThenRateLimitedWithRetryAfter() {
    HttpTestClient http = new HttpTestClient(port);
    int unauthorized = 0;
    HttpResponse<String> last = null;
    for (int i = 0; i < 25; i++) {
      last =
          http.send(
              HttpRequest.newBuilder(URI.create(http.base() + "/admin/login"))
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "key=sk_guess_" + i + "_000000000000000000000000000000")));
      if (last.statusCode() == 401) {
        unauthorized++;
      } else {
        break;
      }
    }
    assertThat(unauthorized).isEqualTo(20);
    assertThat(last.statusCode()).isEqualTo(429);
    assertThat(last.body()).contains("\"code\":\"rate_limited\"");
    assertThat(last.headers().firstValue("Retry-After")).isPresent();
  }
}
