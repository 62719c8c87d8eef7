package dev.switchboard.payments;

import static dev.switchboard.payments.PaymentTesting.assertError;
import static dev.switchboard.payments.PaymentTesting.json;
import static dev.switchboard.testing.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.payments.stripe.StripeTestSigner;
import dev.switchboard.platform.jobs.Job;
import dev.switchboard.platform.jobs.JobListener;
import dev.switchboard.testing.HeaderCallerFilter;
import dev.switchboard.testing.HttpTestClient;
import dev.switchboard.testing.TestAccounts;
import dev.switchboard.testing.TestCallers;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /api/webhooks/stripe} end to end on one database: signed with stripe-java's own
 * helper, stored by event id, applied by the job, read back through {@code GET
 * /api/payments/subscription}. Run on H2 and PostgreSQL.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "STRIPE_WEBHOOK_SECRET="
          + PaymentWebhooksContract.SECRET
          + ","
          + PaymentWebhooksContract.OLD_SECRET,
      "PAYMENT_PLANS=pro=price_pro,team=price_team"
    })
@Import({TestCallers.class, PaymentWebhooksContract.Beans.class})
abstract class PaymentWebhooksContract {

  static final String SECRET = "whsec_itcurrent0123456789";
  static final String OLD_SECRET = "whsec_itprevious0123456789";
  static final Duration WAIT = Duration.ofSeconds(15);

  /** What a paid checkout of the test's pro plan (19.00 USD, as StripeEventJson sends) starts. */
  static SubscriptionStarted startedPro(String account) {
    return new SubscriptionStarted(
        account,
        "pro",
        "price_pro",
        java.util.Optional.of(
            new SubscriptionStarted.Amount(new java.math.BigDecimal("19.00"), "USD")));
  }

  /** Every subscription event the area published, in order. */
  static final class Published {
    final List<Object> events = new CopyOnWriteArrayList<>();

    @EventListener
    void started(SubscriptionStarted event) {
      events.add(event);
    }

    @EventListener
    void ended(SubscriptionEnded event) {
      events.add(event);
    }

    List<Object> about(String accountId) {
      return events.stream()
          .filter(
              e ->
                  e instanceof SubscriptionStarted s
                      ? s.accountId().equals(accountId)
                      : ((SubscriptionEnded) e).accountId().equals(accountId))
          .toList();
    }
  }

  @TestConfiguration
  static class Beans {
    @Bean
    Published published() {
      return new Published();
    }

    @Bean
    RanJobs ranJobs() {
      return new RanJobs();
    }
  }

  /**
   * The payment event jobs the worker ran, by payload: a job without a dedupe key (an event's first
   * run) leaves no row once done, so its runs are counted here.
   */
  static final class RanJobs implements JobListener {
    final Map<String, AtomicInteger> byPayload = new ConcurrentHashMap<>();

    @Override
    public void beforeJob(Job job) {}

    @Override
    public void afterJob(Job job) {
      if (job.type().equals(PaymentEventJob.TYPE)) {
        byPayload.computeIfAbsent(job.payload(), p -> new AtomicInteger()).incrementAndGet();
      }
    }

    int runs(String payload) {
      var n = byPayload.get(payload);
      return n == null ? 0 : n.get();
    }
  }

  @LocalServerPort int port;
  @Autowired DataSource dataSource;
  @Autowired Published published;
  @Autowired RanJobs ranJobs;
  @Autowired PaymentStore store;

  HttpTestClient http;
  JdbcClient jdbc;
  String account;
  String customer;
  String subscription;
  Instant base;

  @BeforeEach
  void setUp() {
    http = new HttpTestClient(port);
    jdbc = JdbcClient.create(dataSource);
    String tag = UUID.randomUUID().toString().substring(0, 8);
    account = TestAccounts.create(jdbc, "payer-" + tag + "@example.com");
    customer = "cus_" + tag;
    subscription = "sub_" + tag;
    base = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(60);
  }

  static String id(String prefix) {
    return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
  }

  HttpResponse<String> post(String body, String secret) {
    return http.post(
        "/api/webhooks/stripe",
        body,
        "Stripe-Signature",
        StripeTestSigner.header(body, secret, Instant.now()));
  }

