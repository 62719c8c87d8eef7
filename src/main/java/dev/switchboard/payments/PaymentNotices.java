package dev.switchboard.payments;

import dev.switchboard.auth.Account;
import dev.switchboard.auth.Accounts;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The emails the payments area sends. Each is claimed under a business key in the same transaction
 * that queues it, so a redelivered or reprocessed event never sends a second one: providers deliver
 * at least once, and users notice duplicate dunning mail.
 */
public final class PaymentNotices {

  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("d MMM uuuu", Locale.ENGLISH).withZone(ZoneOffset.UTC);

  private final PaymentStore store;
  private final Accounts accounts;
  private final Outbox email;
  private final Clock clock;
  private final String fallbackUrl;

  /** Queues a templated email (the email area's queue, in the caller's transaction). */
  @FunctionalInterface
  public interface Outbox {
    void send(String template, String to, Map<String, Object> variables);
  }

  /**
   * @param fallbackUrl where the email points when the provider sent no hosted invoice page
   */
  public PaymentNotices(
      PaymentStore store, Accounts accounts, Outbox email, Clock clock, String fallbackUrl) {
    this.store = store;
    this.accounts = accounts;
    this.email = email;
    this.clock = clock;
    this.fallbackUrl = fallbackUrl;
  }

  /**
   * A failed payment to tell the buyer about.
   *
   * @param invoiceId the provider's invoice (or checkout session) the payment was for; with {@code
   *     attempt} the key that makes the email once-only
   * @param payUrl where the buyer can pay or choose another method (Stripe's hosted invoice page);
   *     the app's URL otherwise
   * @param accessContinues whether the account keeps its access while the provider retries: true
   *     for a failed renewal, false for a first payment that never went through
   */
  public record FailedPayment(
      String provider,
      String accountId,
      String invoiceId,
      long attempt,
      Optional<Long> amount,
      Optional<String> currency,
      Optional<String> payUrl,
      Optional<Instant> retryAt,
      boolean accessContinues) {}

  /**
   * Queues the {@code payment-failed} email once per invoice attempt.
   *
   * @return true when queued now; false when this attempt was already notified or the account has
   *     no address
   */
  public boolean paymentFailed(FailedPayment failed) {
    Optional<Account> account = accounts.find(failed.accountId());
    if (account.isEmpty()) {
      return false;
    }
    String key =
        "payment-failed:" + failed.provider() + ":" + failed.invoiceId() + ":" + failed.attempt();
    if (!store.claimNotice(key, clock.instant())) {
      return false;
    }
    Map<String, Object> variables = new TreeMap<>();
    variables.put("name", account.get().name().orElse(account.get().email()));
    variables.put("amount", amount(failed.amount(), failed.currency()));
    variables.put(
        "invoiceUrl",
        failed
            .payUrl()
            .filter(u -> u.startsWith("https://") || u.startsWith("http://"))
            .orElse(fallbackUrl));
    failed.retryAt().ifPresent(at -> variables.put("retryDate", DAY.format(at)));
    if (failed.accessContinues()) {
      variables.put("accessContinues", "true");
    }
    email.send("payment-failed", account.get().email(), variables);
    return true;
  }

  /** Stripe amounts are in the currency's minor unit; two decimals covers the common currencies. */
  static String amount(Optional<Long> minor, Optional<String> currency) {
    if (minor.isEmpty()) {
      return "your subscription";
    }
    String value = BigDecimal.valueOf(minor.get(), 2).toPlainString();
    return currency.map(c -> value + " " + c.toUpperCase(Locale.ROOT)).orElse(value);
  }
}
