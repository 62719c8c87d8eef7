package dev.switchboard.payments;

import dev.switchboard.platform.jobs.JobOptions;
import dev.switchboard.platform.jobs.JobQueue;
import java.util.Optional;
import tools.jackson.databind.node.JsonNodeFactory;

/** Queues the processing of a stored webhook event as a {@link PaymentEventJob}. */
@FunctionalInterface
public interface PaymentEventQueue {

  /**
   * Queues processing of a stored event, inside the caller's transaction when there is one.
   *
   * @param reason makes the dedupe key of a deliberate re-run unique; empty for the first run
   */
  void enqueue(String provider, String eventId, Optional<String> reason);

  /** The durable job queue: payload {@code {"provider","id"}}, one job per event and reason. */
  static PaymentEventQueue on(JobQueue jobs) {
    return (provider, eventId, reason) -> {
      String payload =
          JsonNodeFactory.instance
              .objectNode()
              .put("provider", provider)
              .put("id", eventId)
              .toString();
      String key =
          PaymentEventJob.TYPE
              + ":"
              + provider
              + ":"
              + eventId
              + reason.map(r -> ":" + r).orElse("");
      jobs.enqueue(
          PaymentEventJob.TYPE,
          payload,
          JobOptions.defaults().dedupeKey(key.length() > 255 ? key.substring(0, 255) : key));
    };
  }
}
