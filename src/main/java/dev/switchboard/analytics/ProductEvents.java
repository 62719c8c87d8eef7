package dev.switchboard.analytics;

import dev.switchboard.auth.AccountCreated;
import dev.switchboard.payments.SubscriptionStarted;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.core.annotation.Order;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The events Switchboard sees itself, recorded without app code: {@code signed_up} {method} when an
 * account is created and {@code subscription_started} {plan, price, currency, revenue} when a
 * subscription starts, with the account id as userId.
 *
 * <p>Both are written just before the transaction that creates the account or starts the
 * subscription commits, on its connection ({@link AnalyticsEventStore#appendInTransaction}): the
 * event is stored exactly when the change is, and a failed write rolls the change back (the sign-up
 * answers 500, the payment event is retried). {@code signed_up} has the message id {@code
 * signed_up:<account>}, so an account has one.
 */
public final class ProductEvents {

  /** The source id of events Switchboard records itself (not a write key's fingerprint). */
  public static final String SOURCE = "switchboard";

  private final AnalyticsEventStore store;
  private final JsonMapper json;
  private final Clock clock;

  public ProductEvents(AnalyticsEventStore store, JsonMapper json, Clock clock) {
    this.store = store;
    this.json = json;
    this.clock = clock;
  }

  /** Ahead of before-commit listeners without an order (theirs is last), like every one here. */
  @Order(0)
  @TransactionalEventListener(phase = TransactionPhase.BEFORE_COMMIT, fallbackExecution = true)
  public void onAccountCreated(AccountCreated created) {
    record(
        "signed_up:" + created.accountId(),
        "signed_up",
        created.accountId(),
        created.at(),
        Map.of("method", created.method()));
  }

  /**
   * {@code price} and {@code revenue} are what the starting provider event says was paid, in major
   * units; {@code price_id} is the provider's price. Without an amount in that event, {@code
   * price}, {@code currency} and {@code revenue} are left out rather than guessed.
   */
  @Order(0)
  @TransactionalEventListener(phase = TransactionPhase.BEFORE_COMMIT, fallbackExecution = true)
  public void onSubscriptionStarted(SubscriptionStarted started) {
    Instant now = clock.instant();
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("plan", started.plan());
    started
        .paid()
        .ifPresent(
            paid -> {
              properties.put("price", paid.value().doubleValue());
              properties.put("currency", paid.currency());
              properties.put("revenue", paid.value().doubleValue());
            });
    properties.put("price_id", started.price());
    record(
        // Not the price id in it: a message id must stay under 100 characters.
        "subscription_started:" + started.accountId() + ":" + now.toEpochMilli(),
        "subscription_started",
        started.accountId(),
        now,
        properties);
  }

  private void record(
      String messageId, String event, String userId, Instant at, Map<String, ?> properties) {
    Instant received = clock.instant();
    ObjectNode message = json.createObjectNode();
    message
        .put("type", "track")
        .put("event", event)
        .put("userId", userId)
        .put("messageId", messageId);
    message.set("properties", json.valueToTree(properties));
    message.putObject("context").putObject("library").put("name", "switchboard");
    message.put("timestamp", at.toString()).put("receivedAt", received.toString());
    List<AnalyticsEvent> events =
        List.of(
            new AnalyticsEvent(
                0,
                SOURCE,
                messageId,
                "track",
                event,
                userId,
                null,
                at,
                received,
                json.writeValueAsString(message)));
    if (TransactionSynchronizationManager.isActualTransactionActive()) {
      store.appendInTransaction(events);
    } else {
      // Published outside any transaction (nothing to commit with): stored on its own.
      store.append(events);
    }
  }
}
