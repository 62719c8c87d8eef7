package dev.switchboard.email;

import java.time.Duration;
import java.util.Optional;

/**
 * How a provider answered one send. Adapters classify every answer into one of these; the queue
 * decides what happens next (done, wait and retry, fail at once, suppress the recipient).
 *
 * @param kind the classification
 * @param providerMessageId the provider's id for the accepted message, when it gave one
 * @param retryAfter how long the provider asked us to wait ({@code Retry-After}, rate-limit reset
 *     headers)
 * @param detail a short reason for the message history; never a credential or the message body
 */
public record SendResult(
    Kind kind, Optional<String> providerMessageId, Optional<Duration> retryAfter, String detail) {

  /** The classes of provider answer. */
  public enum Kind {
    /** The provider took the message. */
    ACCEPTED,
    /** Too many requests: wait {@code retryAfter} (or back off) and send again. */
    RATE_LIMITED,
    /** 5xx, timeout, connection failure: send again later, perhaps via the fallback provider. */
    RETRYABLE,
    /** Validation or authentication failure: sending again cannot help. */
    PERMANENT,
    /**
     * The provider refuses this recipient (Postmark 406, SendGrid dropped/blocked): suppress it.
     */
    SUPPRESSED
  }

  public static SendResult accepted(String providerMessageId) {
    return new SendResult(
        Kind.ACCEPTED, Optional.ofNullable(providerMessageId), Optional.empty(), "accepted");
  }

  /**
   * A 2xx answer: the provider took the message. Without a readable id it is accepted all the same,
   * since sending again would deliver it twice; {@code withoutId} then says which id was missing.
   */
  public static SendResult accepted(String providerMessageId, String withoutId) {
    return providerMessageId == null || providerMessageId.isBlank()
        ? new SendResult(Kind.ACCEPTED, Optional.empty(), Optional.empty(), withoutId)
        : accepted(providerMessageId);
  }

  public static SendResult rateLimited(Optional<Duration> retryAfter, String detail) {
    return new SendResult(Kind.RATE_LIMITED, Optional.empty(), retryAfter, detail);
  }

  public static SendResult retryable(String detail) {
    return new SendResult(Kind.RETRYABLE, Optional.empty(), Optional.empty(), detail);
  }

  public static SendResult permanent(String detail) {
    return new SendResult(Kind.PERMANENT, Optional.empty(), Optional.empty(), detail);
  }

  public static SendResult suppressed(String detail) {
    return new SendResult(Kind.SUPPRESSED, Optional.empty(), Optional.empty(), detail);
  }
}
