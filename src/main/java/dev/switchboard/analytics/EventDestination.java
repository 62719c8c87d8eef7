package dev.switchboard.analytics;

import java.util.List;

/**
 * A provider that stored events are forwarded to (Segment, PostHog). The forwarder reads events in
 * sequence order, cuts them into batches of at most {@link #maxBatchEvents()} events and {@link
 * #maxBatchBytes()} bytes, and hands each batch to {@link #send}; retries, ordering and the cursor
 * are the forwarder's business.
 */
public interface EventDestination {

  /**
   * The destination id, used in config, rows and job payloads.
   *
   * @return {@code segment} or {@code posthog}
   */
  String id();

  /**
   * The names a message's {@code integrations} object may use for this destination ({@code
   * "PostHog": true}), matched case-insensitively.
   */
  List<String> integrationNames();

  /** The most events one call carries. */
  default int maxBatchEvents() {
    return 500;
  }

  /** The most bytes of event JSON one call carries (Segment refuses batches over 500 KB). */
  default int maxBatchBytes() {
    return 450 * 1024;
  }

  /**
   * Sends one batch in one call, without retrying.
   *
   * @param events the events in sequence order, 1 to {@link #maxBatchEvents()}
   * @return accepted; retry later (the whole batch is sent again, after {@code Retry-After} when
   *     given); or refused (the forwarder then finds the refused events by sending them one by one)
   */
  Delivery send(List<ForwardedEvent> events);
}
