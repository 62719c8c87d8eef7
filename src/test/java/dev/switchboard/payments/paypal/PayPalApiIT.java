package dev.switchboard.payments.paypal;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.switchboard.platform.config.Rate;
import dev.switchboard.platform.config.Secret;
import dev.switchboard.platform.http.ApiException;
import dev.switchboard.platform.outbound.OutboundHttp;
import dev.switchboard.platform.outbound.RetryPolicy;
import dev.switchboard.platform.ratelimit.RateLimiter;
import dev.switchboard.testing.ManualClock;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * PayPal calls against a real HTTP server: each attempt, retries included, is charged to
 * PAYMENT_RATE_LIMIT.
 */
class PayPalApiIT {

  private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final CountingLimiter limiter = new CountingLimiter();
  private WireMockServer server;
  private PayPalApi api;

  @BeforeEach
  void setUp() {
    server = new WireMockServer(options().dynamicPort());
    server.start();
    OutboundHttp http =
        new OutboundHttp(RetryPolicy.defaults(), List.of(), clock, clock::advance, new Random(7));
    api =
        new PayPalApi(
            "client",
            Secret.of("paypal-secret"),
            URI.create(server.baseUrl()),
            http,
            limiter,
            Rate.parse("25/s"),
            clock,
            JsonMapper.builder().build());
  }

  @AfterEach
  void tearDown() {
    server.stop();
  }

  @Test
  void tokenWhenFirstAttemptGets503ThenTheRetryTakesItsOwnPermit() {
    server.stubFor(
        post("/v1/oauth2/token")
            .inScenario("token")
            .whenScenarioStateIs(STARTED)
            .willReturn(aResponse().withStatus(503))
            .willSetStateTo("up"));
    server.stubFor(
        post("/v1/oauth2/token")
            .inScenario("token")
            .whenScenarioStateIs("up")
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"access_token\":\"A21AA\",\"expires_in\":32400}")));

    assertThat(api.token()).isEqualTo("A21AA");

    server.verify(2, postRequestedFor(urlPathEqualTo("/v1/oauth2/token")));
    assertThat(limiter.acquired.get()).isEqualTo(2);
  }

  @Test
  void tokenWhenNoPermitThenProviderRateLimitedAndNothingSent() {
    limiter.refuse = true;

    assertThatThrownBy(api::token)
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.code()).isEqualTo("provider_rate_limited"));
    server.verify(0, postRequestedFor(urlPathEqualTo("/v1/oauth2/token")));
  }

  private static final class CountingLimiter implements RateLimiter {
    final AtomicInteger acquired = new AtomicInteger();
    volatile boolean refuse;

    @Override
    public Decision tryAcquire(String key, Rate rate) {
      throw new UnsupportedOperationException("PayPal calls wait for a permit");
    }

    @Override
    public boolean acquire(String key, Rate rate, Duration maxWait) {
      if (refuse) {
        return false;
      }
      acquired.incrementAndGet();
      return true;
    }
  }
}
