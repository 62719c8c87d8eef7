package dev.switchboard.payments;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Published inside the transaction that makes an account's subscription active, when an account
 * gains access. A listener that writes to the database and must commit with the subscription uses
 * {@code @TransactionalEventListener(phase = BEFORE_COMMIT)} (analytics' {@code
 * subscription_started} does); one with outside effects uses {@code AFTER_COMMIT}.
 *
 * @param accountId the account that subscribed
 * @param plan the plan name from {@code PAYMENT_PLANS}, or the price id when the price is not in a
 *     plan
 * @param price the provider's price id (PayPal: the billing plan id)
 * @param paid what the provider event that started the subscription says was paid; empty when that
 *     event carries no amount
 */
public record SubscriptionStarted(
    String accountId, String plan, String price, Optional<Amount> paid) {

  public SubscriptionStarted {
    Objects.requireNonNull(paid, "paid");
  }

  /**
   * An amount in major units ({@code 10.00} USD, {@code 1000} JPY).
   *
   * @param value at least zero
   * @param currency ISO 4217, upper case
   */
  public record Amount(BigDecimal value, String currency) {

    public Amount {
      Objects.requireNonNull(value, "value");
      if (value.signum() < 0) {
        throw new IllegalArgumentException("amount below zero");
      }
      if (currency == null || !currency.matches("[A-Z]{3}")) {
        throw new IllegalArgumentException("currency must be three letters");
      }
    }

    /**
     * The amount when both parts are known and make sense: a provider event with a missing or
     * malformed amount or currency gives none rather than a wrong one.
     *
     * @param minorUnits the amount in the currency's smallest unit (cents)
     * @param fractionDigits how many of those make a major unit, as a power of ten (2 for USD)
     */
    public static Optional<Amount> ofMinorUnits(
        Optional<Long> minorUnits, Optional<String> currency, int fractionDigits) {
      if (minorUnits.isEmpty() || minorUnits.get() < 0) {
        return Optional.empty();
      }
      return currency
          .map(c -> c.toUpperCase(Locale.ROOT))
          .filter(c -> c.matches("[A-Z]{3}"))
          .map(c -> new Amount(BigDecimal.valueOf(minorUnits.get(), fractionDigits), c));
    }

    /** From a decimal string in major units ({@code "10.00"}, as PayPal sends it). */
    public static Optional<Amount> ofDecimal(Optional<String> decimal, Optional<String> currency) {
      if (decimal.isEmpty() || currency.isEmpty()) {
        return Optional.empty();
      }
      try {
        BigDecimal value = new BigDecimal(decimal.get().trim());
        String code = currency.get().toUpperCase(Locale.ROOT);
        return value.signum() < 0 || !code.matches("[A-Z]{3}")
            ? Optional.empty()
            : Optional.of(new Amount(value, code));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }
  }
}
