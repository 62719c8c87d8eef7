package dev.switchboard.payments.stripe;

import static dev.switchboard.payments.PaymentsTestKit.ACCOUNTS;
import static dev.switchboard.payments.PaymentsTestKit.CLOCK;
import static dev.switchboard.payments.PaymentsTestKit.T0;
import static dev.switchboard.payments.PaymentsTestKit.active;
import static dev.switchboard.payments.PaymentsTestKit.status;
import static dev.switchboard.payments.PaymentsTestKit.stored;
import static dev.switchboard.payments.StripeEventJson.checkoutCompleted;
import static dev.switchboard.payments.StripeEventJson.checkoutSession;
import static dev.switchboard.payments.StripeEventJson.event;
import static dev.switchboard.payments.StripeEventJson.invoice;
import static dev.switchboard.payments.StripeEventJson.subscription;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.payments.EventOutcome;
import dev.switchboard.payments.FakePaymentStore;
import dev.switchboard.payments.MalformedEvent;
import dev.switchboard.payments.PaymentNotices;
import dev.switchboard.payments.PaymentsTestKit.RecordingOutbox;
import dev.switchboard.payments.Plans;
import dev.switchboard.payments.StoredEvent;
import dev.switchboard.payments.Subscription;
import dev.switchboard.payments.SubscriptionEnded;
import dev.switchboard.payments.SubscriptionStarted;
import dev.switchboard.payments.SubscriptionStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.json.JsonMapper;

/**
 * Stripe events in, state transitions out: no database, no HTTP, a fake store and a recording
 * outbox.
 */
class StripeEventProcessorTest {

  static final String ACCOUNT = "usr_ann";
  static final Instant LATER = T0.plus(Duration.ofHours(1));
  static final Instant PERIOD_END = T0.plus(Duration.ofDays(30));
  static final Subscription ACTIVE =
      active(ACCOUNT, "stripe", "cus_1", "sub_1", "pro", "price_pro", T0);
  static final Subscription NEVER = Subscription.none(ACCOUNT, "stripe", T0);

