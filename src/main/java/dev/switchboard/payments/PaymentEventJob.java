package dev.switchboard.payments;

import dev.switchboard.platform.jobs.Job;
import dev.switchboard.platform.jobs.JobCommits;
import dev.switchboard.platform.jobs.JobCompletion;
import dev.switchboard.platform.jobs.JobFailure;
import dev.switchboard.platform.jobs.JobHandler;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
 * commit, on PostgreSQL one WAL flush, for every group of events instead of one per event, and the
 * group's rows are read and marked in batches: its jobs' completions in one statement batch, its
 * events in one query, their new statuses in one statement batch (flushed before any event whose
 * type the processor acts on, so what it reads sees the events before it as processed). A job run
 * twice (lease expired mid-run) finds the event already processed and does nothing. Unexpected
 * errors are retried by the queue with backoff; an event missing a field its type needs is {@code
 * failed} at once, and can be reprocessed from the dashboard.
 */
public final class PaymentEventJob implements JobHandler {

  public static final String TYPE = "payments.event";
  private static final Logger log = LoggerFactory.getLogger(PaymentEventJob.class);

  private final PaymentStore store;
  private final Map<String, EventProcessor> processors;
  private final PaymentEventQueue queue;
  private final JobCommits.Batch<Pending, EventOutcome> lane;
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
    this.lane = commits.batchLane(TYPE, this::process);
    this.publisher = publisher;
    this.clock = clock;
    this.json = json;
  }

  /** One job's event, and the processor of its provider. */
  record Pending(String provider, String id, EventProcessor processor) {}

  @Override
  public String type() {
    return TYPE;
  }

  /**
   * Jobs one worker thread runs together: their events are processed in one transaction (shared
   * with the other threads' at the time), so a thread waits for one commit per batch instead of one
   * per event.
   */
  static final int JOBS_PER_THREAD = 8;

  @Override
  public int jobsPerThread() {
    return JOBS_PER_THREAD;
  }

  /**
   * Processing gives way to webhook intake ({@link WebhookIngest}): a stored event's provider has
   * its answer already, and during a burst every CPU cycle spent processing was one the next
   * deliveries waited for. The events left are processed on one thread meanwhile and on all of them
   * once the burst is over.
   */
  @Override
  public boolean yieldsToRequests() {
    return true;
  }

  /**
   * Processes the jobs' events in one transaction; when it fails (one event's processing threw, or
   * the database did), it was rolled back whole and each job runs again on its own, so only the
   * failing event gets the failure.
   */
  @Override
  public List<Exception> handleAll(List<Job> jobs) {
    List<Exception> failures = new ArrayList<>(Collections.nCopies(jobs.size(), null));
    List<Job> batch = new ArrayList<>(jobs.size());
    List<Pending> inputs = new ArrayList<>(jobs.size());
    List<Integer> positions = new ArrayList<>(jobs.size());
    for (int i = 0; i < jobs.size(); i++) {
      try {
        inputs.add(pending(jobs.get(i)));
        batch.add(jobs.get(i));
        positions.add(i);
      } catch (RuntimeException e) {
        failures.set(i, e);
      }
    }
    if (batch.isEmpty()) {
      return failures;
    }
    try {
      List<EventOutcome> outcomes = lane.runAll(batch, inputs);
      for (int k = 0; k < outcomes.size(); k++) {
        if (outcomes.get(k) != null) {
          log.debug(
              "{} event {}: {} ({})",
              inputs.get(k).provider(),
              inputs.get(k).id(),
              outcomes.get(k).status(),
              outcomes.get(k).detail());
        }
      }
    } catch (JobFailure e) {
      // No group could take them in time: every job is deferred with its attempt kept.
      positions.forEach(i -> failures.set(i, e));
    } catch (RuntimeException e) {
      for (int k = 0; k < batch.size(); k++) {
        try {
          handle(batch.get(k));
        } catch (RuntimeException alone) {
          failures.set(positions.get(k), alone);
        }
      }
    }
    return failures;
  }

  /** The job's event and its provider's processor. */
  private Pending pending(Job job) {
    JsonNode payload = json.readTree(job.payload());
    String provider = payload.path("provider").asString();
    String id = payload.path("id").asString();
    EventProcessor processor = processors.get(provider);
    if (processor == null) {
      throw JobFailure.permanent("no processor for provider " + provider);
    }
    return new Pending(provider, id, processor);
  }

  @Override
  public void handle(Job job) {
    Pending pending = pending(job);
    String provider = pending.provider();
    String id = pending.id();
    EventOutcome outcome;
    try {
      outcome = lane.run(job, pending);
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

  /**
   * In the group's transaction, after the lane marked its jobs done (their completions commit with
   * the events' new statuses), in job id order.
   *
   * @return per job, what processing did; null when the event is unknown or was processed before
   */
  List<EventOutcome> process(List<Pending> group) {
    Map<String, StoredEvent> events = read(group);
    // A group can hold two jobs of one event (a re-run beside the first run): the second sees the
    // status the first left, as it would one transaction later.
    Map<String, String> statuses = new HashMap<>();
    List<PaymentStore.EventMark> marks = new ArrayList<>();
    List<EventOutcome> outcomes = new ArrayList<>(group.size());
    for (Pending p : group) {
      String key = key(p.provider(), p.id());
      StoredEvent event = events.get(key);
      String status = event == null ? null : statuses.getOrDefault(key, event.status());
      if (event == null
          || status.equals(StoredEvent.PROCESSED)
          || status.equals(StoredEvent.IGNORED)) {
        outcomes.add(null);
        continue;
      }
      if (p.processor().handles(event.type())) {
        // The processor reads the store (the events waiting for a customer, among others): the
        // outcomes of the events before this one are written first.
        flush(marks);
      }
      EventOutcome result = p.processor().apply(event);
      marks.add(
          new PaymentStore.EventMark(
              p.provider(), p.id(), result.status(), result.detail(), result.accountId()));
      statuses.put(key, result.status());
      for (String waiting : result.unblocked()) {
        queue.enqueue(p.provider(), waiting, Optional.of("after:" + p.id()));
      }
      // Inside the transaction: listeners that write (analytics' subscription_started) commit with
      // the state change or not at all.
      result.published().forEach(publisher::publishEvent);
      outcomes.add(result);
    }
    flush(marks);
    return outcomes;
  }

  /** The group's stored events by provider and id: one query per provider. */
  private Map<String, StoredEvent> read(List<Pending> group) {
    Map<String, StoredEvent> events = new HashMap<>();
    if (group.size() == 1) {
      Pending only = group.get(0);
      store
          .event(only.provider(), only.id())
          .ifPresent(e -> events.put(key(only.provider(), only.id()), e));
      return events;
    }
    Map<String, Set<String>> ids = new LinkedHashMap<>();
    for (Pending p : group) {
      ids.computeIfAbsent(p.provider(), k -> new LinkedHashSet<>()).add(p.id());
    }
    ids.forEach(
        (provider, some) ->
            store.events(provider, some).forEach((id, e) -> events.put(key(provider, id), e)));
    return events;
  }

  private void flush(List<PaymentStore.EventMark> marks) {
    if (!marks.isEmpty()) {
      store.markEvents(List.copyOf(marks), clock.instant());
      marks.clear();
    }
  }

  private static String key(String provider, String id) {
    return provider + '\n' + id;
  }
}
