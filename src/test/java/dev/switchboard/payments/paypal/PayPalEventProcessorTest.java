package dev.switchboard.payments.paypal;

import static dev.switchboard.payments.PaymentsTestKit.ACCOUNTS;
import static dev.switchboard.payments.PaymentsTestKit.CLOCK;
import static dev.switchboard.payments.PaymentsTestKit.T0;
import static dev.switchboard.payments.PaymentsTestKit.active;
import static dev.switchboard.payments.PaymentsTestKit.stored;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.payments.EventOutcome;
import dev.switchboard.payments.FakePaymentStore;
import dev.switchboard.payments.MalformedEvent;
import dev.switchboard.payments.StoredEvent;
import dev.switchboard.payments.Subscription;
import dev.switchboard.payments.SubscriptionEnded;
import dev.switchboard.payments.SubscriptionStarted;
import dev.switchboard.payments.SubscriptionStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.json.JsonMapper;

/** PayPal events in, state transitions out: no database, no HTTP. */
class PayPalEventProcessorTest {

  static final String ACCOUNT = "usr_bob";
  static final Instant LATER = T0.plus(Duration.ofHours(1));
  static final Subscription ACTIVE =
      active(ACCOUNT, "paypal", "PAYER1", "I-CURRENT", "pro", "P-PRO", T0);
  static final Subscription NEVER = Subscription.none(ACCOUNT, "paypal", T0);

  record Case(
      String name,
      Subscription before,
      String type,
      Instant created,
      String resource,
      String eventStatus,
      SubscriptionStatus after,
      List<Class<?>> published) {
    @Override
    public String toString() {
      return name;
    }
  }

  static String subscription(String id) {
    return "{\"id\":\""
        + id
        + "\",\"plan_id\":\"P-PRO\",\"custom_id\":\""
        + ACCOUNT
        + "\",\"status\":\"ACTIVE\","
        + "\"subscriber\":{\"payer_id\":\"PAYER1\"},\"billing_info\":{\"next_billing_time\":\"2026-06-01T10:00:00Z\"}}";
  }