  HttpResponse<String> post(String body) {
    return post(body, SECRET);
  }

  /** Posts an event, expects the 200 acknowledgement, and waits until the job has dealt with it. */
  String deliver(String eventId, String type, Instant created, String object) {
    HttpResponse<String> response = post(StripeEventJson.event(eventId, type, created, object));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(json(response).path("duplicate").asBoolean()).isFalse();
    return awaitHandled(eventId);
  }

  String awaitHandled(String eventId) {
    await(
        "event " + eventId + " handled",
        WAIT,
        () ->
            List.of("processed", "ignored", "unmatched").contains(status(eventId))
                || status(eventId).startsWith("failed:malformed"));
    return status(eventId);
  }

  String status(String eventId) {
    return jdbc.sql(
            "SELECT status, detail FROM payment_events WHERE provider = 'stripe' AND event_id = ?")
        .param(eventId)
        .query(
            (rs, n) ->
                rs.getString(1).equals("failed") ? "failed:" + rs.getString(2) : rs.getString(1))
        .optional()
        .orElse("absent");
  }

  long events() {
    return jdbc.sql("SELECT COUNT(*) FROM payment_events").query(Long.class).single();
  }

  long emails(String template) {
    return jdbc.sql(
            "SELECT COUNT(*) FROM email_messages m JOIN accounts a ON a.email = m.recipient"
                + " WHERE a.id = ? AND m.template = ?")
        .params(account, template)
        .query(Long.class)
        .single();
  }

  JsonNode subscriptionView() {
    HttpResponse<String> response =
        http.get("/api/payments/subscription", HeaderCallerFilter.USER_HEADER, account);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json(response);
  }

  void activate(Instant created) {
    assertThat(
            deliver(
                id("evt_"),
                "checkout.session.completed",
                created,
                StripeEventJson.checkoutCompleted(
                    account, customer, subscription, "pro", "price_pro")))
        .isEqualTo("processed");
  }

  @Test
  void webhookWhenCheckoutCompletedThenSubscriptionActiveAndStartedPublishedOnce() {
    assertThat(subscriptionView().path("status").asString()).isEqualTo("none");

    activate(base);

    JsonNode view = subscriptionView();
    assertThat(view.path("status").asString()).isEqualTo("active");
    assertThat(view.path("plan").asString()).isEqualTo("pro");
    assertThat(view.path("provider").asString()).isEqualTo("stripe");
    assertThat(view.path("cancelAtPeriodEnd").asBoolean()).isFalse();
    assertThat(published.about(account)).containsExactly(startedPro(account));
  }

  @Test
  void webhookWhenCheckoutCompletedUnpaidThenNotActivatedUntilAsyncPaymentSucceeded() {
    String session =
        StripeEventJson.checkoutSession(
            account,
            customer,
            subscription,
            "unpaid",
            "{\"plan\":\"pro\",\"price\":\"price_pro\"}");
    assertThat(deliver(id("evt_"), "checkout.session.completed", base, session))
        .isEqualTo("ignored");
    assertThat(subscriptionView().path("status").asString()).isEqualTo("none");
    assertThat(published.about(account)).isEmpty();

    assertThat(
            deliver(
                id("evt_"),
                "checkout.session.async_payment_succeeded",
                base.plusSeconds(1),
                session.replace("\"unpaid\"", "\"paid\"")))
        .isEqualTo("processed");

    assertThat(subscriptionView().path("status").asString()).isEqualTo("active");
    assertThat(published.about(account)).containsExactly(startedPro(account));
  }

  @Test
  void webhookWhenAsyncPaymentFailedThenNotActivatedAndBuyerEmailed() {
    assertThat(
            deliver(
                id("evt_"),
                "checkout.session.async_payment_failed",
                base,
                StripeEventJson.checkoutSession(
                    account,
                    customer,
                    subscription,
                    "unpaid",
                    "{\"plan\":\"pro\",\"price\":\"price_pro\"}")))
        .isEqualTo("processed");

    assertThat(subscriptionView().path("status").asString()).isEqualTo("none");
    assertThat(emails("payment-failed")).isEqualTo(1);
    assertThat(published.about(account)).isEmpty();
  }

