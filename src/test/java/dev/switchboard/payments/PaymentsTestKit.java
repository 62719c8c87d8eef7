package dev.switchboard.payments;

import dev.switchboard.auth.Account;
import dev.switchboard.auth.Accounts;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.SimpleTransactionStatus;

/**
 * What the payments unit tests share: a fixed clock, accounts that exist, a recording outbox,
 * states to start from.
 */
public final class PaymentsTestKit {

  public static final Instant T0 = Instant.parse("2026-05-01T12:00:00Z");
  public static final Clock CLOCK = Clock.fixed(T0, ZoneOffset.UTC);

  /** Every {@code usr_…} id is an account, with an address derived from it; nothing else is. */
  public static final Accounts ACCOUNTS =
      id ->
          id.startsWith("usr_")
              ? Optional.of(
                  new Account(
                      id, id + "@example.com", true, Optional.empty(), Set.of(), Instant.EPOCH))
              : Optional.empty();

  private PaymentsTestKit() {}

  /** One email queued by {@link PaymentNotices}. */
  public record SentMail(String template, String to, Map<String, Object> variables) {}

  /** An outbox that keeps what it was asked to send. */
  public static final class RecordingOutbox implements PaymentNotices.Outbox {
    public final List<SentMail> sent = new ArrayList<>();

    @Override
    public void send(String template, String to, Map<String, Object> variables) {
      sent.add(new SentMail(template, to, Map.copyOf(variables)));
    }
  }

  /**
   * An account subscribed to {@code plan} at {@code provider}, paid up from an event at {@code at}.
   */
  public static Subscription active(
      String accountId,
      String provider,
      String customer,
      String subscription,
      String plan,
      String price,
      Instant at) {
    return status(
        accountId, provider, customer, subscription, plan, price, SubscriptionStatus.ACTIVE, at);
  }

  public static Subscription status(
      String accountId,
      String provider,
      String customer,
      String subscription,
      String plan,
      String price,
      SubscriptionStatus status,
      Instant at) {
    return Subscription.none(accountId, provider, at)
        .linkedTo(provider, Optional.of(customer), Optional.of(subscription))
        .onPlan(Optional.of(plan), Optional.of(price))
        .movedTo(status, at);
  }

  /** A stored event as the job hands it to a processor. */
  public static StoredEvent stored(
      String provider, String id, String type, Instant created, String payload) {
    return new StoredEvent(
        provider,
        id,
        type,
        created,
        created,
        payload,
        StoredEvent.RECEIVED,
        Optional.empty(),
        Optional.empty(),
        0);
  }

  /**
   * Runs each transaction inline and counts how it ended, so a test sees commit or rollback without
   * a database.
   */
  public static final class CountingTransactions implements PlatformTransactionManager {
    public int commits;
    public int rollbacks;

    @Override
    public TransactionStatus getTransaction(TransactionDefinition definition) {
      return new SimpleTransactionStatus();
    }

    @Override
    public void commit(TransactionStatus status) {
      commits++;
    }

    @Override
    public void rollback(TransactionStatus status) {
      rollbacks++;
    }
  }
}
