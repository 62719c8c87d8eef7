package dev.switchboard.email;

import java.time.Instant;
import java.util.Optional;

/**
 * One verified delivery event from a provider webhook, normalised.
 *
 * @param provider provider id
 * @param eventId the provider's id for this event (dedupe key with {@code provider}); derived from
 *     the event's content when the provider has none
 * @param messageId our message id when the provider echoed our metadata, else empty
 * @param providerMessageId the provider's message id, to match when our id is missing
 * @param type what happened
 * @param recipient the address it concerns
 * @param occurredAt when the provider says it happened
 * @param detail a short human note (bounce reason), no personal data beyond the address
 */
public record DeliveryEvent(
    String provider,
    String eventId,
    Optional<String> messageId,
    Optional<String> providerMessageId,
    Type type,
    String recipient,
    Instant occurredAt,
    String detail) {

  /** Normalised event types; each maps to a message status. */
  public enum Type {
    DELIVERED,
    DEFERRED,
    HARD_BOUNCE,
    SOFT_BOUNCE,
    COMPLAINED,
    UNSUBSCRIBED,
    DROPPED,
    OPENED,
    CLICKED;

    /** Whether the recipient goes on the suppression list. */
    public boolean suppresses() {
      return this == HARD_BOUNCE || this == COMPLAINED || this == UNSUBSCRIBED || this == DROPPED;
    }
  }
}
