package dev.switchboard.payments;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dev.switchboard.payments.PaymentTesting.assertError;
import static dev.switchboard.payments.PaymentTesting.json;
import static dev.switchboard.testing.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.switchboard.testing.HeaderCallerFilter;
import dev.switchboard.testing.HttpTestClient;
import dev.switchboard.testing.TestAccounts;
import dev.switchboard.testing.TestCallers;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * PayPal against a local server speaking its REST API: OAuth2 client credentials, subscription
 * create with {@code PayPal-Request-Id}, and webhooks verified by PayPal's verify-webhook-signature
 * (SUCCESS and FAILURE).
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "PAYPAL_CLIENT_ID=AeA1QIZXiflr1_client_it",
      "PAYPAL_CLIENT_SECRET=ECYYrrSHdKfk_secret_it_value",
      "PAYPAL_WEBHOOK_ID=8PT597110X687430LKGECATA",
      "PAYPAL_PLANS=pro=P-5ML4271244454362WXNWU5NQ",
      "PAYMENT_PLANS=pro=price_pro",
      "SWITCHBOARD_REDIRECT_ALLOWLIST=https://app.example.com"
    })
@Import(TestCallers.class)
class PayPalIT {

  static final WireMockServer PAYPAL = new WireMockServer(options().dynamicPort());
  static final String PLAN = "P-5ML4271244454362WXNWU5NQ";

  static {
    PAYPAL.start();
  }

  @DynamicPropertySource
  static void paypal(DynamicPropertyRegistry registry) {
    registry.add("PAYPAL_API_BASE", PAYPAL::baseUrl);
    registry.add(
        "SWITCHBOARD_DATA_DIR", () -> "target/it-data/payments-paypal-" + UUID.randomUUID());
  }

  @AfterAll
  static void stop() {
    PAYPAL.stop();
  }

  @LocalServerPort int port;
  @Autowired DataSource dataSource;

  HttpTestClient http;
  JdbcClient jdbc;
  String account;

