package dev.switchboard.payments;

import dev.switchboard.platform.integrations.HealthResult;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The part every payment provider's health check shares: the provider API's own answer, whether its
 * webhooks can be verified, and when the last one arrived, which is the first thing to look at when
 * subscriptions do not activate.
 */
public final class PaymentHealth {

  private PaymentHealth() {}

  /**
   * @param api the gateway's authenticated read
   * @param verification empty when webhooks can be verified, else what to set so they can (degrades
   *     the check)
   * @param lastWebhook when the provider's last webhook arrived
   */
  public static HealthResult of(
      HealthResult api, Optional<String> verification, Optional<Instant> lastWebhook, Instant now) {
    String detail =
        api.detail()
            + "; "
            + verification.orElse("webhook verification configured")
            + "; last webhook "
            + lastWebhook.map(at -> ago(Duration.between(at, now))).orElse("never");
    return verification.isPresent()
        ? HealthResult.degraded(detail)
        : new HealthResult(api.status(), detail);
  }

  private static String ago(Duration d) {
    long s = Math.max(0, d.toSeconds());
    return s < 120 ? s + " s ago" : s < 7200 ? s / 60 + " min ago" : s / 3600 + " h ago";
  }
}
