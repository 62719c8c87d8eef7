package dev.switchboard.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.platform.ratelimit.RateLimiter;
import dev.switchboard.platform.ratelimit.StoppedTimeRateLimiter;
import dev.switchboard.testing.HttpTestClient;
import dev.switchboard.testing.TestKeys;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Sign-in limits: per client address on each endpoint, per email address across addresses. The
 * limiter's time stands still, so no permit comes back while a slow machine hashes the guesses (10
 * logins a minute per address refill one every 6 s).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AuthRateLimitIT {

  @TestConfiguration
  static class StoppedTime {
    @Bean
    @Primary
    RateLimiter stoppedTimeRateLimiter() {
      return StoppedTimeRateLimiter.create();
    }
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    String dir = "target/it-data/auth-limits-" + UUID.randomUUID();
    registry.add("SWITCHBOARD_DATA_DIR", () -> dir);
    registry.add("SWITCHBOARD_ADMIN_API_KEY", () -> TestKeys.ADMIN);
    registry.add("SWITCHBOARD_SIGN_IN_RATE_LIMIT", () -> "3/min");
    registry.add("SWITCHBOARD_REFRESH_RATE_LIMIT", () -> "2/min");
  }

  @LocalServerPort int port;

  @Autowired JdbcClient jdbc;

  HttpTestClient http;

  @BeforeEach
  void setUp() {
    http = new HttpTestClient(port);
  }

  @Test
  void endpointsWhenOverTheClientLimitThen429WithRetryAfter() {
    for (String path :
        new String[] {
          "/api/auth/login", "/api/auth/register", "/api/auth/password-reset", "/api/auth/exchange"
        }) {
      HttpResponse<String> last = null;
      for (int i = 0; i < 4; i++) {
        last =
            http.post(
                path, "{\"email\":\"x" + i + "@example.com\",\"password\":\"some long password\"}");
      }
      Errors.assertError(last, 429, "rate_limited");
      assertThat(last.headers().firstValue("Retry-After")).isPresent();
    }
    http.post("/api/auth/refresh", "{\"refreshToken\":\"a\"}");
    http.post("/api/auth/refresh", "{\"refreshToken\":\"b\"}");
    Errors.assertError(
        http.post("/api/auth/refresh", "{\"refreshToken\":\"c\"}"), 429, "rate_limited");
  }

  @Test
  void loginWhenOneAddressGuessedFromManyClientsThen429PerEmail() {
    HttpResponse<String> last = null;
    for (int i = 0; i <= AuthRateLimits.LOGIN_PER_EMAIL.permits(); i++) {
      // Each guess from another client address (forwarded by a trusted local proxy), so only the
      // per-email limit binds.
      last =
          http.post(
              "/api/auth/login",
              "{\"email\":\"target@example.com\",\"password\":\"guess number " + i + "\"}",
              "X-Forwarded-For",
              "198.51.100." + (i + 1));
    }
    Errors.assertError(last, 429, "rate_limited");
    assertThat(last.headers().firstValue("Retry-After")).isPresent();
  }

  @Autowired Passwords passwords;

  @Autowired AccountStore accounts;

  @Test
  void loginWhenAddressLockedByGuessesElsewhereThenBrowserWithDeviceCookieStillSignsIn() {
    String email = "owner-" + UUID.randomUUID() + "@example.com";
    String password = "correct horse battery staple";
    String id = dev.switchboard.testing.TestAccounts.create(jdbc, email);
    accounts.setPassword(id, java.util.Optional.of(passwords.hash(password)));
    String body = "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}";

    HttpResponse<String> first =
        http.post("/api/auth/login", body, "X-Forwarded-For", "203.0.113.1");
    assertThat(first.statusCode()).isEqualTo(200);
    String setCookie = first.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(setCookie)
        .startsWith(SignedDeviceCookies.NAME + "=")
        .contains("HttpOnly")
        .contains("Path=/api/auth");
    String cookie = setCookie.substring(0, setCookie.indexOf(';'));

    for (int i = 0; i <= AuthRateLimits.LOGIN_PER_EMAIL.permits(); i++) {
      http.post(
          "/api/auth/login",
          "{\"email\":\"" + email + "\",\"password\":\"guess " + i + "\"}",
          "X-Forwarded-For",
          "198.51.100." + (i + 50));
    }
    // The protection holds for everyone else: the right password from a browser without the cookie
    // waits.
    Errors.assertError(
        http.post("/api/auth/login", body, "X-Forwarded-For", "203.0.113.2"), 429, "rate_limited");
    // A forged or someone else's cookie is no way around it.
    String forged =
        cookie.substring(0, cookie.length() - 2) + (cookie.endsWith("AA") ? "BB" : "AA");
    Errors.assertError(
        http.post("/api/auth/login", body, "X-Forwarded-For", "203.0.113.3", "Cookie", forged),
        429,
        "rate_limited");
    // The owner's browser has its own bucket.
    HttpResponse<String> owner =
        http.post("/api/auth/login", body, "X-Forwarded-For", "203.0.113.4", "Cookie", cookie);
    assertThat(owner.statusCode()).as(owner.body()).isEqualTo(200);
    assertThat(owner.body()).contains("accessToken");
  }
}