  @BeforeEach
  void setUp() {
    // Mappings only: the token is cached across tests, so the journal keeps the one token request.
    PAYPAL.resetMappings();
    PAYPAL.stubFor(post("/v1/oauth2/token").willReturn(canned(200, "token.json")));
    PAYPAL.stubFor(
        post("/v1/notifications/verify-webhook-signature")
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"verification_status\":\"SUCCESS\"}")));
    PAYPAL.stubFor(
        post("/v1/notifications/verify-webhook-signature")
            .withRequestBody(matchingJsonPath("$.transmission_id", equalTo("forged")))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"verification_status\":\"FAILURE\"}")));
    http = new HttpTestClient(port);
    jdbc = JdbcClient.create(dataSource);
    account =
        TestAccounts.create(
            jdbc, "pp-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com");
  }

  static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder canned(
      int status, String file) {
    try (InputStream in = PayPalIT.class.getResourceAsStream("/payments/paypal/" + file)) {
      return aResponse()
          .withStatus(status)
          .withHeader("Content-Type", "application/json")
          .withHeader("Paypal-Debug-Id", "f1e2d3c4b5a69")
          .withBody(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static String event(String id, String type, Instant created, String resource) {
    return "{\"id\":\""
        + id
        + "\",\"event_version\":\"1.0\",\"create_time\":\""
        + created
        + "\",\"resource_type\":"
        + "\"subscription\",\"resource_version\":\"2.0\",\"event_type\":\""
        + type
        + "\",\"summary\":\"x\","
        + "\"resource\":"
        + resource
        + "}";
  }

  String subscription(String id, String status) {
    return "{\"id\":\""
        + id
        + "\",\"plan_id\":\""
        + PLAN
        + "\",\"status\":\""
        + status
        + "\",\"custom_id\":\""
        + account
        + "\",\"subscriber\":{\"payer_id\":\"QYR5Z8XDVJNXQ\",\"email_address\":\"x@example.com\"},"
        + "\"billing_info\":{\"next_billing_time\":\"2026-06-01T10:00:00Z\"}}";
  }

  HttpResponse<String> deliver(String body, String transmissionId) {
    return http.post(
        "/api/webhooks/paypal",
        body,
        "PAYPAL-TRANSMISSION-ID",
        transmissionId,
        "PAYPAL-TRANSMISSION-TIME",
        "2026-05-01T12:00:00Z",
        "PAYPAL-TRANSMISSION-SIG",
        "SgHjjtI6Yq7Ad1RCFWVTZ2O5iwfdZ3XSEW2ZsB6oMtPsknVxVz5tOtL5L2Kf5gT0WcnK8uF4x0lYhV8b7E7e9w==",
        "PAYPAL-CERT-URL",
        "https://api.sandbox.paypal.com/v1/notifications/certs/CERT-360caa42-fca2a594-1d93a270",
        "PAYPAL-AUTH-ALGO",
        "SHA256withRSA");
  }

  String status(String eventId) {
    return jdbc.sql("SELECT status FROM payment_events WHERE provider = 'paypal' AND event_id = ?")
        .param(eventId)
        .query(String.class)
        .optional()
        .orElse("absent");
  }

  void awaitHandled(String eventId) {
    await(
        eventId,
        Duration.ofSeconds(15),
        () -> List.of("processed", "ignored", "unmatched").contains(status(eventId)));
  }

  @Test
  void checkoutWhenPayPalThenSubscriptionCreatedWithRequestIdAndApproveLink() {
    PAYPAL.stubFor(
        post("/v1/billing/subscriptions").willReturn(canned(201, "subscription-created.json")));

    HttpResponse<String> response =
        http.post(
            "/api/payments/checkout",
            "{\"plan\":\"pro\",\"provider\":\"paypal\","
                + "\"successUrl\":\"https://app.example.com/ok\",\"cancelUrl\":\"https://app.example.com/no\"}",
            HeaderCallerFilter.USER_HEADER,
            account);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(json(response).path("id").asString()).isEqualTo("I-BW452GLLEP1G");
    assertThat(json(response).path("url").asString()).contains("ba_token=BA-2M539689T3856352J");
    String basic =
        Base64.getEncoder()
            .encodeToString(
                "AeA1QIZXiflr1_client_it:ECYYrrSHdKfk_secret_it_value"
                    .getBytes(StandardCharsets.UTF_8));
    PAYPAL.verify(
        com.github.tomakehurst.wiremock.client.WireMock.moreThanOrExactly(1),
        postRequestedFor(urlEqualTo("/v1/oauth2/token"))
            .withHeader("Authorization", equalTo("Basic " + basic))
            .withRequestBody(equalTo("grant_type=client_credentials")));
    PAYPAL.verify(
        1,
        postRequestedFor(urlEqualTo("/v1/billing/subscriptions"))
            .withHeader(
                "Authorization",
                equalTo(
                    "Bearer A21AAFEpH4PsADK7qSS7pSRsgzfENtu-Q1ysgEDVDESseMHBYXVJYE8ovjj68elIDy8nF26AwPhfXTIeWAZHSLIsQkSYz9ifg"))
            .withHeader(
                "PayPal-Request-Id",
                com.github.tomakehurst.wiremock.client.WireMock.matching("checkout-[0-9a-f]{40}"))
            .withRequestBody(matchingJsonPath("$.plan_id", equalTo(PLAN)))
            .withRequestBody(matchingJsonPath("$.custom_id", equalTo(account)))
            .withRequestBody(
                matchingJsonPath(
                    "$.application_context.return_url", equalTo("https://app.example.com/ok")))
            .withRequestBody(
                matchingJsonPath(
                    "$.application_context.cancel_url", equalTo("https://app.example.com/no"))));
  }

  @Test
  void webhookWhenPayPalVerifiesThenActivatedOnceAndSaleRecorded() {
    String subscription = "I-" + UUID.randomUUID().toString().substring(0, 10).toUpperCase();
    Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(30);
    String activatedId = "WH-" + UUID.randomUUID();
    String activated =
        event(
            activatedId, "BILLING.SUBSCRIPTION.ACTIVATED", t, subscription(subscription, "ACTIVE"));

    HttpResponse<String> first = deliver(activated, "tx-1");
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    awaitHandled(activatedId);
    PAYPAL.verify(
        postRequestedFor(urlEqualTo("/v1/notifications/verify-webhook-signature"))
            .withRequestBody(matchingJsonPath("$.webhook_id", equalTo("8PT597110X687430LKGECATA")))
            .withRequestBody(matchingJsonPath("$.auth_algo", equalTo("SHA256withRSA")))
            .withRequestBody(matchingJsonPath("$.transmission_id", equalTo("tx-1")))
            .withRequestBody(containing("\"webhook_event\":" + activated)));
    JsonNodeView view = view();
    assertThat(view.status).isEqualTo("active");
    assertThat(view.plan).isEqualTo("pro");
    assertThat(view.provider).isEqualTo("paypal");

    HttpResponse<String> again = deliver(activated, "tx-1b");
    assertThat(json(again).path("duplicate").asBoolean()).isTrue();

    String saleId = "WH-" + UUID.randomUUID();
    deliver(
        event(
            saleId,
            "PAYMENT.SALE.COMPLETED",
            t.plusSeconds(5),
            "{\"id\":\"80021663DE681814L\","
                + "\"billing_agreement_id\":\""
                + subscription
                + "\",\"amount\":{\"total\":\"19.00\",\"currency\":\"USD\"},"
                + "\"state\":\"completed\"}"),
        "tx-2");
    awaitHandled(saleId);
    assertThat(
            jdbc.sql(
                    "SELECT amount FROM payment_records WHERE provider = 'paypal' AND account_id = ?")
                .param(account)
                .query(Long.class)
                .single())
        .isEqualTo(1900);

    String cancelledId = "WH-" + UUID.randomUUID();
    deliver(
        event(
            cancelledId,
            "BILLING.SUBSCRIPTION.CANCELLED",
            t.plusSeconds(10),
            subscription(subscription, "CANCELLED")),
        "tx-3");
    awaitHandled(cancelledId);
    assertThat(view().status).isEqualTo("canceled");
  }

  @Test
  void webhookWhenOldSubscriptionCancelledOrSuspendedThenIgnoredAndCurrentKept() {
    String old = "I-" + UUID.randomUUID().toString().substring(0, 10).toUpperCase();
    String current = "I-" + UUID.randomUUID().toString().substring(0, 10).toUpperCase();
    Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(30);
    String[] ids = {
      "WH-" + UUID.randomUUID(),
      "WH-" + UUID.randomUUID(),
      "WH-" + UUID.randomUUID(),
      "WH-" + UUID.randomUUID()
    };
    deliver(
        event(ids[0], "BILLING.SUBSCRIPTION.ACTIVATED", t, subscription(old, "ACTIVE")), "tx-o1");
    awaitHandled(ids[0]);
    deliver(
        event(
            ids[1],
            "BILLING.SUBSCRIPTION.ACTIVATED",
            t.plusSeconds(5),
            subscription(current, "ACTIVE")),
        "tx-o2");
    awaitHandled(ids[1]);

    deliver(
        event(
            ids[2],
            "BILLING.SUBSCRIPTION.CANCELLED",
            t.plusSeconds(10),
            subscription(old, "CANCELLED")),
        "tx-o3");
    deliver(
        event(
            ids[3],
            "BILLING.SUBSCRIPTION.SUSPENDED",
            t.plusSeconds(11),
            subscription(old, "SUSPENDED")),
        "tx-o4");
    awaitHandled(ids[2]);
    awaitHandled(ids[3]);

    assertThat(status(ids[2])).isEqualTo("ignored");
    assertThat(status(ids[3])).isEqualTo("ignored");
    assertThat(view().status).isEqualTo("active");
  }

  @Test
  void webhookWhenVerificationAnswersFailureThen400AndNothingStored() {
    String eventId = "WH-" + UUID.randomUUID();
    HttpResponse<String> response =
        deliver(
            event(
                eventId,
                "BILLING.SUBSCRIPTION.ACTIVATED",
                Instant.now(),
                subscription("I-FORGED", "ACTIVE")),
            "forged");

    assertError(response, 400, "invalid_signature");
    assertThat(status(eventId)).isEqualTo("absent");
    assertThat(view().status).isEqualTo("none");
  }

  @Test
  void webhookWhenTransmissionHeadersMissingThen400WithoutAskingPayPal() {
    int before =
        PAYPAL
            .findAll(postRequestedFor(urlEqualTo("/v1/notifications/verify-webhook-signature")))
            .size();
    assertError(
        http.post(
            "/api/webhooks/paypal", event("WH-x", "PAYMENT.SALE.COMPLETED", Instant.now(), "{}")),
        400,
        "invalid_signature");
    assertThat(
            PAYPAL.findAll(
                postRequestedFor(urlEqualTo("/v1/notifications/verify-webhook-signature"))))
        .hasSize(before);
  }

  @Test
  void webhookWhenPayPalCannotVerifyThen503SoItRetries() {
    PAYPAL.stubFor(
        post("/v1/notifications/verify-webhook-signature")
            .withRequestBody(matchingJsonPath("$.transmission_id", equalTo("down")))
            .willReturn(aResponse().withStatus(400).withBody("{\"name\":\"INVALID_REQUEST\"}")));
    String eventId = "WH-" + UUID.randomUUID();

    assertError(
        deliver(event(eventId, "PAYMENT.SALE.COMPLETED", Instant.now(), "{}"), "down"),
        503,
        "verification_unavailable");
    assertThat(status(eventId)).isEqualTo("absent");
  }

  record JsonNodeView(String status, String plan, String provider) {}

  JsonNodeView view() {
    var node =
        json(http.get("/api/payments/subscription", HeaderCallerFilter.USER_HEADER, account));
    return new JsonNodeView(
        node.path("status").asString(),
        node.path("plan").asString(""),
        node.path("provider").asString(""));
  }
}