  /**
   * One row: the account's state before, one event, what must follow.
   *
   * @param mail empty when no email may be queued; else whether it says access continues
   */
  record Case(
      String name,
      Subscription before,
      String type,
      Instant created,
      String object,
      String eventStatus,
      SubscriptionStatus after,
      List<Class<?>> published,
      Optional<Boolean> mail) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case(
            "paid checkout activates and starts",
            NEVER,
            "checkout.session.completed",
            LATER,
            checkoutCompleted(ACCOUNT, "cus_1", "sub_1", "pro", "price_pro"),
            StoredEvent.PROCESSED,
            SubscriptionStatus.ACTIVE,
            List.of(SubscriptionStarted.class),
            Optional.empty()),
        new Case(
            "unpaid checkout (SEPA) waits for its payment",
            NEVER,
            "checkout.session.completed",
            LATER,
            checkoutSession(
                ACCOUNT, "cus_1", "sub_1", "unpaid", "{\"plan\":\"pro\",\"price\":\"price_pro\"}"),
            StoredEvent.IGNORED,
            SubscriptionStatus.NONE,
            List.of(),
            Optional.empty()),
        new Case(
            "checkout with a plan we do not offer is not ours",
            NEVER,
            "checkout.session.completed",
            LATER,
            checkoutCompleted(ACCOUNT, "cus_1", "sub_1", "gold", "price_gold"),
            StoredEvent.IGNORED,
            SubscriptionStatus.NONE,
            List.of(),
            Optional.empty()),
        new Case(
            "renewal paid keeps active, publishes nothing",
            ACTIVE,
            "invoice.paid",
            LATER,
            invoice("in_2", "cus_1", "sub_1", ACCOUNT, 1, PERIOD_END),
            StoredEvent.PROCESSED,
            SubscriptionStatus.ACTIVE,
            List.of(),
            Optional.empty()),
        new Case(
            "renewal failed: past_due, access continues, the email says so",
            ACTIVE,
            "invoice.payment_failed",
            LATER,
            invoice("in_2", "cus_1", "sub_1", ACCOUNT, 1, PERIOD_END),
            StoredEvent.PROCESSED,
            SubscriptionStatus.PAST_DUE,
            List.of(),
            Optional.of(true)),
        new Case(
            "first payment failed: incomplete, no access, no promise of access",
            NEVER,
            "invoice.payment_failed",
            LATER,
            invoice("in_1", "cus_1", "sub_1", ACCOUNT, 1, PERIOD_END),
            StoredEvent.PROCESSED,
            SubscriptionStatus.INCOMPLETE,
            List.of(),
            Optional.of(false)),
        new Case(
            "failed payment on an ended subscription does not bring access back",
            status(
                ACCOUNT,
                "stripe",
                "cus_1",
                "sub_1",
                "pro",
                "price_pro",
                SubscriptionStatus.CANCELED,
                T0),
            "invoice.payment_failed",
            LATER,
            invoice("in_3", "cus_1", "sub_1", ACCOUNT, 1, PERIOD_END),
            StoredEvent.PROCESSED,
            SubscriptionStatus.CANCELED,
            List.of(),
            Optional.of(false)),
        new Case(
            "failed payment about an old subscription is ignored",
            ACTIVE,
            "invoice.payment_failed",
            LATER,
            invoice("in_old", "cus_1", "sub_old", ACCOUNT, 1, PERIOD_END),
            StoredEvent.IGNORED,
            SubscriptionStatus.ACTIVE,
            List.of(),
            Optional.empty()),
        new Case(
            "failed payment older than the state is stale",
            ACTIVE,
            "invoice.payment_failed",
            T0.minusSeconds(60),
            invoice("in_2", "cus_1", "sub_1", ACCOUNT, 1, PERIOD_END),
            StoredEvent.IGNORED,
            SubscriptionStatus.ACTIVE,
            List.of(),
            Optional.empty()),
        new Case(
            "subscription deleted ends access",
            ACTIVE,
            "customer.subscription.deleted",
            LATER,
            subscription("sub_1", "cus_1", "canceled", false, "price_pro", PERIOD_END),
            StoredEvent.PROCESSED,
            SubscriptionStatus.CANCELED,
            List.of(SubscriptionEnded.class),
            Optional.empty()),
        new Case(
            "deletion of another subscription leaves the current one",
            ACTIVE,
            "customer.subscription.deleted",
            LATER,
            subscription("sub_old", "cus_1", "canceled", false, "price_pro", PERIOD_END),
            StoredEvent.IGNORED,
            SubscriptionStatus.ACTIVE,
            List.of(),
            Optional.empty()),
        new Case(
            "update to unpaid ends access",
            ACTIVE,
            "customer.subscription.updated",
            LATER,
            subscription("sub_1", "cus_1", "unpaid", false, "price_pro", PERIOD_END),
            StoredEvent.PROCESSED,
            SubscriptionStatus.UNPAID,
            List.of(SubscriptionEnded.class),
            Optional.empty()),
        new Case(
            "update to trialing starts access",
            NEVER.linkedTo("stripe", Optional.of("cus_1"), Optional.empty()),
            "customer.subscription.updated",
            LATER,
            subscription("sub_1", "cus_1", "trialing", false, "price_pro", PERIOD_END),
            StoredEvent.PROCESSED,
            SubscriptionStatus.TRIALING,
            List.of(SubscriptionStarted.class),
            Optional.empty()),
        new Case(
            "an event type we do not act on is ignored",
            ACTIVE,
            "customer.created",
            LATER,
            "{\"id\":\"cus_1\"}",
            StoredEvent.IGNORED,
            SubscriptionStatus.ACTIVE,
            List.of(),
            Optional.empty()));
  }

  final FakePaymentStore store = new FakePaymentStore();
  final RecordingOutbox outbox = new RecordingOutbox();
  final StripeEventProcessor processor =
      new StripeEventProcessor(
          store,
          ACCOUNTS,
          new Plans(Map.of("pro", "price_pro")),
          new PaymentNotices(store, ACCOUNTS, outbox, CLOCK, "https://api.example.com"),
          CLOCK,
          JsonMapper.builder().build());

  EventOutcome apply(String type, Instant created, String object) {
    return processor.apply(
        stored(
            "stripe", "evt_" + type, type, created, event("evt_" + type, type, created, object)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void applyWhenEventThenStateMovesAsStripeMeansIt(Case c) {
    if (c.before().status() != SubscriptionStatus.NONE || c.before().customerId().isPresent()) {
      store.with(c.before());
    }

    EventOutcome outcome = apply(c.type(), c.created(), c.object());

    assertThat(outcome.status()).as(outcome.detail()).isEqualTo(c.eventStatus());
    SubscriptionStatus after =
        store.subscription(ACCOUNT).map(Subscription::status).orElse(SubscriptionStatus.NONE);
    assertThat(after).isEqualTo(c.after());
    assertThat(outcome.published()).map(Object::getClass).containsExactlyElementsOf(c.published());
    assertThat(outbox.sent).hasSize(c.mail().isPresent() ? 1 : 0);
    c.mail()
        .ifPresent(
            continues ->
                assertThat(outbox.sent.get(0).variables().containsKey("accessContinues"))
                    .isEqualTo(continues));
  }

  @Test
  void invoicePaymentFailedWhenNeverPaidThenNoAccessAndTheEmailLinksTheInvoicePage() {
    apply(
        "invoice.payment_failed", LATER, invoice("in_1", "cus_1", "sub_1", ACCOUNT, 1, PERIOD_END));

    Subscription after = store.subscription(ACCOUNT).orElseThrow();
    assertThat(after.entitled()).isFalse();
    assertThat(after.status().id()).isEqualTo("incomplete");
    assertThat(outbox.sent)
        .singleElement()
        .satisfies(
            mail -> {
              assertThat(mail.template()).isEqualTo("payment-failed");
              assertThat(mail.variables())
                  .containsEntry("invoiceUrl", "https://invoice.stripe.com/i/acct_1/in_1")
                  .doesNotContainKey("accessContinues");
            });
  }

  @Test
  void invoicePaymentFailedWhenRedeliveredThenOneEmailPerAttempt() {
    store.with(ACTIVE);
    String failed = invoice("in_2", "cus_1", "sub_1", ACCOUNT, 1, PERIOD_END);

    apply("invoice.payment_failed", LATER, failed);
    apply("invoice.payment_failed", LATER, failed);
    apply(
        "invoice.payment_failed", LATER, invoice("in_2", "cus_1", "sub_1", ACCOUNT, 2, PERIOD_END));

    assertThat(outbox.sent).hasSize(2);
  }

  @Test
  void checkoutAsyncPaymentFailedThenNothingActivatedAndTheEmailLinksBackToTheApp() {
    String session =
        "{\"id\":\"cs_1\",\"object\":\"checkout.session\",\"client_reference_id\":\""
            + ACCOUNT
            + "\","
            + "\"customer\":\"cus_1\",\"mode\":\"subscription\",\"payment_status\":\"unpaid\",\"amount_total\":1900,"
            + "\"currency\":\"usd\",\"cancel_url\":\"https://app.example.com/pricing\","
            + "\"metadata\":{\"plan\":\"pro\",\"price\":\"price_pro\"}}";

    EventOutcome outcome = apply("checkout.session.async_payment_failed", LATER, session);

    assertThat(outcome.status()).isEqualTo(StoredEvent.PROCESSED);
    assertThat(store.subscription(ACCOUNT)).isEmpty();
    assertThat(outbox.sent)
        .singleElement()
        .satisfies(
            mail ->
                assertThat(mail.variables())
                    .containsEntry("invoiceUrl", "https://app.example.com/pricing")
                    .doesNotContainKey("accessContinues"));
  }

  @Test
  void checkoutCompletedWhenOlderThanTheStateThenOnlyLinksTheCustomer() {
    store.with(
        status(
                ACCOUNT,
                "stripe",
                "cus_1",
                "sub_1",
                "pro",
                "price_pro",
                SubscriptionStatus.CANCELED,
                LATER)
            .linkedTo("stripe", Optional.empty(), Optional.empty()));

    EventOutcome outcome =
        apply(
            "checkout.session.completed",
            T0,
            checkoutCompleted(ACCOUNT, "cus_1", "sub_1", "pro", "price_pro"));

    assertThat(outcome.detail()).startsWith("stale");
    assertThat(store.subscription(ACCOUNT).orElseThrow().status())
        .isEqualTo(SubscriptionStatus.CANCELED);
    assertThat(outcome.published()).isEmpty();
  }

  @Test
  void
      invoicePaidWhenItOvertakesItsCheckoutThenFindsTheAccountByMetadataAndRecordsThePaymentOnce() {
    String paid = invoice("in_1", "cus_new", "sub_new", ACCOUNT, 1, PERIOD_END);

    EventOutcome first = apply("invoice.paid", LATER, paid);
    apply("invoice.paid", LATER, paid);

    assertThat(first.accountId()).contains(ACCOUNT);
    assertThat(first.published()).singleElement().isInstanceOf(SubscriptionStarted.class);
    assertThat(store.payments())
        .singleElement()
        .extracting(FakePaymentStore.Payment::invoiceId)
        .isEqualTo("in_1");
    assertThat(store.subscription(ACCOUNT).orElseThrow().currentPeriodEnd()).contains(PERIOD_END);
  }

  @Test
  void subscriptionUpdatedWhenStatusUnknownThenMalformed() {
    store.with(ACTIVE);
    assertThatThrownBy(
            () ->
                apply(
                    "customer.subscription.updated",
                    LATER,
                    subscription("sub_1", "cus_1", "frozen", false, "price_pro", PERIOD_END)))
        .isInstanceOf(MalformedEvent.class)
        .hasMessageContaining("frozen");
  }

  @Test
  void applyWhenTypeNotHandledThenIgnoredWithoutReadingTheBody() {
    assertThat(processor.handles("customer.updated")).isFalse();
    assertThat(processor.handles("invoice.paid")).isTrue();
    assertThat(processor.handles("checkout.session.completed")).isTrue();

    // Not JSON: a parse would throw.
    EventOutcome outcome =
        processor.apply(stored("stripe", "evt_1", "customer.updated", LATER, "not json"));

    assertThat(outcome.status()).isEqualTo(StoredEvent.IGNORED);
    assertThat(outcome.detail()).isEqualTo("event type not handled");
  }

  @Test
  void applyWhenDataObjectMissingThenMalformed() {
    assertThatThrownBy(
            () ->
                processor.apply(
                    stored(
                        "stripe",
                        "evt_1",
                        "invoice.paid",
                        LATER,
                        "{\"id\":\"evt_1\",\"type\":\"invoice.paid\",\"created\":1}")))
        .isInstanceOf(MalformedEvent.class);
  }

  static Optional<SubscriptionStarted.Amount> paid(String value, String currency) {
    return Optional.of(new SubscriptionStarted.Amount(new java.math.BigDecimal(value), currency));
  }

  static Optional<SubscriptionStarted.Amount> startedAmount(EventOutcome outcome) {
    assertThat(outcome.published()).singleElement().isInstanceOf(SubscriptionStarted.class);
    return ((SubscriptionStarted) outcome.published().get(0)).paid();
  }

  @Test
  void checkoutCompletedWhenPaidThenStartedCarriesTheSessionTotalInMajorUnits() {
    EventOutcome outcome =
        apply(
            "checkout.session.completed",
            LATER,
            checkoutCompleted(ACCOUNT, "cus_1", "sub_1", "pro", "price_pro"));

    assertThat(startedAmount(outcome)).isEqualTo(paid("19.00", "USD"));
  }

  @Test
  void invoicePaidWhenItStartsTheSubscriptionThenStartedCarriesTheAmountPaid() {
    EventOutcome outcome =
        apply(
            "invoice.paid",
            LATER,
            invoice("in_1", "cus_new", "sub_new", ACCOUNT, 1, PERIOD_END)
                .replace("\"amount_paid\":1900", "\"amount_paid\":4250"));

    assertThat(startedAmount(outcome)).isEqualTo(paid("42.50", "USD"));
  }

  @Test
  void subscriptionUpdatedWhenItStartsAccessThenStartedCarriesUnitAmountTimesQuantity() {
    store.with(NEVER.linkedTo("stripe", Optional.of("cus_1"), Optional.empty()));
    String object =
        "{\"id\":\"sub_1\",\"object\":\"subscription\",\"customer\":\"cus_1\",\"status\":\"active\","
            + "\"items\":{\"data\":[{\"quantity\":3,\"price\":{\"id\":\"price_pro\",\"unit_amount\":500,"
            + "\"currency\":\"jpy\"}}]}}";

    EventOutcome outcome = apply("customer.subscription.updated", LATER, object);

    // JPY has no minor unit at Stripe: 500 is 500 yen.
    assertThat(startedAmount(outcome)).isEqualTo(paid("1500", "JPY"));
  }

  @Test
  void subscriptionUpdatedWhenThePriceCarriesNoAmountThenStartedWithoutAmount() {
    store.with(NEVER.linkedTo("stripe", Optional.of("cus_1"), Optional.empty()));

    EventOutcome outcome =
        apply(
            "customer.subscription.updated",
            LATER,
            subscription("sub_1", "cus_1", "active", false, "price_pro", PERIOD_END));

    assertThat(startedAmount(outcome)).isEmpty();
  }

  @Test
  void checkoutCompletedWhenCurrencyMalformedThenStartedWithoutAmountRatherThanAWrongOne() {
    EventOutcome outcome =
        apply(
            "checkout.session.completed",
            LATER,
            checkoutCompleted(ACCOUNT, "cus_1", "sub_1", "pro", "price_pro")
                .replace("\"currency\":\"usd\"", "\"currency\":\"dollars\""));

    assertThat(startedAmount(outcome)).isEmpty();
  }
}
