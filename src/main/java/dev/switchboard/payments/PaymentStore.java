package dev.switchboard.payments;

import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The payments area's tables: webhook events, subscriptions, payments received and once-only
 * notices.
 */
public interface PaymentStore {

  /**
   * Stores a verified event unless its id is already stored.
   *
   * @param customerId the provider customer the event is about, when the envelope tells; lets an
   *     event that arrived before its checkout be applied once the customer is linked
   * @return true when stored now, false for a duplicate (nothing changes then)
   */
  boolean insertEvent(ReceivedEvent event, Optional<String> customerId, Instant now);

  /**
   * {@link #insertEvent} for several events in one statement batch, in order: an id repeated in the
   * list is stored once, its later occurrences are duplicates.
   *
   * @return per event, true when stored now, false for a duplicate
   */
  default List<Boolean> insertEvents(List<IncomingEvent> events, Instant now) {
    return events.stream().map(e -> insertEvent(e.event(), e.customerId(), now)).toList();
  }

  /** The stored event, or empty. */
  Optional<StoredEvent> event(String provider, String id);

  /**
   * The stored events of one provider with these ids, by id; ids not stored are absent. One
   * statement for a group of jobs instead of one {@link #event} each.
   */
  default Map<String, StoredEvent> events(String provider, Collection<String> ids) {
    Map<String, StoredEvent> found = new LinkedHashMap<>();
    for (String id : ids) {
      event(provider, id).ifPresent(e -> found.put(id, e));
    }
    return found;
  }

  /** The outcome of one processing attempt, as {@link #markEvent} records it. */
  record EventMark(
      String provider, String id, String status, String detail, Optional<String> accountId) {}

  /** {@link #markEvent} for several events, in order, as one statement batch where it can. */
  default void markEvents(List<EventMark> marks, Instant now) {
    for (EventMark m : marks) {
      markEvent(m.provider(), m.id(), m.status(), m.detail(), m.accountId(), now);
    }
  }

  /** Records the outcome of one processing attempt. */
  void markEvent(
      String provider,
      String id,
      String status,
      String detail,
      Optional<String> accountId,
      Instant now);

  /**
   * Records a failed attempt, unless the event is already {@code processed} or {@code ignored}: a
   * duplicate run of the job (its lease lapsed) that fails must not overwrite the outcome of the
   * run that succeeded.
   *
   * @return whether the event was marked
   */
  boolean markFailed(String provider, String id, String detail, Instant now);

  /** Ids of events of {@code provider} that found no account for {@code customerId}. */
  List<String> unmatchedEvents(String provider, String customerId);

  /** The newest events first, at most {@code limit}. */
  List<StoredEvent> recentEvents(int limit);

  /** When the last event of {@code provider} arrived. */
  Optional<Instant> lastReceived(String provider);

  /** The account's state, or empty when it never had one. */
  Optional<Subscription> subscription(String accountId);

  /**
   * The account's state, locked until the surrounding transaction ends so two workers cannot
   * interleave.
   */
  Optional<Subscription> subscriptionForUpdate(String accountId);

  /** The account whose subscription row has this provider customer id or subscription id. */
  Optional<String> accountFor(
      String provider, Optional<String> customerId, Optional<String> subscriptionId);

  /** Inserts or replaces the account's state. */
  void saveSubscription(Subscription subscription);

  /** The most recently changed states first. */
  List<Subscription> subscriptions(int limit);

  /**
   * Records a payment once per provider invoice.
   *
   * @return false when this invoice was already recorded
   */
  boolean recordPayment(
      String provider,
      String invoiceId,
      String accountId,
      Optional<Long> amount,
      Optional<String> currency,
      Instant paidAt,
      String eventId);

  /**
   * Claims a once-only side effect.
   *
   * @return true the first time for this key, false afterwards
   */
  boolean claimNotice(String key, Instant now);
}
