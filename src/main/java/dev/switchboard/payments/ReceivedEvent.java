package dev.switchboard.payments;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A verified webhook event, as stored before it is processed.
 *
 * @param provider {@code stripe} or {@code paypal}
 * @param id the provider's event id, the dedupe key
 * @param type the provider's event type, e.g. {@code invoice.paid}
 * @param created when the provider created the event; orders state changes, never the arrival order
 * @param payload the raw body as text (UTF-8)
 * @param customerId the provider customer the event is about, when the envelope names one (read by
 *     the verifier in the parse that reads the envelope), so an event that arrives before its
 *     checkout can wait for that customer
 */
public record ReceivedEvent(
    String provider,
    String id,
    String type,
    Instant created,
    String payload,
    Optional<String> customerId) {

  /** An event whose envelope names no customer. */
  public ReceivedEvent(String provider, String id, String type, Instant created, String payload) {
    this(provider, id, type, created, payload, Optional.empty());
  }

  public ReceivedEvent {
    Objects.requireNonNull(provider, "provider cannot be null");
    Objects.requireNonNull(id, "id cannot be null");
    Objects.requireNonNull(type, "type cannot be null");
    Objects.requireNonNull(created, "created cannot be null");
    Objects.requireNonNull(payload, "payload cannot be null");
    Objects.requireNonNull(customerId, "customerId cannot be null");
  }
}