  @Test
  void webhookWhenCheckoutNotMadeBySwitchboardThenIgnoredAndNothingChanges() {
    for (String metadata :
        List.of(
            "{}",
            "{\"plan\":\"pro\",\"price\":\"price_team\"}",
            "{\"plan\":\"gold\",\"price\":\"price_gold\"}",
            "{\"price\":\"price_pro\"}")) {
      assertThat(
              deliver(
                  id("evt_"),
                  "checkout.session.completed",
                  base,
                  StripeEventJson.checkoutSession(
                      account, customer, subscription, "paid", metadata)))
          .as(metadata)
          .isEqualTo("ignored");
    }
    assertThat(subscriptionView().path("status").asString()).isEqualTo("none");
    assertThat(published.about(account)).isEmpty();
  }

  @Test
  void webhookWhenConcurrentDeliveriesShareCommitsThenEachStoredOnceAndRepeatsAreDuplicates()
      throws Exception {
    // Each event is sent twice at once by 16 clients: the copies land in the same group commit or
    // in consecutive ones, and exactly one of each pair is new.
    int distinct = 40;
    List<String> bodies = new java.util.ArrayList<>();
    List<String> ids = new java.util.ArrayList<>();
    for (int i = 0; i < distinct; i++) {
      String eventId = id("evt_conc_");
      ids.add(eventId);
      String body =
          StripeEventJson.event(
              eventId,
              "customer.updated",
              base.plusSeconds(i),
              "{\"id\":\"" + customer + "\",\"object\":\"customer\"}");
      bodies.add(body);
      bodies.add(body);
    }
    long before = events();
    java.util.concurrent.ExecutorService clients =
        java.util.concurrent.Executors.newFixedThreadPool(16);
    List<java.util.concurrent.Future<HttpResponse<String>>> answers = new java.util.ArrayList<>();
    try {
      for (String body : bodies) {
        answers.add(clients.submit(() -> post(body)));
      }
      int duplicates = 0;
      for (java.util.concurrent.Future<HttpResponse<String>> answer : answers) {
        HttpResponse<String> response = answer.get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        if (json(response).path("duplicate").asBoolean()) {
          duplicates++;
        }
      }
      assertThat(duplicates).isEqualTo(distinct);
    } finally {
      clients.shutdownNow();
    }
    assertThat(events() - before).isEqualTo(distinct);
    for (String eventId : ids) {
      String payload = "{\"provider\":\"stripe\",\"id\":\"" + eventId + "\"}";
      // The event's primary key is what dedupes: the first run carries no dedupe key, so done it
      // leaves no row (a keyed one would stay, done); the worker ran it once.
      await(
          "the job of " + eventId + " done",
          Duration.ofSeconds(20),
          () -> ranJobs.runs(payload) > 0);
      assertThat(
              jdbc.sql("SELECT COUNT(*) FROM jobs WHERE type = 'payments.event' AND payload = ?")
                  .param(payload)
                  .query(Long.class)
                  .single())
          .as("no job row left for " + eventId)
          .isZero();
      assertThat(ranJobs.runs(payload)).as("one processing job for " + eventId).isEqualTo(1);
    }
    // Processed by jobs that ran at the same time (their events read and marked in batches): each
    // once.
    for (String eventId : ids) {
      assertThat(awaitHandled(eventId)).isEqualTo("ignored");
      assertThat(
              jdbc.sql(
                      "SELECT attempts FROM payment_events WHERE provider = 'stripe' AND event_id = ?")
                  .param(eventId)
                  .query(Integer.class)
                  .single())
          .isEqualTo(1);
      assertThat(ranJobs.runs("{\"provider\":\"stripe\",\"id\":\"" + eventId + "\"}"))
          .as("still one processing job for " + eventId)
          .isEqualTo(1);
    }
  }

