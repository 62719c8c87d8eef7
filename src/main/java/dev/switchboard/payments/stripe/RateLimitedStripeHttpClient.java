package dev.switchboard.payments.stripe;

import com.stripe.exception.ApiConnectionException;
import com.stripe.net.HttpURLConnectionClient;
import com.stripe.net.StripeRequest;
import com.stripe.net.StripeResponse;
import dev.switchboard.platform.config.Rate;
import dev.switchboard.platform.ratelimit.RateLimiter;
import java.time.Duration;

/**
 * stripe-java's own HTTP client with two additions, so stripe-java's retry loop stays the one retry
 * mechanism: every attempt (first or retry) takes a permit from the shared {@link RateLimiter}
 * bucket, so all instances together stay under {@code PAYMENT_RATE_LIMIT}; and a 429 without a
 * {@code Stripe-Should-Retry} header is marked retryable, since stripe-java retries 5xx, 409 and
 * {@code Stripe-Should-Retry: true} but not a plain rate-limit answer. The retries reuse the
 * request's {@code Idempotency-Key}, so Stripe never creates twice.
 *
 * @see <a href="https://docs.stripe.com/rate-limits">Stripe rate limits</a>
 * @see <a href="https://docs.stripe.com/error-low-level#idempotency">Stripe idempotency and
 *     retries</a>
 */
final class RateLimitedStripeHttpClient extends HttpURLConnectionClient {

  static final String BUCKET = "payments:stripe";
  static final Duration MAX_WAIT = Duration.ofSeconds(10);

  private final RateLimiter limiter;
  private final Rate rate;

  RateLimitedStripeHttpClient(RateLimiter limiter, Rate rate) {
    this.limiter = limiter;
    this.rate = rate;
  }

  @Override
  public StripeResponse request(StripeRequest request) throws ApiConnectionException {
    try {
      if (!limiter.acquire(BUCKET, rate, MAX_WAIT)) {
        throw new ApiConnectionException(
            "PAYMENT_RATE_LIMIT reached: no permit within " + MAX_WAIT.toSeconds() + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiConnectionException(
          "interrupted while waiting for a PAYMENT_RATE_LIMIT permit", e);
    }
    StripeResponse response = super.request(request);
    if (response.code() == 429 && response.headers().firstValue("Stripe-Should-Retry").isEmpty()) {
      return new StripeResponse(
          response.code(),
          response.headers().withAdditionalHeader("Stripe-Should-Retry", "true"),
          response.body());
    }
    return response;
  }
}
