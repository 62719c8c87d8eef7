package dev.switchboard.payments;

/** Applies one provider's stored events to subscription state; one implementation per event format. */
interface EventProcessor {

  /**
   * Applies the event inside the caller's transaction.
   *
   * @return the event's new status and what was done
   * @throws MalformedEvent when a field the event type needs is absent
   */
  EventOutcome apply(StoredEvent event);
}
