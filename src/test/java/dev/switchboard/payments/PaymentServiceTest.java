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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PaymentServiceTest {

  static final Caller USER = new Caller("usr_1", Caller.Kind.USER, Set.of());
  static final PaymentService.CheckoutBody BODY =
      new PaymentService.CheckoutBody(
          "pro", "https://api.example.com/ok", "https://api.example.com/no", null);

  static SwitchboardConfig config() {
    return SwitchboardConfig.load(
        Map.of(
                "SWITCHBOARD_ENV",
                "production",
                "SWITCHBOARD_PUBLIC_URL",
                "https://api.example.com",
                "EMAIL_PROVIDER",
                "postmark",
                "POSTMARK_SERVER_TOKEN",
                "pm-token-123456789",
                "EMAIL_FROM",
                "no-reply@example.com",
                "PAYMENT_PLANS",
                "pro=price_pro",
                "AUTH_OAUTH_PROVIDERS",
                "none")
            ::get);
  }

  /** Production, no Stripe key: no gateway at all, as PaymentsConfiguration wires it. */
  static PaymentService productionWithoutKey() {
    SwitchboardConfig config = config();
    return new PaymentService(
        Map.of(),
        "stripe",
        new Plans(config.area(PaymentsConfig.class).plans()),
        new FakePaymentStore(),
        id ->
            Optional.of(
                new Account(
                    id, "ann@example.com", true, Optional.empty(), Set.of(), Instant.EPOCH)),
        new RedirectTargets(config),
        (provider, id, reason) -> {
          throw new AssertionError("nothing is queued by a checkout");
        },
        Clock.systemUTC());
  }

  @Test
  void reprocessWhenFailedOrUnmatchedThenQueuedWithAReasonElseRefused() {
    FakePaymentStore store = new FakePaymentStore();
    List<String> queued = new ArrayList<>();
    PaymentService service =
        new PaymentService(
            Map.of(),
            "stripe",
            new Plans(Map.of()),
            store,
            PaymentsTestKit.ACCOUNTS,
            new RedirectTargets(config()),
            (provider, id, reason) ->
                queued.add(id + reason.map(r -> " " + r.split(":")[0]).orElse("")),
            PaymentsTestKit.CLOCK);
    for (String id : List.of("evt_failed", "evt_unmatched", "evt_done")) {
      store.insertEvent(
          new ReceivedEvent("stripe", id, "invoice.paid", PaymentsTestKit.T0, "{}"),
          Optional.empty(),
          PaymentsTestKit.T0);
    }
    store.markEvent(
        "stripe", "evt_failed", StoredEvent.FAILED, "error", Optional.empty(), PaymentsTestKit.T0);
    store.markEvent(
        "stripe",
        "evt_unmatched",
        StoredEvent.UNMATCHED,
        "no account",
        Optional.empty(),
        PaymentsTestKit.T0);
    store.markEvent(
        "stripe",
        "evt_done",
        StoredEvent.PROCESSED,
        "activated",
        Optional.empty(),
        PaymentsTestKit.T0);

    assertThat(service.reprocess("stripe", "evt_failed")).isTrue();
    assertThat(service.reprocess("stripe", "evt_unmatched")).isTrue();
    assertThat(service.reprocess("stripe", "evt_done")).isFalse();
    assertThat(service.reprocess("stripe", "evt_missing")).isFalse();
    assertThat(queued).containsExactly("evt_failed reprocess", "evt_unmatched reprocess");
  }

  @Test
  void checkoutWhenProductionWithoutStripeKeyThenNotConfiguredNamingTheVariable() {
    assertThatThrownBy(
            () -> productionWithoutKey().checkout(Optional.of(USER), BODY, Optional.empty()))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(503);
              assertThat(e.code()).isEqualTo("payments_not_configured");
              assertThat(e.getMessage()).contains("STRIPE_SECRET_KEY");
            });
  }

  @Test
  void checkoutWhenDevProviderAskedForInProductionThenNotConfigured() {
    PaymentService.CheckoutBody dev =
        new PaymentService.CheckoutBody(
            "pro", "https://api.example.com/ok", "https://api.example.com/no", "dev");
    assertThatThrownBy(
            () -> productionWithoutKey().checkout(Optional.of(USER), dev, Optional.empty()))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.code()).isEqualTo("payments_not_configured"));
  }

  @Test
  void checkoutWhenUnknownProviderThen400() {
    PaymentService.CheckoutBody other =
        new PaymentService.CheckoutBody(
            "pro", "https://api.example.com/ok", "https://api.example.com/no", "bitcoin");
    assertThatThrownBy(
            () -> productionWithoutKey().checkout(Optional.of(USER), other, Optional.empty()))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.code()).isEqualTo("unknown_provider"));
  }

  @Test
  void planResolveWhenPaymentSuffixThenOneTimeAndPlanForFindsItBack() {
    Plans plans = new Plans(Map.of("pro", "price_pro", "lifetime", "price_life:payment"));
    assertThat(plans.resolve("lifetime")).isEqualTo(new Plans.Plan("lifetime", "price_life", true));
    assertThat(plans.resolve("pro")).isEqualTo(new Plans.Plan("pro", "price_pro", false));
    assertThat(plans.planFor("price_life")).contains("lifetime");
    assertThatThrownBy(() -> plans.resolve("gold"))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.getMessage()).contains("lifetime, pro"));
  }

  @Test
  void amountWhenMinorUnitsThenTwoDecimalsAndCurrency() {
    assertThat(PaymentNotices.amount(Optional.of(1900L), Optional.of("usd")))
        .isEqualTo("19.00 USD");
    assertThat(PaymentNotices.amount(Optional.empty(), Optional.of("usd")))
        .isEqualTo("your subscription");
  }
}
