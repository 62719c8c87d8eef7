package dev.switchboard.email;

import dev.switchboard.platform.db.GroupCommit;
import dev.switchboard.platform.db.GroupCommits;
import dev.switchboard.platform.http.ApiException;
import dev.switchboard.platform.jobs.NewJob;
import dev.switchboard.platform.webhooks.WebhookVerifiers;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Delivery webhooks, the way every inbound webhook is taken in: verify on the raw bytes, store each
 * event keyed by {@code (provider, event id)}, queue the {@link DeliveryEventJob} that applies it,
 * all in one commit, then answer. A redelivered event is a duplicate: counted in the answer, not
 * queued again. Concurrent deliveries share that commit ({@link GroupCommit}); each is answered
 * after the commit that holds its rows, so a crash before the answer makes the provider send the
 * request again, and what was stored counts as duplicates then.
 */
public final class DeliveryEventIngest {

  /** A request's events weigh one each in a group; a group holds this many events at most. */
  static final int MAX_GROUP = GroupCommits.MAX_GROUP;

  private final WebhookVerifiers<List<DeliveryEvent>> verifiers;
  private final EmailStore store;
  private final Consumer<List<NewJob>> queue;
  private final GroupCommit<List<DeliveryEvent>, Integer> arrivals;
  private final Clock clock;

  /**
   * @param queue enqueues jobs in the open transaction ({@code JobQueue::enqueueAll})
   */
  public DeliveryEventIngest(
      WebhookVerifiers<List<DeliveryEvent>> verifiers,
      EmailStore store,
      Consumer<List<NewJob>> queue,
      GroupCommits commits,
      Clock clock) {
    this.verifiers = verifiers;
    this.store = store;
    this.queue = queue;
    this.arrivals =
        commits.ownTransactionLane(
            "email-webhooks", this::insert, events -> Math.max(1, events.size()), MAX_GROUP);
    this.clock = clock;
  }

  /** What the provider is told: events stored, and how many of them had been stored before. */
  public record Received(int received, int duplicates) {}

  /**
   * @throws ApiException 404 {@code webhook_not_configured}, or the verifier's 400 {@code
   *     invalid_signature} / {@code malformed_payload}; nothing is stored then
   */
  public Received receive(String provider, Map<String, String> headers, byte[] body) {
    List<DeliveryEvent> events = verifiers.verify(provider, headers, body);
    if (events.isEmpty()) {
      return new Received(0, 0);
    }
    return new Received(events.size(), arrivals.write(events));
  }

  /** Whether delivery webhooks of this provider are accepted. */
  public boolean accepts(String provider) {
    return verifiers.accepts(provider);
  }

  /**
   * Runs inside the group's transaction: stores every event of every request, then queues the jobs
   * of the new ones as one batch. A repeat within a group is a duplicate, as it would be one
   * request later.
   *
   * @return per request, how many of its events were stored before
   */
  private List<Integer> insert(List<List<DeliveryEvent>> group) {
    Instant now = clock.instant();
    List<Integer> duplicates = new ArrayList<>(group.size());
    List<NewJob> jobs = new ArrayList<>();
    for (List<DeliveryEvent> request : group) {
      int repeats = 0;
      for (DeliveryEvent event : request) {
        if (store.insertEvent(event, now)) {
          jobs.add(DeliveryEventJob.job(event));
        } else {
          repeats++;
        }
      }
      duplicates.add(repeats);
    }
    if (!jobs.isEmpty()) {
      queue.accept(jobs);
    }
    return duplicates;
  }
}
