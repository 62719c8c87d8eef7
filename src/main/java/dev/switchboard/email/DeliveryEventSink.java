package dev.switchboard.email;

/** Where verified delivery events go: the email service records, dedupes and applies them. */
public interface DeliveryEventSink {

  /**
   * Records one event. A second event with the same {@code (provider, eventId)} is ignored and
   * reported as a duplicate; events never move a message backwards (a late {@code deferred} does
   * not undo {@code delivered}).
   *
   * @return true when the event was new, false for a duplicate
   */
  boolean record(DeliveryEvent event);
}
