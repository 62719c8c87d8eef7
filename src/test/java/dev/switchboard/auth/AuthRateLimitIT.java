package dev.switchboard.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testing.HttpTestClient;
import dev.switchboard.testing.TestKeys;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Sign-in limits: per client address on each endpoint, per email address across addresses. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AuthRateLimitIT {

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    String dir = "target/it-data/auth-limits-" + UUID.randomUUID();
    registry.add("SWITCHBOARD_DATA_DIR", () -> dir);
    registry.add("SWITCHBOARD_ADMIN_API_KEY", () -> TestKeys.ADMIN);
    registry.add("SWITCHBOARD_SIGN_IN_RATE_LIMIT", () -> "3/min");
    registry.add("SWITCHBOARD_REFRESH_RATE_LIMIT", () -> "2/min");
  }

  @LocalServerPort
  int port;

  @Autowired
  JdbcClient jdbc;

  HttpTestClient http;

  @BeforeEach
  void setUp() {
    http = new HttpTestClient(port);
  }

  @Test
  void endpointsWhenOverTheClientLimitThen429WithRetryAfter() {
    for (String path : new String[] {"/api/auth/login", "/api/auth/register", "/api/auth/password-reset",
        "/api/auth/exchange"}) {
      HttpResponse<String> last = null;
      for (int i = 0; i < 4; i++) {
        last = http.post(path, "{\"email\":\"x" + i + "@example.com\",\"password\":\"some long password\"}");
      }
      Errors.assertError(last, 429, "rate_limited");
      assertThat(last.headers().firstValue("Retry-After")).isPresent();
    }
    http.post("/api/auth/refresh", "{\"refreshToken\":\"a\"}");
    http.post("/api/auth/refresh", "{\"refreshToken\":\"b\"}");
    Errors.assertError(http.post("/api/auth/refresh", "{\"refreshToken\":\"c\"}"), 429, "rate_limited");
  }

  @Test
  void loginWhenOneAddressGuessedFromManyClientsThen429PerEmail() {
    HttpResponse<String> last = null;
    for (int i = 0; i <= AuthRateLimits.LOGIN_PER_EMAIL.permits(); i++) {
      // Each guess from another client address (forwarded by a trusted local proxy), so only the per-email limit binds.
      last = http.post("/api/auth/login", "{\"email\":\"target@example.com\",\"password\":\"guess number " + i + "\"}",
          "X-Forwarded-For", "198.51.100." + (i + 1));
    }
    Errors.assertError(last, 429, "rate_limited");
    assertThat(last.headers().firstValue("Retry-After")).isPresent();
  }
}
