package dev.switchboard.analytics;

import dev.switchboard.auth.AccountCreated;
import dev.switchboard.payments.SubscriptionStarted;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The events Switchboard sees itself, recorded without app code: {@code signed_up} {method} when an
 * account is created and {@code subscription_started} {plan, price, currency, revenue} when a
 * subscription starts, with the account id as userId. Both are written to the events table on the
 * publishing thread, right after the business commit. {@code signed_up} has the message id {@code
 * signed_up:<account>}, so recording it twice stores it once.
 */
public final class ProductEvents {

  /** The source id of events Switchboard records itself (not a write key's fingerprint). */
  public static final String SOURCE = "switchboard";

  private static final Logger log = LoggerFactory.getLogger(ProductEvents.class);

  private final AnalyticsEventStore store;
  private final JsonMapper json;
  private final Clock clock;

  public ProductEvents(AnalyticsEventStore store, JsonMapper json, Clock clock) {
    this.store = store;
    this.json = json;
    this.clock = clock;
  }

  @EventListener
  public void onAccountCreated(AccountCreated created) {
    record(
        "signed_up:" + created.accountId(),
        "signed_up",
        created.accountId(),
        created.at(),
        Map.of("method", created.method()));
  }

  @EventListener
  public void onSubscriptionStarted(SubscriptionStarted started) {
    Instant now = clock.instant();
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("plan", started.plan());
    properties.put("price", started.price());
    record(
        "subscription_started:"
            + started.accountId()
            + ":"
            + started.price()
            + ":"
            + now.toEpochMilli(),
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
    try {
      store.append(
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
                  json.writeValueAsString(message))));
    } catch (RuntimeException e) {
      // The account or subscription is committed already; failing the caller now would not undo it.
      log.error("Could not record the analytics event {} for {}", event, userId, e);
    }
  }
}
