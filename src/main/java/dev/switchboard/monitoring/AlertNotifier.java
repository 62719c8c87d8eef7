package dev.switchboard.monitoring;

/**
 * Delivers alert messages to one channel. Called by the {@code alert.notify} job, one attempt per
 * call.
 */
public interface AlertNotifier {

  /** The channel this notifier serves. */
  AlertChannel channel();

  /**
   * Sends one message.
   *
   * @throws AlertDeliveryException when the channel did not take it: retryable (with the delay the
   *     channel asked for) or permanent, and whether the channel itself is now broken
   */
  void send(AlertMessage message);
}
