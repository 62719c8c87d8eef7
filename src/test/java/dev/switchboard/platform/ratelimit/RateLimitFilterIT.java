package dev.switchboard.platform.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.platform.config.Rate;
import dev.switchboard.testing.HeaderCallerFilter;
import dev.switchboard.testing.HttpTestClient;
import dev.switchboard.testing.TestCallers;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

@Import(TestCallers.class)
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "SWITCHBOARD_DATA_DIR=target/it-data/ratelimit-memory",
      "SWITCHBOARD_API_RATE_LIMIT=3/min"
    })
class RateLimitFilterIT {

  @TestConfiguration
  static class Rules {
    @Bean
    RateLimitRule strictRule() {
      return new RateLimitRule("test.strict", "/api/strict", Rate.parse("1/min"));
    }

    @Bean
    RateLimitRule hooksRule() {
      return new RateLimitRule("test.hooks", "/api/hooks", Rate.parse("5/min"), true);
    }
  }

  @LocalServerPort int port;

  @Autowired RateLimiter limiter;

  HttpTestClient http;

  @BeforeEach
  void setUp() {
    http = new HttpTestClient(port);
  }

  @Test
  void requestWhenOverApiLimitThen429WithRetryHeadersAndErrorShape() {
    RateLimitResponses.assertFourthOfThreePerMinuteIsLimited(
        RateLimitResponses.get(http, 4, "/api/does-not-exist", "key_over"));
    assertThat(limiter.backend()).isInstanceOf(InMemoryRateLimiter.class);
  }

  @Test
  void requestWhenAnotherCallerIsLimitedThenOwnBudgetIsUntouched() {
    RateLimitResponses.get(http, 4, "/api/does-not-exist", "key_noisy");

    HttpResponse<String> response =
        http.get("/api/quiet-path", HeaderCallerFilter.HEADER, "key_quiet");

    assertThat(response.statusCode()).isNotEqualTo(429);
    assertThat(response.headers().firstValue("RateLimit-Remaining")).hasValue("2");
  }

  @Test
  void requestWhenAnonymousThenLimitedByAddress() {
    List<HttpResponse<String>> responses =
        RateLimitResponses.get(http, 4, "/api/anonymous-path", "");
    assertThat(responses.get(3).statusCode()).isEqualTo(429);
  }

  @Test
  void requestWhenRuleForPathIsStricterThenRuleLimitsFirst() {
    List<HttpResponse<String>> responses =
        RateLimitResponses.get(http, 2, "/api/strict/thing", "key_strict");

    assertThat(responses.get(0).statusCode()).isEqualTo(404);
    assertThat(responses.get(0).headers().firstValue("RateLimit-Limit")).hasValue("1");
    assertThat(responses.get(0).headers().firstValue("RateLimit-Remaining")).hasValue("0");
    assertThat(responses.get(1).statusCode()).isEqualTo(429);
    assertThat(responses.get(1).headers().firstValue("RateLimit-Limit")).hasValue("1");
    assertThat(responses.get(1).headers().firstValue("Retry-After"))
        .hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isBetween(55L, 60L));
    // The refused request did not use the caller's API-wide budget.
    assertThat(
            http.get("/api/other", HeaderCallerFilter.HEADER, "key_strict")
                .headers()
                .firstValue("RateLimit-Remaining"))
        .hasValue("1");
  }

  @Test
  void requestWhenActuatorThenNeverLimited() {
    for (HttpResponse<String> response :
        RateLimitResponses.get(http, 6, "/actuator/health", "key_probe")) {
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("RateLimit-Limit")).isEmpty();
    }
  }

  @Test
  void requestWhenRuleReplacesApiLimitThenOnlyThatRuleCountsAndApiBudgetUntouched() {
    List<HttpResponse<String>> responses =
        RateLimitResponses.get(http, 6, "/api/hooks/provider", "key_hooks");

    assertThat(responses.subList(0, 5))
        .allSatisfy(
            r -> {
              assertThat(r.statusCode()).isEqualTo(404);
              assertThat(r.headers().firstValue("RateLimit-Limit")).hasValue("5");
            });
    assertThat(responses.get(5).statusCode()).isEqualTo(429);
    assertThat(
            http.get("/api/other", HeaderCallerFilter.HEADER, "key_hooks")
                .headers()
                .firstValue("RateLimit-Remaining"))
        .hasValue("2");
  }
}
