package dev.switchboard.payments;

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

  /**
   * Whether {@link #apply} acts on events of this type. For a type it does not, it must read and
   * write nothing (it answers {@code ignored}), so the job can leave the event's mark for the
   * group's batch.
   */
  default boolean handles(String type) {
    return true;
  }

  /** The provider whose events this applies ({@code stripe}). */
  String provider();
}
