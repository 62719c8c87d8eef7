package dev.switchboard.payments;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An in-memory {@link PaymentStore} with the same answers as the JDBC one, for unit tests of the
 * payments logic.
 */
public final class FakePaymentStore implements PaymentStore {

  /** One recorded payment. */
  public record Payment(
      String provider, String invoiceId, String accountId, Optional<Long> amount) {}

  private final Map<String, StoredEvent> events = new LinkedHashMap<>();
  private final Map<String, Optional<String>> eventCustomers = new LinkedHashMap<>();
  private final Map<String, Subscription> subscriptions = new LinkedHashMap<>();
  private final Map<String, Payment> payments = new LinkedHashMap<>();
  private final Set<String> notices = new HashSet<>();

  private static String key(String provider, String id) {
    return provider + ":" + id;
  }

  /** Puts an account's state, as earlier events left it. */
  public FakePaymentStore with(Subscription subscription) {
    subscriptions.put(subscription.accountId(), subscription);
    return this;
  }

  public List<Payment> payments() {
    return List.copyOf(payments.values());
  }

  @Override
  public boolean insertEvent(ReceivedEvent event, Optional<String> customerId, Instant now) {
    String key = key(event.provider(), event.id());
    if (events.containsKey(key)) {
      return false;
    }
    events.put(
        key,
        new StoredEvent(
            event.provider(),
            event.id(),
            event.type(),
            event.created(),
            now,
            event.payload(),
            StoredEvent.RECEIVED,
            Optional.empty(),
            Optional.empty(),
            0));
    eventCustomers.put(key, customerId);
    return true;
  }

  @Override
  public Optional<StoredEvent> event(String provider, String id) {
    return Optional.ofNullable(events.get(key(provider, id)));
  }

  /** The customer the event was stored with, when it was stored. */
  public Optional<String> customerOfEvent(String provider, String id) {
    return eventCustomers.getOrDefault(key(provider, id), Optional.empty());
  }

  @Override
  public void markEvent(
      String provider,
      String id,
      String status,
      String detail,
      Optional<String> accountId,
      Instant now) {
    StoredEvent e = events.get(key(provider, id));
    events.put(
        key(provider, id),
        new StoredEvent(
            e.provider(),
            e.id(),
            e.type(),
            e.created(),
            e.receivedAt(),
            e.payload(),
            status,
            Optional.of(detail),
            accountId.or(e::accountId),
            e.attempts() + 1));
  }

  @Override
  public boolean markFailed(String provider, String id, String detail, Instant now) {
    StoredEvent e = events.get(key(provider, id));
    if (e == null
        || e.status().equals(StoredEvent.PROCESSED)
        || e.status().equals(StoredEvent.IGNORED)) {
      return false;
    }
    markEvent(provider, id, StoredEvent.FAILED, detail, Optional.empty(), now);
    return true;
  }

  @Override
  public List<String> unmatchedEvents(String provider, String customerId) {
    return events.entrySet().stream()
        .filter(
            e ->
                e.getValue().provider().equals(provider)
                    && e.getValue().status().equals(StoredEvent.UNMATCHED)
                    && eventCustomers
                        .getOrDefault(e.getKey(), Optional.empty())
                        .filter(customerId::equals)
                        .isPresent())
        .map(e -> e.getValue().id())
        .toList();
  }

  @Override
  public List<StoredEvent> recentEvents(int limit) {
    List<StoredEvent> all = new ArrayList<>(events.values());
    all.sort(Comparator.comparing(StoredEvent::receivedAt).reversed());
    return all.stream().limit(limit).toList();
  }

  @Override
  public Optional<Instant> lastReceived(String provider) {
    return events.values().stream()
        .filter(e -> e.provider().equals(provider))
        .map(StoredEvent::receivedAt)
        .max(Comparator.naturalOrder());
  }

  @Override
  public Optional<Subscription> subscription(String accountId) {
    return Optional.ofNullable(subscriptions.get(accountId));
  }

  @Override
  public Optional<Subscription> subscriptionForUpdate(String accountId) {
    return subscription(accountId);
  }

  @Override
  public Optional<String> accountFor(
      String provider, Optional<String> customerId, Optional<String> subscriptionId) {
    // As the JDBC store: by subscription first, then by customer.
    return subscriptions.values().stream()
        .filter(s -> s.provider().equals(provider))
        .filter(s -> subscriptionId.isPresent() && s.subscriptionId().equals(subscriptionId))
        .map(Subscription::accountId)
        .findFirst()
        .or(
            () ->
                subscriptions.values().stream()
                    .filter(s -> s.provider().equals(provider))
                    .filter(s -> customerId.isPresent() && s.customerId().equals(customerId))
                    .map(Subscription::accountId)
                    .findFirst());
  }

  @Override
  public void saveSubscription(Subscription subscription) {
    subscriptions.put(subscription.accountId(), subscription);
  }

  @Override
  public List<Subscription> subscriptions(int limit) {
    return subscriptions.values().stream().limit(limit).toList();
  }

  @Override
  public boolean recordPayment(
      String provider,
      String invoiceId,
      String accountId,
      Optional<Long> amount,
      Optional<String> currency,
      Instant paidAt,
      String eventId) {
    return payments.putIfAbsent(
            key(provider, invoiceId), new Payment(provider, invoiceId, accountId, amount))
        == null;
  }

  @Override
  public boolean claimNotice(String key, Instant now) {
    return notices.add(key);
  }
}
