package dev.switchboard.payments;

import dev.switchboard.platform.jobs.JobOptions;
import dev.switchboard.platform.jobs.JobQueue;
import dev.switchboard.platform.jobs.NewJob;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.node.JsonNodeFactory;

/** Queues the processing of a stored webhook event as a {@link PaymentEventJob}. */
public interface PaymentEventQueue {

  /**
   * Queues processing of a stored event, inside the caller's transaction when there is one.
   *
   * @param reason makes the dedupe key of a deliberate re-run unique; empty for the first run
   */
  void enqueue(String provider, String eventId, Optional<String> reason);

  /** Queues the first processing of each of these stored events, in one batch where it can. */
  default void enqueueFirstRuns(List<ReceivedEvent> events) {
    events.forEach(e -> enqueue(e.provider(), e.id(), Optional.empty()));
  }

  /** The durable job queue: payload {@code {"provider","id"}}, one job per event and reason. */
  static PaymentEventQueue on(JobQueue jobs) {
    return new PaymentEventQueue() {
      @Override
      public void enqueue(String provider, String eventId, Optional<String> reason) {
        NewJob job = job(provider, eventId, reason);
        jobs.enqueue(job.type(), job.payloadJson(), job.options());
      }

      @Override
      public void enqueueFirstRuns(List<ReceivedEvent> events) {
        if (events.size() == 1) {
          enqueue(events.get(0).provider(), events.get(0).id(), Optional.empty());
          return;
        }
        jobs.enqueueAll(
            events.stream().map(e -> job(e.provider(), e.id(), Optional.empty())).toList());
      }
    };
  }

  private static NewJob job(String provider, String eventId, Optional<String> reason) {
    String payload =
        JsonNodeFactory.instance
            .objectNode()
            .put("provider", provider)
            .put("id", eventId)
            .toString();
    String key =
        PaymentEventJob.TYPE + ":" + provider + ":" + eventId + reason.map(r -> ":" + r).orElse("");
    return new NewJob(
        PaymentEventJob.TYPE,
        payload,
        JobOptions.defaults().dedupeKey(key.length() > 255 ? key.substring(0, 255) : key));
  }
}
