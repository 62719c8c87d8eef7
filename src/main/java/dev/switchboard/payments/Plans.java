package dev.switchboard.payments;

import dev.switchboard.platform.http.ApiException;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * {@code PAYMENT_PLANS}: apps ask for {@code pro}, not for a price id. A price written {@code
 * price_123:payment} is a one-time payment (Checkout {@code mode=payment}); every other plan is a
 * subscription.
 */
public final class Plans {

  private final Map<String, String> prices;

  public Plans(Map<String, String> prices) {
    this.prices = Map.copyOf(prices);
  }

  /** A plan resolved to its provider price and checkout mode. */
  public record Plan(String name, String price, boolean oneTime) {}

  /**
   * @throws ApiException 400 {@code unknown_plan} naming the configured plans
   */
  public Plan resolve(String name) {
    String configured = name == null ? null : prices.get(name);
    if (configured == null) {
      throw new ApiException(
          400,
          "unknown_plan",
          "Unknown plan; configured plans: "
              + (prices.isEmpty()
                  ? "none (set PAYMENT_PLANS)"
                  : String.join(", ", new TreeSet<>(prices.keySet())))
              + ".",
          false,
          "plan",
          Map.of());
    }
    boolean oneTime = configured.endsWith(":payment");
    return new Plan(
        name,
        oneTime ? configured.substring(0, configured.length() - ":payment".length()) : configured,
        oneTime);
  }

  /** The plan name of a provider price, for events that only carry the price. */
  public Optional<String> planFor(String price) {
    return prices.entrySet().stream()
        .filter(e -> e.getValue().equals(price) || e.getValue().equals(price + ":payment"))
        .map(Map.Entry::getKey)
        .findFirst();
  }

  /**
   * Whether {@code name} is a configured plan whose price is {@code price}, as our checkout writes
   * both.
   */
  public boolean offers(String name, String price) {
    String configured = prices.get(name);
    return configured != null
        && (configured.equals(price) || configured.equals(price + ":payment"));
  }

  public Map<String, String> all() {
    return prices;
  }
}