  @Test
  void eventsAndMarkEventsWhenAGroupThenReadInOneQueryAndEachMarked() {
    String a = id("evt_grp_");
    String b = id("evt_grp_");
    Instant now = Instant.now();
    for (String eventId : List.of(a, b)) {
      assertThat(
              store.insertEvent(
                  new ReceivedEvent("stripe", eventId, "customer.updated", base, "{}"),
                  Optional.empty(),
                  now))
          .isTrue();
    }

    Map<String, StoredEvent> found = store.events("stripe", List.of(a, b, id("evt_absent_")));
    assertThat(found).containsOnlyKeys(a, b);
    assertThat(found.get(a).status()).isEqualTo(StoredEvent.RECEIVED);
    assertThat(store.events("paypal", List.of(a))).isEmpty();

    store.markEvents(
        List.of(
            new PaymentStore.EventMark(
                "stripe", a, StoredEvent.IGNORED, "not handled", Optional.empty()),
            new PaymentStore.EventMark(
                "stripe", b, StoredEvent.PROCESSED, "x".repeat(600), Optional.of(account))),
        now);

    StoredEvent markedA = store.event("stripe", a).orElseThrow();
    StoredEvent markedB = store.event("stripe", b).orElseThrow();
    assertThat(markedA.status()).isEqualTo(StoredEvent.IGNORED);
    assertThat(markedA.detail()).contains("not handled");
    assertThat(markedA.accountId()).isEmpty();
    assertThat(markedA.attempts()).isEqualTo(1);
    assertThat(markedB.status()).isEqualTo(StoredEvent.PROCESSED);
    assertThat(markedB.detail().orElseThrow()).hasSize(500);
    assertThat(markedB.accountId()).contains(account);
  }

