package dev.switchboard.auth;

import dev.switchboard.platform.config.Rate;
import dev.switchboard.platform.ratelimit.RateLimiter;
import java.util.Locale;
import java.util.Map;

/**
 * Limits on sign-in that follow the target rather than the client: attempts per email address (a
 * botnet guessing one account's password from many addresses is still limited), and per any other
 * key a flow has (an exchange code). Per-client limits on the same endpoints are {@link
 * dev.switchboard.platform.ratelimit.RateLimitRule} beans (see {@link AuthConfiguration}). The
 * buckets are shared through Redis when {@code REDIS_URL} is set.
 */
public final class AuthRateLimits {

  /** Password guesses against one address. */
  public static final Rate LOGIN_PER_EMAIL = Rate.parse("10/min");

  /**
   * Welcome and reset mails to one address: enough for a lost mail, too few to flood someone's
   * inbox.
   */
  public static final Rate MAIL_PER_EMAIL = Rate.parse("5/h");

  private final RateLimiter limiter;

  public AuthRateLimits(RateLimiter limiter) {
    this.limiter = limiter;
  }

  /**
   * Takes one permit for {@code action} on {@code key} (an email address is lower-cased first).
   *
   * @throws AuthException 429 {@code rate_limited} with {@code Retry-After} when the bucket is
   *     empty; the answer is the same whether or not an account uses the address
   */
  public void check(String action, String key, Rate rate) {
    RateLimiter.Decision decision =
        limiter.tryAcquire("auth." + action + ":" + key.toLowerCase(Locale.ROOT), rate);
    if (!decision.allowed()) {
      long seconds = decision.retryAfterSeconds();
      throw new AuthException(
          429,
          "rate_limited",
          "Too many attempts; retry after " + seconds + " s.",
          Map.of("Retry-After", Long.toString(seconds)));
    }
  }
}