  static String sale(String id, String subscription) {
    return "{\"id\":\""
        + id
        + "\",\"billing_agreement_id\":\""
        + subscription
        + "\",\"custom\":\""
        + ACCOUNT
        + "\","
        + "\"amount\":{\"total\":\"10.00\",\"currency\":\"USD\"},\"state\":\"completed\"}";
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case(
            "activated starts access on the plan",
            NEVER,
            "BILLING.SUBSCRIPTION.ACTIVATED",
            LATER,
            subscription("I-CURRENT"),
            StoredEvent.PROCESSED,
            SubscriptionStatus.ACTIVE,
            List.of(SubscriptionStarted.class)),
        new Case(
            "cancelled ends access",
            ACTIVE,
            "BILLING.SUBSCRIPTION.CANCELLED",
            LATER,
            subscription("I-CURRENT"),
            StoredEvent.PROCESSED,
            SubscriptionStatus.CANCELED,
            List.of(SubscriptionEnded.class)),
        new Case(
            "suspended after failed renewals keeps access while PayPal retries",
            ACTIVE,
            "BILLING.SUBSCRIPTION.SUSPENDED",
            LATER,
            subscription("I-CURRENT"),
            StoredEvent.PROCESSED,
            SubscriptionStatus.PAST_DUE,
            List.of()),
        new Case(
            "suspended before it was ever active grants no access",
            NEVER,
            "BILLING.SUBSCRIPTION.SUSPENDED",
            LATER,
            subscription("I-NEW"),
            StoredEvent.PROCESSED,
            SubscriptionStatus.INCOMPLETE,
            List.of()),
        new Case(
            "cancelling an old subscription leaves the current one",
            ACTIVE,
            "BILLING.SUBSCRIPTION.CANCELLED",
            LATER,
            subscription("I-OLD"),
            StoredEvent.IGNORED,
            SubscriptionStatus.ACTIVE,
            List.of()),
        new Case(
            "an older cancellation is stale",
            ACTIVE,
            "BILLING.SUBSCRIPTION.CANCELLED",
            T0.minusSeconds(60),
            subscription("I-CURRENT"),
            StoredEvent.IGNORED,
            SubscriptionStatus.ACTIVE,
            List.of()),
        new Case(
            "a sale on a suspended subscription makes it active again",
            ACTIVE.movedTo(SubscriptionStatus.PAST_DUE, T0),
            "PAYMENT.SALE.COMPLETED",
            LATER,
            sale("SALE1", "I-CURRENT"),
            StoredEvent.PROCESSED,
            SubscriptionStatus.ACTIVE,
            List.of()),
        new Case(
            "an event type we do not act on is ignored",
            ACTIVE,
            "CUSTOMER.DISPUTE.CREATED",
            LATER,
            "{}",
            StoredEvent.IGNORED,
            SubscriptionStatus.ACTIVE,
            List.of()));
  }

  final FakePaymentStore store = new FakePaymentStore();
  final PayPalEventProcessor processor =
      new PayPalEventProcessor(
          store, ACCOUNTS, Map.of("pro", "P-PRO"), CLOCK, JsonMapper.builder().build());

  EventOutcome apply(String id, String type, Instant created, String resource) {
    String payload =
        "{\"id\":\""
            + id
            + "\",\"event_type\":\""
            + type
            + "\",\"create_time\":\""
            + created
            + "\",\"resource\":"
            + resource
            + "}";
    return processor.apply(stored("paypal", id, type, created, payload));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void applyWhenEventThenStateMovesAsPayPalMeansIt(Case c) {
    if (c.before().status() != SubscriptionStatus.NONE) {
      store.with(c.before());
    }

    EventOutcome outcome = apply("WH-1", c.type(), c.created(), c.resource());

    assertThat(outcome.status()).as(outcome.detail()).isEqualTo(c.eventStatus());
    assertThat(
            store.subscription(ACCOUNT).map(Subscription::status).orElse(SubscriptionStatus.NONE))
        .isEqualTo(c.after());
    assertThat(outcome.published()).map(Object::getClass).containsExactlyElementsOf(c.published());
  }

  @Test
  void activatedThenPlanNameFromPayPalPlanIdAndPeriodEndFromNextBilling() {
    apply("WH-1", "BILLING.SUBSCRIPTION.ACTIVATED", LATER, subscription("I-CURRENT"));

    Subscription after = store.subscription(ACCOUNT).orElseThrow();
    assertThat(after.plan()).contains("pro");
    assertThat(after.price()).contains("P-PRO");
    assertThat(after.customerId()).contains("PAYER1");
    assertThat(after.currentPeriodEnd()).contains(Instant.parse("2026-06-01T10:00:00Z"));
  }

  @Test
  void saleCompletedWhenRedeliveredThenPaymentRecordedOnceInMinorUnits() {
    store.with(ACTIVE);

    apply("WH-1", "PAYMENT.SALE.COMPLETED", LATER, sale("SALE1", "I-CURRENT"));
    EventOutcome again = apply("WH-2", "PAYMENT.SALE.COMPLETED", LATER, sale("SALE1", "I-CURRENT"));

    assertThat(again.detail()).isEqualTo("payment already recorded");
    assertThat(store.payments())
        .singleElement()
        .satisfies(p -> assertThat(p.amount()).contains(1000L));
  }

  @Test
  void subscriptionEventWhenResourceMissingThenMalformed() {
    assertThatThrownBy(
            () ->
                processor.apply(
                    stored(
                        "paypal",
                        "WH-1",
                        "BILLING.SUBSCRIPTION.ACTIVATED",
                        LATER,
                        "{\"id\":\"WH-1\"}")))
        .isInstanceOf(MalformedEvent.class);
  }

  static java.util.Optional<SubscriptionStarted.Amount> startedAmount(EventOutcome outcome) {
    assertThat(outcome.published()).singleElement().isInstanceOf(SubscriptionStarted.class);
    return ((SubscriptionStarted) outcome.published().get(0)).paid();
  }

  @Test
  void activatedWhenLastPaymentGivenThenStartedCarriesItAsIs() {
    String resource =
        subscription("I-CURRENT")
            .replace(
                "\"billing_info\":{",
                "\"billing_info\":{\"last_payment\":{\"amount\":{\"currency_code\":\"EUR\","
                    + "\"value\":\"12.50\"},\"time\":\"2026-05-01T10:00:00Z\"},");

    EventOutcome outcome = apply("WH-1", "BILLING.SUBSCRIPTION.ACTIVATED", LATER, resource);

    assertThat(startedAmount(outcome))
        .contains(new SubscriptionStarted.Amount(new java.math.BigDecimal("12.50"), "EUR"));
  }

  @Test
  void activatedWhenNothingPaidYetThenStartedWithoutAmount() {
    EventOutcome outcome =
        apply("WH-1", "BILLING.SUBSCRIPTION.ACTIVATED", LATER, subscription("I-CURRENT"));

    assertThat(startedAmount(outcome)).isEmpty();
  }

  @Test
  void saleCompletedWhenItStartsTheSubscriptionThenStartedCarriesTheSaleAmount() {
    store.with(
        NEVER.linkedTo("paypal", java.util.Optional.empty(), java.util.Optional.of("I-NEW")));

    EventOutcome outcome = apply("WH-1", "PAYMENT.SALE.COMPLETED", LATER, sale("SALE1", "I-NEW"));

    assertThat(startedAmount(outcome))
        .contains(new SubscriptionStarted.Amount(new java.math.BigDecimal("10.00"), "USD"));
  }
}
