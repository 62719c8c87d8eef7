package dev.switchboard.payments.stripe;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.switchboard.payments.PaymentGateway;
import dev.switchboard.payments.Plans;
import dev.switchboard.platform.config.Rate;
import dev.switchboard.platform.config.Secret;
import dev.switchboard.platform.http.ApiException;
import dev.switchboard.platform.integrations.HealthStatus;
import dev.switchboard.platform.ratelimit.RateLimiter;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The adapter alone: every attempt, retries included, takes a PAYMENT_RATE_LIMIT permit; the health
 * read.
 */
class StripePaymentGatewayIT {

  static final Secret KEY = Secret.of("sk_test_51GatewayItKey00001234");
  static final Rate RATE = Rate.parse("25/s");

  /** Records each permit asked for; refuses once {@code allow} runs out. */
  static final class CountingLimiter implements RateLimiter {
    final List<String> keys = new ArrayList<>();
    int allow;

    CountingLimiter(int allow) {
      this.allow = allow;
    }

    @Override
    public Decision tryAcquire(String key, Rate rate) {
      throw new UnsupportedOperationException("outbound calls wait for permits");
    }

    @Override
    public synchronized boolean acquire(String key, Rate rate, Duration maxWait) {
      assertThat(rate).isEqualTo(RATE);
      keys.add(key);
      return allow-- > 0;
    }
  }

  WireMockServer stripe;

  @BeforeEach
  void start() {
    stripe = new WireMockServer(options().dynamicPort());
    stripe.start();
  }

  @AfterEach
  void stop() {
    stripe.stop();
  }

  PaymentGateway.CheckoutRequest request() {
    return new PaymentGateway.CheckoutRequest(
        "usr_1",
        "ann@example.com",
        Optional.empty(),
        new Plans.Plan("pro", "price_pro", false),
        "https://app.example.com/ok",
        "https://app.example.com/no",
        "checkout-k1");
  }

  @Test
  void checkoutWhenRetriedThenEveryAttemptTakesAPermitFromTheSharedBucket() {
    stripe.stubFor(
        post("/v1/checkout/sessions")
            .willReturn(aResponse().withStatus(503).withBody("{\"error\":{}}")));
    CountingLimiter limiter = new CountingLimiter(100);
    StripePaymentGateway gateway =
        new StripePaymentGateway(
            KEY, URI.create(stripe.baseUrl()), Optional.empty(), limiter, RATE);

    assertThatThrownBy(() -> gateway.checkout(request())).isInstanceOf(ApiException.class);

    assertThat(limiter.keys)
        .containsExactly("payments:stripe", "payments:stripe", "payments:stripe");
    stripe.verify(3, postRequestedFor(urlEqualTo("/v1/checkout/sessions")));
  }

  @Test
  void checkoutWhenNoPermitInTimeThenNothingSentAndUnavailable() {
    StripePaymentGateway gateway =
        new StripePaymentGateway(
            KEY, URI.create(stripe.baseUrl()), Optional.empty(), new CountingLimiter(0), RATE);

    assertThatThrownBy(() -> gateway.checkout(request()))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.code()).isEqualTo("provider_unavailable"));
    stripe.verify(0, postRequestedFor(urlEqualTo("/v1/checkout/sessions")));
  }

  @Test
  void checkoutWhenApiVersionConfiguredThenSentAsStripeVersion() {
    stripe.stubFor(
        post("/v1/checkout/sessions")
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withBody(
                        "{\"id\":\"cs_1\",\"object\":\"checkout.session\",\"url\":\"https://checkout.stripe.com/c/pay/cs_1\"}")));
    StripePaymentGateway gateway =
        new StripePaymentGateway(
            KEY,
            URI.create(stripe.baseUrl()),
            Optional.of("2024-06-20"),
            new CountingLimiter(10),
            RATE);

    assertThat(gateway.checkout(request()).url())
        .isEqualTo("https://checkout.stripe.com/c/pay/cs_1");
    stripe.verify(
        postRequestedFor(urlEqualTo("/v1/checkout/sessions"))
            .withHeader("Stripe-Version", equalTo("2024-06-20"))
            .withHeader("Idempotency-Key", equalTo("checkout-k1")));
  }

  @Test
  void healthWhenKeyWorksThenUpAfterAuthenticatedBalanceRead() throws Exception {
    stripe.stubFor(
        get("/v1/balance")
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withBody(
                        "{\"object\":\"balance\",\"livemode\":false,\"available\":[],\"pending\":[]}")));
    StripePaymentGateway gateway =
        new StripePaymentGateway(
            KEY, URI.create(stripe.baseUrl()), Optional.empty(), new CountingLimiter(10), RATE);

    assertThat(gateway.health().status()).isEqualTo(HealthStatus.UP);
    stripe.verify(
        getRequestedFor(urlEqualTo("/v1/balance"))
            .withHeader("Authorization", equalTo("Bearer " + KEY.reveal())));
  }
}
