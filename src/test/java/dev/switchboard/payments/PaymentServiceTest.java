package dev.switchboard.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.auth.Account;
import dev.switchboard.platform.config.SwitchboardConfig;
import dev.switchboard.platform.http.ApiException;
import dev.switchboard.platform.http.Caller;
import dev.switchboard.platform.http.RedirectTargets;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PaymentServiceTest {

  static final Caller USER = new Caller("usr_1", Caller.Kind.USER, Set.of());
  static final PaymentService.CheckoutBody BODY = new PaymentService.CheckoutBody("pro", "https://api.example.com/ok",
      "https://api.example.com/no", null);

  /** Production, no Stripe key: no gateway at all, as PaymentsConfiguration wires it. */
  static PaymentService productionWithoutKey() {
    SwitchboardConfig config = SwitchboardConfig.load(Map.of("SWITCHBOARD_ENV", "production",
        "SWITCHBOARD_PUBLIC_URL", "https://api.example.com", "EMAIL_PROVIDER", "postmark",
        "POSTMARK_SERVER_TOKEN", "pm-token-123456789", "EMAIL_FROM", "no-reply@example.com",
        "PAYMENT_PLANS", "pro=price_pro", "AUTH_OAUTH_PROVIDERS", "none")::get);
    return new PaymentService(Map.of(), "stripe", new Plans(config.payments().plans()), null,
        id -> Optional.of(new Account(id, "ann@example.com", true, Optional.empty(), Set.of(), Instant.EPOCH)),
        new RedirectTargets(config), null, Clock.systemUTC());
  }

  @Test
  void checkoutWhenProductionWithoutStripeKeyThenNotConfiguredNamingTheVariable() {
    assertThatThrownBy(() -> productionWithoutKey().checkout(Optional.of(USER), BODY, Optional.empty()))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.status()).isEqualTo(503);
          assertThat(e.code()).isEqualTo("payments_not_configured");
          assertThat(e.getMessage()).contains("STRIPE_SECRET_KEY");
        });
  }

  @Test
  void checkoutWhenDevProviderAskedForInProductionThenNotConfigured() {
    PaymentService.CheckoutBody dev = new PaymentService.CheckoutBody("pro", "https://api.example.com/ok",
        "https://api.example.com/no", "dev");
    assertThatThrownBy(() -> productionWithoutKey().checkout(Optional.of(USER), dev, Optional.empty()))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo("payments_not_configured"));
  }

  @Test
  void checkoutWhenUnknownProviderThen400() {
    PaymentService.CheckoutBody other = new PaymentService.CheckoutBody("pro", "https://api.example.com/ok",
        "https://api.example.com/no", "bitcoin");
    assertThatThrownBy(() -> productionWithoutKey().checkout(Optional.of(USER), other, Optional.empty()))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo("unknown_provider"));
  }

  @Test
  void planResolveWhenPaymentSuffixThenOneTimeAndPlanForFindsItBack() {
    Plans plans = new Plans(Map.of("pro", "price_pro", "lifetime", "price_life:payment"));
    assertThat(plans.resolve("lifetime")).isEqualTo(new Plans.Plan("lifetime", "price_life", true));
    assertThat(plans.resolve("pro")).isEqualTo(new Plans.Plan("pro", "price_pro", false));
    assertThat(plans.planFor("price_life")).contains("lifetime");
    assertThatThrownBy(() -> plans.resolve("gold")).isInstanceOfSatisfying(ApiException.class,
        e -> assertThat(e.getMessage()).contains("lifetime, pro"));
  }

  @Test
  void amountWhenMinorUnitsThenTwoDecimalsAndCurrency() {
    assertThat(PaymentNotices.amount(Optional.of(1900L), Optional.of("usd"))).isEqualTo("19.00 USD");
    assertThat(PaymentNotices.amount(Optional.empty(), Optional.of("usd"))).isEqualTo("your subscription");
  }
}
