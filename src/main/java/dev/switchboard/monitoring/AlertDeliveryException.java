package dev.switchboard.monitoring;

import java.time.Duration;
import java.util.Optional;

/**
 * A channel did not take an alert. The message is shown on the map and the jobs page: short, no
 * secret, no URL.
 */
public final class AlertDeliveryException extends RuntimeException {

  private final boolean retryable;
  private final boolean channelBroken;
  private final transient Optional<Duration> retryAfter;

  private AlertDeliveryException(
      String message, boolean retryable, boolean channelBroken, Optional<Duration> retryAfter) {
    super(message, null, false, false);
    this.retryable = retryable;
    this.channelBroken = channelBroken;
    this.retryAfter = retryAfter;
  }

  /**
   * Try again later; after {@code retryAfter} when the channel said so, else after the queue's
   * backoff.
   */
  public static AlertDeliveryException retryable(String message, Optional<Duration> retryAfter) {
    return new AlertDeliveryException(message, true, false, retryAfter);
  }

  /** This message will never be taken (bad payload); the channel may still work. */
  public static AlertDeliveryException rejected(String message) {
    return new AlertDeliveryException(message, false, false, Optional.empty());
  }

  /**
   * The channel refuses everything (revoked webhook, archived channel): not retried, shown broken
   * on the map.
   */
  public static AlertDeliveryException broken(String message) {
    return new AlertDeliveryException(message, false, true, Optional.empty());
  }

  public boolean retryable() {
    return retryable;
  }

  public boolean channelBroken() {
    return channelBroken;
  }

  public Optional<Duration> retryAfter() {
    return retryAfter;
  }
}
