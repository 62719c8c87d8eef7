package dev.switchboard.payments;

import dev.switchboard.platform.http.ApiException;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Inbound webhooks: verify on the raw bytes, store keyed by the provider's event id, queue the
 * processing job, all in one transaction, then answer. Nothing is applied on the request thread, so
 * the provider gets its 2xx in milliseconds, and a crash after the answer loses nothing (the job is
 * in the same commit as the event).
 */
public final class WebhookIngest {

  private final Map<String, WebhookVerifier> verifiers;
  private final PaymentStore store;
  private final PaymentEventQueue queue;
  private final TransactionTemplate transactions;
  private final Clock clock;
  private final Function<ReceivedEvent, Optional<String>> customerOf;

  /**
   * @param customerOf reads the provider customer from an event, so events that arrive early can
   *     wait for it
   */
  public WebhookIngest(
      Map<String, WebhookVerifier> verifiers,
      PaymentStore store,
      PaymentEventQueue queue,
      TransactionTemplate transactions,
      Clock clock,
      Function<ReceivedEvent, Optional<String>> customerOf) {
    this.verifiers = Map.copyOf(verifiers);
    this.store = store;
    this.queue = queue;
    this.transactions = transactions;
    this.clock = clock;
    this.customerOf = customerOf;
  }

  /** What the provider is told. */
  public record Received(boolean received, String id, boolean duplicate) {}

  /**
   * @throws ApiException 404 {@code webhook_not_configured}, or the verifier's 400 {@code
   *     invalid_signature} / {@code malformed_event}; nothing is stored then
   */
  public Received receive(String provider, Map<String, String> headers, byte[] body) {
    WebhookVerifier verifier = verifiers.get(provider);
    if (verifier == null) {
      throw new ApiException(
          404,
          "webhook_not_configured",
          "Webhooks from " + provider + " are not configured; see docs/payments.md.");
    }
    ReceivedEvent event = verifier.verify(headers, body);
    Optional<String> customer = customerOf.apply(event);
    Boolean inserted =
        transactions.execute(
            status -> {
              boolean fresh = store.insertEvent(event, customer, clock.instant());
              if (fresh) {
                queue.enqueue(event.provider(), event.id(), Optional.empty());
              }
              return fresh;
            });
    return new Received(true, event.id(), !Boolean.TRUE.equals(inserted));
  }

  /** Whether webhooks of this provider are accepted. */
  public boolean accepts(String provider) {
    return verifiers.containsKey(provider);
  }
}
