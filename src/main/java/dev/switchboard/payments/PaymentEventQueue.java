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
   * @param reason makes the dedupe key of a deliberate re-run unique; empty for the first run,
   *     which has no dedupe key: it is queued only in the transaction that stored the event, and
   *     the event's primary key already makes a redelivery store nothing and queue nothing
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

  /**
   * A first run carries no dedupe key. With one, each of the job's three row versions (ready,
   * running, done) went into the unique dedupe index (on PostgreSQL none of them is a HOT update),
   * and each was checked against the versions before it, for a guarantee the event's insert gives
   * already. Without one, the job also leaves no row once done ({@code JdbcJobStore.DELETE_DONE}).
   * Re-runs (after the event they waited for, or from the dashboard) keep theirs.
   */
  private static NewJob job(String provider, String eventId, Optional<String> reason) {
    String payload =
        JsonNodeFactory.instance
            .objectNode()
            .put("provider", provider)
            .put("id", eventId)
            .toString();
    if (reason.isEmpty()) {
      return NewJob.of(PaymentEventJob.TYPE, payload);
    }
    String key = PaymentEventJob.TYPE + ":" + provider + ":" + eventId + ":" + reason.get();
    return new NewJob(
        PaymentEventJob.TYPE,
        payload,
        JobOptions.defaults().dedupeKey(key.length() > 255 ? key.substring(0, 255) : key));
  }
}
