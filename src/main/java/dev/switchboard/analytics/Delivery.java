package dev.switchboard.analytics;

import dev.switchboard.platform.outbound.ProviderFailure;
import java.time.Duration;
import java.util.Optional;

/**
 * What a destination did with one batch.
 *
 * @param kind accepted; to be sent again later (provider down, busy, or refusing our key); or
 *     refused for good
 * @param retryAfter for {@link Kind#RETRY_LATER}: the delay the provider asked for, if any
 * @param summary a short line without secrets ({@code Segment answered HTTP 429})
 */
public record Delivery(Kind kind, Optional<Duration> retryAfter, String summary) {

  public enum Kind {
    ACCEPTED,
    RETRY_LATER,
    REFUSED
  }

  public static Delivery accepted() {
    return new Delivery(Kind.ACCEPTED, Optional.empty(), "accepted");
  }

  /**
   * The common reading of a failed call: no answer, 429, 5xx, 409 and 1xx/3xx wait and retry; a
   * refused key (401, 403) waits too, because dropping events cannot fix a key; any other 4xx
   * refuses the batch's content.
   */
  public static Delivery of(ProviderFailure failure) {
    int status = failure.status().orElse(0);
    boolean refused =
        failure.kind() == ProviderFailure.Kind.REJECTED && status != 401 && status != 403;
    if (failure.kind() == ProviderFailure.Kind.MALFORMED_ANSWER) {
      return accepted();
    }
    return refused
        ? new Delivery(Kind.REFUSED, Optional.empty(), failure.summary())
        : new Delivery(Kind.RETRY_LATER, failure.retryAfter(), failure.summary());
  }
}
