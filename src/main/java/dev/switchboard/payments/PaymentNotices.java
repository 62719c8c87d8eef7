package dev.switchboard.payments;

import dev.switchboard.auth.Account;
import dev.switchboard.auth.Accounts;
import dev.switchboard.email.EmailService;
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
 * The emails the payments area sends. Each is claimed under a business key in the same transaction that queues it,
 * so a redelivered or reprocessed event never sends a second one: providers deliver at least once, and users notice
 * duplicate dunning mail.
 */
public final class PaymentNotices {

  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMM uuuu", Locale.ENGLISH)
      .withZone(ZoneOffset.UTC);

  private final PaymentStore store;
  private final Accounts accounts;
  private final EmailService email;
  private final Clock clock;
  private final String fallbackUrl;

  /** @param fallbackUrl where the email points when the provider sent no hosted invoice page */
  public PaymentNotices(PaymentStore store, Accounts accounts, EmailService email, Clock clock, String fallbackUrl) {
    this.store = store;
    this.accounts = accounts;
    this.email = email;
    this.clock = clock;
    this.fallbackUrl = fallbackUrl;
  }

  /**
   * Queues the {@code payment-failed} email once per invoice attempt.
   *
   * @return true when queued now; false when this attempt was already notified or the account has no address
   */
  boolean paymentFailed(String provider, String accountId, String invoiceId, long attempt, Optional<Long> amount,
      Optional<String> currency, Optional<String> invoiceUrl, Optional<Instant> retryAt) {
    Optional<Account> account = accounts.find(accountId);
    if (account.isEmpty()) {
      return false;
    }
    if (!store.claimNotice("payment-failed:" + provider + ":" + invoiceId + ":" + attempt, clock.instant())) {
      return false;
    }
    Map<String, Object> variables = new TreeMap<>();
    variables.put("name", account.get().name().orElse(account.get().email()));
    variables.put("amount", amount(amount, currency));
    variables.put("invoiceUrl", invoiceUrl.filter(u -> u.startsWith("https://") || u.startsWith("http://"))
        .orElse(fallbackUrl));
    retryAt.ifPresent(at -> variables.put("retryDate", DAY.format(at)));
    email.send("payment-failed", account.get().email(), variables, Optional.empty());
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
