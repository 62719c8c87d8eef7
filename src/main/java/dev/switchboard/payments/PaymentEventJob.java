package dev.switchboard.payments;

import dev.switchboard.platform.jobs.Job;
import dev.switchboard.platform.jobs.JobCommits;
import dev.switchboard.platform.jobs.JobCompletion;
import dev.switchboard.platform.jobs.JobFailure;
import dev.switchboard.platform.jobs.JobHandler;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Processes one stored webhook event ({@code payments.event}, payload {@code {"provider","id"}}).
 * The state change, the event's new status, any email, the re-queueing of events that waited for
 * this one and the subscription events (published inside the transaction, so what their listeners
 * write before the commit) commit together, and so does the job's own completion ({@link
 * JobCompletion}). Events processed at the same time share that commit ({@link JobCommits}): one
 * commit, on PostgreSQL one WAL flush, for every group of events instead of one per event. A job
 * run twice (lease expired mid-run) finds the event already processed and does nothing. Unexpected
 * errors are retried by the queue with backoff; an event missing a field its type needs is {@code
 * failed} at once, and can be reprocessed from the dashboard.
 */
public final class PaymentEventJob implements JobHandler {

  public static final String TYPE = "payments.event";
  private static final Logger log = LoggerFactory.getLogger(PaymentEventJob.class);

  private final PaymentStore store;
  private final Map<String, EventProcessor> processors;
  private final PaymentEventQueue queue;
  private final JobCommits.Lane<EventOutcome> lane;
  private final ApplicationEventPublisher publisher;
  private final Clock clock;
  private final JsonMapper json;

  public PaymentEventJob(
      PaymentStore store,
      Map<String, EventProcessor> processors,
      PaymentEventQueue queue,
      JobCommits commits,
      ApplicationEventPublisher publisher,
      Clock clock,
      JsonMapper json) {
    this.store = store;
    this.processors = Map.copyOf(processors);
    this.queue = queue;
    this.lane = commits.lane(TYPE);
    this.publisher = publisher;
    this.clock = clock;
    this.json = json;
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public void handle(Job job) {
    JsonNode payload = json.readTree(job.payload());
    String provider = payload.path("provider").asString();
    String id = payload.path("id").asString();
    EventProcessor processor = processors.get(provider);
    if (processor == null) {
      throw JobFailure.permanent("no processor for provider " + provider);
    }
    EventOutcome outcome;
    try {
      outcome =
          lane.run(
              job,
              () -> {
                // The lane marks the job done first: its completion commits with the event's new
                // status.
                Optional<StoredEvent> event = store.event(provider, id);
                if (event.isEmpty()
                    || event.get().status().equals(StoredEvent.PROCESSED)
                    || event.get().status().equals(StoredEvent.IGNORED)) {
                  return null;
                }
                EventOutcome result = processor.apply(event.get());
                store.markEvent(
                    provider,
                    id,
                    result.status(),
                    result.detail(),
                    result.accountId(),
                    clock.instant());
                for (String waiting : result.unblocked()) {
                  queue.enqueue(provider, waiting, Optional.of("after:" + id));
                }
                // Inside the transaction: listeners that write (analytics' subscription_started)
                // commit with the state change or not at all.
                result.published().forEach(publisher::publishEvent);
                return result;
              });
    } catch (MalformedEvent e) {
      store.markFailed(provider, id, "malformed: " + e.getMessage(), clock.instant());
      throw JobFailure.permanent("malformed " + provider + " event " + id + ": " + e.getMessage());
    } catch (JobFailure e) {
      throw e;
    } catch (RuntimeException e) {
      store.markFailed(
          provider, id, "error: " + e.getClass().getSimpleName() + " (retrying)", clock.instant());
      throw e;
    }
    if (outcome != null) {
      log.debug("{} event {}: {} ({})", provider, id, outcome.status(), outcome.detail());
    }
  }
}
