package dev.switchboard.payments;

import java.util.Optional;

/**
 * Applies one provider's stored events to subscription state; one implementation per event format.
 */
public interface EventProcessor {

  /**
   * Applies the event inside the caller's transaction.
   *
   * @return the event's new status and what was done
   * @throws MalformedEvent when a field the event type needs is absent
   */
  EventOutcome apply(StoredEvent event);

  /** The provider whose events this applies ({@code stripe}). */
  String provider();

  /**
   * The provider customer an event is about, read at ingest so an event that arrives early can wait
   * for it.
   */
  default Optional<String> customerOf(ReceivedEvent event) {
    return Optional.empty();
  }
}
