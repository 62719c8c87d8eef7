package dev.switchboard.analytics;

import java.time.Duration;
import java.util.Optional;

/**
 * What one {@link EventForwarder#forward} run ended with.
 *
 * @param kind caught up, more to send, another instance holds the destination, or the provider is
 *     failing
 * @param retryIn for {@link Kind#FAILING}: when to try again ({@code Retry-After} when the provider
 *     gave one)
 * @param detail a short note without secrets, for the job's last error
 */
public record ForwardOutcome(Kind kind, Optional<Duration> retryIn, String detail) {

  public enum Kind {
    CAUGHT_UP,
    MORE,
    BUSY,
    FAILING
  }

  static ForwardOutcome of(Kind kind, String detail) {
    return new ForwardOutcome(kind, Optional.empty(), detail);
  }
}
