package dev.switchboard.payments;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What applying one event did.
 *
 * @param status the event's new {@link StoredEvent} status
 * @param detail a short note for the dashboard
 * @param accountId the account it was about, when known
 * @param published application events to publish inside the transaction, before it commits
 * @param unblocked stored events that waited for this one (they arrived before the customer was
 *     linked)
 */
public record EventOutcome(
    String status,
    String detail,
    Optional<String> accountId,
    List<Object> published,
    List<String> unblocked) {

  public static EventOutcome of(String status, String detail) {
    return new EventOutcome(status, detail, Optional.empty(), List.of(), List.of());
  }

  /** No account knows this subscription yet: the event waits, {@code unmatched}. */
  public static EventOutcome unmatchedSubscription(String subscriptionId) {
    return of(StoredEvent.UNMATCHED, "no account for subscription " + subscriptionId);
  }

  public static EventOutcome processed(String accountId, String detail, List<Object> published) {
    return new EventOutcome(
        StoredEvent.PROCESSED, detail, Optional.of(accountId), published, List.of());
  }

  /**
   * Processed, publishing what changed for the app: {@link SubscriptionStarted} when the account
   * gained access, {@link SubscriptionEnded} when it lost it. For an event that can start a
   * subscription and carries an amount, use {@link #processed(String, Subscription, Subscription,
   * Optional)}.
   */
  public static EventOutcome processed(String detail, Subscription before, Subscription after) {
    return processed(detail, before, after, Optional.empty());
  }

  /**
   * As {@link #processed(String, Subscription, Subscription)}, with what the event says was paid,
   * for the {@link SubscriptionStarted} it may publish.
   */
  public static EventOutcome processed(
      String detail,
      Subscription before,
      Subscription after,
      Optional<SubscriptionStarted.Amount> paid) {
    List<Object> published = new ArrayList<>();
    if (!before.entitled() && after.entitled()) {
      published.add(
          new SubscriptionStarted(
              after.accountId(),
              after.plan().or(after::price).orElse(""),
              after.price().orElse(""),
              paid));
    } else if (before.entitled() && !after.entitled()) {
      published.add(new SubscriptionEnded(after.accountId(), before.plan().orElse("")));
    }
    return processed(after.accountId(), detail, published);
  }

  /**
   * Why an event must leave the account's state alone, if it must: it is about another subscription
   * than the account's current one (ending an old subscription never ends the current one), or
   * older than the newest event applied.
   *
   * @param subscriptionId the subscription the event is about; empty when that does not matter for
   *     this event
   */
  public static Optional<EventOutcome> notApplicable(
      Subscription current, Optional<String> subscriptionId, Instant created) {
    Optional<String> accountId = Optional.of(current.accountId());
    if (subscriptionId.filter(current::isAnotherThan).isPresent()) {
      return Optional.of(
          new EventOutcome(
              StoredEvent.IGNORED,
              "about another subscription than the account's",
              accountId,
              List.of(),
              List.of()));
    }
    if (!current.acceptsEventAt(created)) {
      return Optional.of(
          new EventOutcome(
              StoredEvent.IGNORED,
              "stale: a newer event was applied",
              accountId,
              List.of(),
              List.of()));
    }
    return Optional.empty();
  }

  public EventOutcome unblocking(List<String> ids) {
    return new EventOutcome(status, detail, accountId, published, ids);
  }
}