  @Test
  void webhookWhenAnsweredThenTheSameBytesForEveryAcceptThatTakesJsonAnd406Otherwise() {
    String eventId = id("evt_");
    String body = StripeEventJson.event(eventId, "ping", base, "{\"id\":\"x\"}");
    String signature = StripeTestSigner.header(body, SECRET, Instant.now());

    HttpResponse<String> first = post(body);

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.body())
        .isEqualTo("{\"received\":true,\"id\":\"" + eventId + "\",\"duplicate\":false}");
    assertThat(first.headers().firstValue("Content-Type")).contains("application/json");
    assertThat(first.headers().firstValueAsLong("Content-Length")).hasValue(first.body().length());
    assertThat(first.headers().firstValue("Transfer-Encoding")).isEmpty();
    // Stripe's own Accept header, and the others a client may send.
    for (String accept :
        List.of(
            "*/*; q=0.5, application/xml",
            "application/json",
            "*/*",
            "application/*",
            "text/html, */*;q=0.1")) {
      HttpResponse<String> again =
          http.post("/api/webhooks/stripe", body, "Stripe-Signature", signature, "Accept", accept);
      assertThat(again.statusCode()).as(accept).isEqualTo(200);
      assertThat(again.body())
          .as(accept)
          .isEqualTo("{\"received\":true,\"id\":\"" + eventId + "\",\"duplicate\":true}");
      assertThat(again.headers().firstValue("Content-Type"))
          .as(accept)
          .contains("application/json");
    }
    for (String accept : List.of("text/html", "application/xml")) {
      assertError(
          http.post("/api/webhooks/stripe", body, "Stripe-Signature", signature, "Accept", accept),
          406,
          "not_acceptable");
    }
  }

  @Test
  void webhookWhenSameEventDeliveredTwiceThenAcknowledgedAndAppliedOnce() {
    activate(base);
    String eventId = id("evt_");
    String body =
        StripeEventJson.event(
            eventId,
            "invoice.paid",
            base.plusSeconds(1),
            StripeEventJson.invoice(
                "in_dup", customer, subscription, account, 1, base.plus(Duration.ofDays(30))));
    assertThat(post(body).statusCode()).isEqualTo(200);
    awaitHandled(eventId);

    HttpResponse<String> again = post(body);

    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(json(again).path("duplicate").asBoolean()).isTrue();
    assertThat(
            jdbc.sql("SELECT COUNT(*) FROM payment_records WHERE account_id = ?")
                .param(account)
                .query(Long.class)
                .single())
        .isEqualTo(1);
    assertThat(
            jdbc.sql("SELECT attempts FROM payment_events WHERE event_id = ?")
                .param(eventId)
                .query(Integer.class)
                .single())
        .isEqualTo(1);
    assertThat(published.about(account)).hasSize(1);
  }

  @Test
  void webhookWhenInvoicePaidThenPaymentRecordedAndPeriodExtendedInEitherApiShape() {
    activate(base);
    Instant firstEnd = base.plus(Duration.ofDays(30));
    assertThat(
            deliver(
                id("evt_"),
                "invoice.paid",
                base.plusSeconds(1),
                StripeEventJson.invoice(id("in_"), customer, subscription, account, 1, firstEnd)))
        .isEqualTo("processed");
    assertThat(subscriptionView().path("currentPeriodEnd").asString())
        .isEqualTo(firstEnd.toString());

    Instant secondEnd = base.plus(Duration.ofDays(60));
    assertThat(
            deliver(
                id("evt_"),
                "invoice.paid",
                base.plusSeconds(2),
                StripeEventJson.legacyInvoice(id("in_"), customer, subscription, secondEnd)))
        .isEqualTo("processed");

    assertThat(subscriptionView().path("currentPeriodEnd").asString())
        .isEqualTo(secondEnd.toString());
    assertThat(
            jdbc.sql("SELECT COUNT(*) FROM payment_records WHERE account_id = ?")
                .param(account)
                .query(Long.class)
                .single())
        .isEqualTo(2);
  }

  @Test
  void webhookWhenPaymentFailedThenPastDueAndOneEmailPerInvoiceAttempt() {
    activate(base);
    String invoice = id("in_");
    String first =
        StripeEventJson.invoice(
            invoice, customer, subscription, account, 1, base.plus(Duration.ofDays(30)));
    assertThat(deliver(id("evt_"), "invoice.payment_failed", base.plusSeconds(1), first))
        .isEqualTo("processed");
    assertThat(subscriptionView().path("status").asString()).isEqualTo("past_due");
    assertThat(emails("payment-failed")).isEqualTo(1);

    // Stripe sends a second event (new id) for the same attempt: no second email.
    assertThat(deliver(id("evt_"), "invoice.payment_failed", base.plusSeconds(2), first))
        .isEqualTo("processed");
    assertThat(emails("payment-failed")).isEqualTo(1);

    String second =
        StripeEventJson.invoice(
            invoice, customer, subscription, account, 2, base.plus(Duration.ofDays(30)));
    assertThat(deliver(id("evt_"), "invoice.payment_failed", base.plusSeconds(3), second))
        .isEqualTo("processed");
    assertThat(emails("payment-failed")).isEqualTo(2);
  }

  @Test
  void webhookWhenPaymentFailsOnAnOldSubscriptionThenIgnoredAndCurrentKept() {
    activate(base);

    assertThat(
            deliver(
                id("evt_"),
                "invoice.payment_failed",
                base.plusSeconds(1),
                StripeEventJson.invoice(
                    id("in_"), customer, "sub_old", account, 1, base.plus(Duration.ofDays(30)))))
        .isEqualTo("ignored");

    assertThat(subscriptionView().path("status").asString()).isEqualTo("active");
    assertThat(emails("payment-failed")).isZero();
  }

  @Test
  void webhookWhenOlderEventArrivesAfterNewerThenNewerStateKept() {
    activate(base);
    assertThat(
            deliver(
                id("evt_"),
                "customer.subscription.deleted",
                base.plusSeconds(20),
                StripeEventJson.subscription(
                    subscription, customer, "canceled", false, "price_pro", base)))
        .isEqualTo("processed");
    assertThat(subscriptionView().path("status").asString()).isEqualTo("canceled");

    assertThat(
            deliver(
                id("evt_"),
                "customer.subscription.updated",
                base.plusSeconds(10),
                StripeEventJson.subscription(
                    subscription, customer, "active", false, "price_team", base)))
        .isEqualTo("ignored");
    assertThat(
            deliver(
                id("evt_"),
                "invoice.payment_failed",
                base.plusSeconds(5),
                StripeEventJson.invoice(id("in_"), customer, subscription, account, 1, base)))
        .isEqualTo("ignored");

    JsonNode view = subscriptionView();
    assertThat(view.path("status").asString()).isEqualTo("canceled");
    assertThat(view.path("plan").asString()).isEqualTo("pro");
    assertThat(emails("payment-failed")).isZero();
    assertThat(published.about(account))
        .containsExactly(startedPro(account), new SubscriptionEnded(account, "pro"));
  }

  @Test
  void webhookWhenInvoiceOvertakesCheckoutThenBothApplyToTheAccount() {
    Instant end = base.plus(Duration.ofDays(30));
    assertThat(
            deliver(
                id("evt_"),
                "invoice.paid",
                base.plusSeconds(1),
                StripeEventJson.invoice(id("in_"), customer, subscription, account, 1, end)))
        .isEqualTo("processed");
    activate(base);

    JsonNode view = subscriptionView();
    assertThat(view.path("status").asString()).isEqualTo("active");
    assertThat(view.path("currentPeriodEnd").asString()).isEqualTo(end.toString());
    assertThat(published.about(account)).hasSize(1);
  }

  /**
   * An invoice whose customer no account knows yet waits, {@code unmatched}, found by its customer
   * ({@code unmatched_customer}, V95); the checkout that links the customer releases it, and once
   * processed it no longer waits. An event of another customer stays where it is.
   */
  @Test
  void webhookWhenInvoiceArrivesBeforeItsCustomerIsLinkedThenItWaitsAndTheCheckoutReleasesIt() {
    Instant end = base.plus(Duration.ofDays(30));
    String invoice = id("in_");
    String early = id("evt_");
    String other = id("evt_");
    String otherCustomer = customer + "_other";
    assertThat(
            deliver(
                early,
                "invoice.paid",
                base.plusSeconds(1),
                StripeEventJson.legacyInvoice(invoice, customer, subscription, end)))
        .isEqualTo("unmatched");
    assertThat(
            deliver(
                other,
                "invoice.paid",
                base.plusSeconds(1),
                StripeEventJson.legacyInvoice(id("in_"), otherCustomer, id("sub_"), end)))
        .isEqualTo("unmatched");
    assertThat(store.unmatchedEvents("stripe", customer)).containsExactly(early);
    assertThat(unmatchedCustomer(early)).contains(customer);

    activate(base);

    await("event " + early + " released", WAIT, () -> status(early).equals(StoredEvent.PROCESSED));
    assertThat(store.unmatchedEvents("stripe", customer)).isEmpty();
    assertThat(unmatchedCustomer(early)).isEmpty();
    assertThat(subscriptionView().path("currentPeriodEnd").asString()).isEqualTo(end.toString());
    assertThat(
            jdbc.sql("SELECT COUNT(*) FROM payment_records WHERE invoice_id = ?")
                .param(invoice)
                .query(Long.class)
                .single())
        .isOne();
    assertThat(status(other)).isEqualTo(StoredEvent.UNMATCHED);
    assertThat(store.unmatchedEvents("stripe", otherCustomer)).containsExactly(other);
  }

  private Optional<String> unmatchedCustomer(String eventId) {
    return jdbc.sql(
            "SELECT unmatched_customer FROM payment_events WHERE provider = 'stripe' AND event_id = ?")
        .param(eventId)
        .query((rs, n) -> Optional.ofNullable(rs.getString(1)))
        .single();
  }

  @Test
  void webhookWhenSubscriptionUpdatedThenPlanChangeAndCancelAtPeriodEnd() {
    activate(base);
    Instant end = base.plus(Duration.ofDays(30));
    assertThat(
            deliver(
                id("evt_"),
                "customer.subscription.updated",
                base.plusSeconds(5),
                StripeEventJson.subscription(
                    subscription, customer, "active", true, "price_team", end)))
        .isEqualTo("processed");

    JsonNode view = subscriptionView();
    assertThat(view.path("plan").asString()).isEqualTo("team");
    assertThat(view.path("cancelAtPeriodEnd").asBoolean()).isTrue();
    assertThat(view.path("currentPeriodEnd").asString()).isEqualTo(end.toString());
    assertThat(view.path("status").asString()).isEqualTo("active");
  }

  @Test
  void webhookWhenUnknownEventTypeThenAcknowledgedAndIgnored() {
    String eventId = id("evt_");
    assertThat(
            deliver(
                eventId,
                "charge.dispute.funds_reinstated",
                base,
                "{\"id\":\"du_1\",\"object\":\"dispute\"}"))
        .isEqualTo("ignored");
    assertThat(subscriptionView().path("status").asString()).isEqualTo("none");
  }

  @Test
  void webhookWhenAccountUnknownThenRecordedUnmatchedAndNothingChanges() {
    assertThat(
            deliver(
                id("evt_"),
                "checkout.session.completed",
                base,
                StripeEventJson.checkoutCompleted(
                    "usr_doesnotexist", "cus_nobody", "sub_nobody", "pro", "price_pro")))
        .isEqualTo("unmatched");
    assertThat(
            deliver(
                id("evt_"),
                "invoice.paid",
                base,
                StripeEventJson.legacyInvoice(id("in_"), "cus_nobody", "sub_nobody", base)))
        .isEqualTo("unmatched");
    assertThat(
            jdbc.sql("SELECT COUNT(*) FROM payment_subscriptions WHERE customer_id = 'cus_nobody'")
                .query(Long.class)
                .single())
        .isZero();
  }

  @Test
  void webhookWhenObjectMissingThenStoredAsFailedAndNothingApplied() {
    String eventId = id("evt_");
    HttpResponse<String> response =
        post(
            "{\"id\":\""
                + eventId
                + "\",\"object\":\"event\",\"created\":"
                + base.getEpochSecond()
                + ",\"type\":\"invoice.paid\",\"data\":{}}");
    assertThat(response.statusCode()).isEqualTo(200);

    assertThat(awaitHandled(eventId)).isEqualTo("failed:malformed: missing data.object");
    assertThat(
            jdbc.sql("SELECT COUNT(*) FROM payment_records WHERE event_id = ?")
                .param(eventId)
                .query(Long.class)
                .single())
        .isZero();
  }

  @Test
  void markFailedWhenEventAlreadyProcessedThenOutcomeKept() {
    String eventId = id("evt_");
    assertThat(
            deliver(
                eventId,
                "checkout.session.completed",
                base,
                StripeEventJson.checkoutCompleted(
                    account, customer, subscription, "pro", "price_pro")))
        .isEqualTo("processed");

    // A duplicate run of the job (its lease lapsed) fails after the first one committed.
    assertThat(
            store.markFailed(
                "stripe", eventId, "error: DuplicateKeyException (retrying)", Instant.now()))
        .isFalse();

    assertThat(status(eventId)).isEqualTo("processed");
    String pending = id("evt_");
    HttpResponse<String> response =
        post(StripeEventJson.event(pending, "ping", base, "{\"id\":\"x\"}"));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(awaitHandled(pending)).isEqualTo("ignored");
    assertThat(store.markFailed("stripe", pending, "error", Instant.now())).isFalse();
  }

  @Test
  void webhookWhenSignatureBadThenErrorShapeAndNothingStored() {
    long before = events();
    String body = StripeEventJson.event(id("evt_"), "invoice.paid", base, "{\"id\":\"in_1\"}");

    assertError(http.post("/api/webhooks/stripe", body), 400, "invalid_signature");
    assertError(
        http.post("/api/webhooks/stripe", body, "Stripe-Signature", "t=abc,v1=zz"),
        400,
        "invalid_signature");
    assertError(post(body, "whsec_wrongsecret"), 400, "invalid_signature");
    assertError(
        http.post(
            "/api/webhooks/stripe",
            body,
            "Stripe-Signature",
            StripeTestSigner.header(body, SECRET, Instant.now().minusSeconds(301))),
        400,
        "invalid_signature");
    assertError(
        http.post(
            "/api/webhooks/stripe",
            body.replace("invoice.paid", "invoice.voided"),
            "Stripe-Signature",
            StripeTestSigner.header(body, SECRET, Instant.now())),
        400,
        "invalid_signature");

    assertThat(events()).isEqualTo(before);
  }

  @Test
  void webhookWhenSignedWithRotatedOldSecretThenAccepted() {
    String eventId = id("evt_");
    HttpResponse<String> response =
        post(StripeEventJson.event(eventId, "ping", base, "{\"id\":\"x\"}"), OLD_SECRET);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(awaitHandled(eventId)).isEqualTo("ignored");
  }

  @Test
  void webhookWhenBodyOverOneMegabyteThen413AndNothingStored() {
    long before = events();
    String padding = "x".repeat(1024 * 1024);
    String body =
        StripeEventJson.event(
            id("evt_"), "invoice.paid", base, "{\"id\":\"in_1\",\"pad\":\"" + padding + "\"}");

    assertError(post(body), 413, "payload_too_large");
    assertThat(events()).isEqualTo(before);
  }
}
