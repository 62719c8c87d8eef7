package dev.switchboard.payments;

import dev.switchboard.platform.db.GroupCommit;
import dev.switchboard.platform.db.GroupCommits;
import dev.switchboard.platform.http.ApiException;
import dev.switchboard.platform.jobs.Foreground;
import dev.switchboard.platform.webhooks.WebhookVerifiers;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Payments webhooks, the way every inbound webhook is taken in ({@link WebhookVerifiers}, then the
 * area's store and job): verify on the raw bytes, store keyed by the provider's event id, queue the
 * processing job, all in one transaction, then answer. Nothing is applied on the request thread, so
 * the provider gets its 2xx in milliseconds, and a crash after the answer loses nothing (the job is
 * in the same commit as the event). Concurrent deliveries share that commit ({@link GroupCommit}):
 * each is answered after the commit that holds its rows.
 */
public final class WebhookIngest {

  private final WebhookVerifiers<ReceivedEvent> verifiers;
  private final PaymentStore store;
  private final PaymentEventQueue queue;
  private final GroupCommit<IncomingEvent, Boolean> arrivals;
  private final Clock clock;
  private final Foreground foreground;

  public WebhookIngest(
      Map<String, WebhookVerifier> verifiers,
      PaymentStore store,
      PaymentEventQueue queue,
      GroupCommits commits,
      Clock clock) {
    this(verifiers, store, queue, commits, clock, new Foreground());
  }

  /**
   * @param foreground counts the requests being stored, which the processing of stored events gives
   *     way to ({@link PaymentEventJob#yieldsToRequests})
   */
  public WebhookIngest(
      Map<String, WebhookVerifier> verifiers,
      PaymentStore store,
      PaymentEventQueue queue,
      GroupCommits commits,
      Clock clock,
      Foreground foreground) {
    this.verifiers =
        new WebhookVerifiers<>(
            verifiers.values(),
            provider -> "Webhooks from " + provider + " are not configured; see docs/payments.md.");
    this.store = store;
    this.queue = queue;
    this.arrivals = commits.lane("webhooks", this::insert);
    this.clock = clock;
    this.foreground = foreground;
  }

  /** What the provider is told. */
  public record Received(boolean received, String id, boolean duplicate) {}

  /**
   * @throws ApiException 404 {@code webhook_not_configured}, or the verifier's 400 {@code
   *     invalid_signature} / {@code malformed_event}; nothing is stored then
   */
  public Received receive(String provider, Map<String, String> headers, byte[] body) {
    ReceivedEvent event = verifiers.verify(provider, headers, body);
    boolean fresh = store(new IncomingEvent(event, event.customerId()));
    return new Received(true, event.id(), !fresh);
  }

  /**
   * Stores the event and queues its job in one commit, shared with concurrent deliveries; returns
   * once that commit is durable.
   *
   * @return false when the event id was stored before (a redelivery): nothing is queued then
   */
  private boolean store(IncomingEvent event) {
    return foreground.run(() -> arrivals.write(event));
  }

  /**
   * Runs inside the group's transaction: the events as one batch, then the jobs of the new ones as
   * another. A repeat within a group is a duplicate, as it would be one request later.
   */
  private List<Boolean> insert(List<IncomingEvent> group) {
    List<Boolean> fresh = store.insertEvents(group, clock.instant());
    List<ReceivedEvent> stored = new ArrayList<>();
    for (int i = 0; i < group.size(); i++) {
      if (fresh.get(i)) {
        stored.add(group.get(i).event());
      }
    }
    if (!stored.isEmpty()) {
      queue.enqueueFirstRuns(stored);
    }
    return fresh;
  }

  /** Whether webhooks of this provider are accepted. */
  public boolean accepts(String provider) {
    return verifiers.accepts(provider);
  }
}
