package dev.switchboard.payments;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dev.switchboard.payments.PaymentTesting.assertError;
import static dev.switchboard.payments.PaymentTesting.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.switchboard.testing.HeaderCallerFilter;
import dev.switchboard.testing.HttpTestClient;
import dev.switchboard.testing.TestAccounts;
import dev.switchboard.testing.TestCallers;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
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
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /api/payments/checkout} and {@code /portal} against a local server speaking Stripe's
 * API: the documented form parameters, the secret key as bearer, and the same {@code
 * Idempotency-Key} on every attempt.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "STRIPE_SECRET_KEY=sk_test_51CheckoutItKey0000abcd",
      "STRIPE_WEBHOOK_SECRET=whsec_checkoutit",
      "PAYMENT_PLANS=pro=price_pro,lifetime=price_life:payment",
      "SWITCHBOARD_REDIRECT_ALLOWLIST=https://app.example.com",
      dev.switchboard.testing.TestKeys.ADMIN_PROPERTY
    })
@Import(TestCallers.class)
class StripeCheckoutIT {

  static final String KEY = "sk_test_51CheckoutItKey0000abcd";
  static final WireMockServer STRIPE = new WireMockServer(options().dynamicPort());

  static {
    STRIPE.start();
  }

  @DynamicPropertySource
  static void stripe(DynamicPropertyRegistry registry) {
    registry.add("STRIPE_API_BASE", STRIPE::baseUrl);
    registry.add(
        "SWITCHBOARD_DATA_DIR", () -> "target/it-data/payments-checkout-" + UUID.randomUUID());
  }

  @AfterAll
  static void stop() {
    STRIPE.stop();
  }

  @LocalServerPort int port;
  @Autowired DataSource dataSource;

  HttpTestClient http;
  JdbcClient jdbc;
  String account;
  String email;

  @BeforeEach
  void setUp() {
    STRIPE.resetAll();
    http = new HttpTestClient(port);
    jdbc = JdbcClient.create(dataSource);
    email = "buyer-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    account = TestAccounts.create(jdbc, email);
  }

  static String canned(String name) {
    try (InputStream in = StripeCheckoutIT.class.getResourceAsStream("/payments/stripe/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static ResponseDefinitionBuilder stripeJson(int status, String file) {
    return aResponse()
        .withStatus(status)
        .withHeader("Content-Type", "application/json")
        .withHeader("Request-Id", "req_" + status + "abc")
        .withBody(canned(file));
  }

  HttpResponse<String> checkout(String plan, String success, String... headers) {
    String body =
        "{\"plan\":\""
            + plan
            + "\",\"successUrl\":\""
            + success
            + "\",\"cancelUrl\":"
            + "\"https://app.example.com/pricing\"}";
    String[] all = new String[headers.length + 2];
    all[0] = HeaderCallerFilter.USER_HEADER;
    all[1] = account;
    System.arraycopy(headers, 0, all, 2, headers.length);
    return http.post("/api/payments/checkout", body, all);
  }

  List<LoggedRequest> sessionsRequested() {
    return STRIPE.findAll(postRequestedFor(urlEqualTo("/v1/checkout/sessions")));
  }

  @Test
  void checkoutWhenSignedInThenSessionCreatedWithDocumentedParameters() {
    STRIPE.stubFor(
        post("/v1/checkout/sessions").willReturn(stripeJson(200, "checkout-session.json")));

    HttpResponse<String> response =
        checkout("pro", "https://app.example.com/welcome?session_id={CHECKOUT_SESSION_ID}");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(json(response).path("id").asString()).isEqualTo("cs_test_a1b2c3");
    assertThat(json(response).path("url").asString())
        .startsWith("https://checkout.stripe.com/c/pay/cs_test_a1b2c3");
    STRIPE.verify(
        1,
        postRequestedFor(urlEqualTo("/v1/checkout/sessions"))
            .withHeader("Authorization", equalTo("Bearer " + KEY))
            .withHeader("Content-Type", matching("application/x-www-form-urlencoded.*"))
            .withHeader("Idempotency-Key", matching("checkout-[0-9a-f]{40}"))
            .withFormParam("mode", equalTo("subscription"))
            .withFormParam("line_items[0][price]", equalTo("price_pro"))
            .withFormParam("line_items[0][quantity]", equalTo("1"))
            .withFormParam(
                "success_url",
                equalTo("https://app.example.com/welcome?session_id={CHECKOUT_SESSION_ID}"))
            .withFormParam("cancel_url", equalTo("https://app.example.com/pricing"))
            .withFormParam("client_reference_id", equalTo(account))
            .withFormParam("customer_email", equalTo(email))
            .withFormParam("metadata[plan]", equalTo("pro"))
            .withFormParam("subscription_data[metadata][account_id]", equalTo(account))
            .withRequestBody(absentParam("customer")));
  }

  static com.github.tomakehurst.wiremock.matching.StringValuePattern absentParam(String name) {
    return com.github.tomakehurst.wiremock.client.WireMock.notContaining("&" + name + "=");
  }

  @Test
  void checkoutWhenRepeatedThenSameIdempotencyKeyAndOtherPlanGetsAnother() {
    STRIPE.stubFor(
        post("/v1/checkout/sessions").willReturn(stripeJson(200, "checkout-session.json")));

    checkout("pro", "https://app.example.com/welcome");
    checkout("pro", "https://app.example.com/welcome");
    checkout("lifetime", "https://app.example.com/welcome");

    List<String> keys =
        sessionsRequested().stream().map(r -> r.getHeader("Idempotency-Key")).toList();
    assertThat(keys).hasSize(3);
    assertThat(keys.get(0)).isEqualTo(keys.get(1)).isNotEqualTo(keys.get(2));
  }

  @Test
  void checkoutWhenAccountHasCustomerThenCustomerReused() {
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    jdbc.sql(
            "INSERT INTO payment_subscriptions (account_id, provider, customer_id, status, cancel_at_period_end,"
                + " updated_at) VALUES (?, 'stripe', 'cus_known123', 'canceled', FALSE, ?)")
        .params(account, now)
        .update();
    STRIPE.stubFor(
        post("/v1/checkout/sessions").willReturn(stripeJson(200, "checkout-session.json")));

    assertThat(checkout("pro", "https://app.example.com/welcome").statusCode()).isEqualTo(200);

    STRIPE.verify(
        postRequestedFor(urlEqualTo("/v1/checkout/sessions"))
            .withFormParam("customer", equalTo("cus_known123"))
            .withRequestBody(absentParam("customer_email")));
  }

  @Test
  void checkoutWhenOneTimePlanThenPaymentModeAndCustomerCreated() {
    STRIPE.stubFor(
        post("/v1/checkout/sessions").willReturn(stripeJson(200, "checkout-session.json")));

    assertThat(checkout("lifetime", "https://app.example.com/welcome").statusCode()).isEqualTo(200);

    STRIPE.verify(
        postRequestedFor(urlEqualTo("/v1/checkout/sessions"))
            .withFormParam("mode", equalTo("payment"))
            .withFormParam("line_items[0][price]", equalTo("price_life"))
            .withFormParam("customer_creation", equalTo("always")));
  }

  @Test
  void checkoutWhenStripeAnswers500ThenRetriedWithSameKeyAndSucceeds() {
    STRIPE.stubFor(
        post("/v1/checkout/sessions")
            .inScenario("blip")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(stripeJson(500, "api-error.json"))
            .willSetStateTo("recovered"));
    STRIPE.stubFor(
        post("/v1/checkout/sessions")
            .inScenario("blip")
            .whenScenarioStateIs("recovered")
            .willReturn(stripeJson(200, "checkout-session.json")));

    assertThat(checkout("pro", "https://app.example.com/welcome").statusCode()).isEqualTo(200);

    List<LoggedRequest> attempts = sessionsRequested();
    assertThat(attempts).hasSize(2);
    assertThat(attempts.get(0).getHeader("Idempotency-Key"))
        .isEqualTo(attempts.get(1).getHeader("Idempotency-Key"));
  }

  @Test
  void checkoutWhenStripeKeepsAnswering429ThenRetriedThenClearError() {
    STRIPE.stubFor(post("/v1/checkout/sessions").willReturn(stripeJson(429, "rate-limited.json")));

    HttpResponse<String> response = checkout("pro", "https://app.example.com/welcome");

    assertError(response, 503, "provider_rate_limited");
    assertThat(response.headers().firstValue("Retry-After")).isPresent();
    assertThat(response.body()).doesNotContain(KEY);
    List<LoggedRequest> attempts = sessionsRequested();
    assertThat(attempts).hasSize(3);
    assertThat(attempts.stream().map(r -> r.getHeader("Idempotency-Key")).distinct()).hasSize(1);
  }

  @Test
  void checkoutWhenStripeKeepsFailingThenProviderUnavailable() {
    STRIPE.stubFor(post("/v1/checkout/sessions").willReturn(stripeJson(500, "api-error.json")));

    assertError(checkout("pro", "https://app.example.com/welcome"), 502, "provider_unavailable");
    assertThat(sessionsRequested()).hasSize(3);
  }

  @Test
  void checkoutWhenStripeRefusesPriceThenProviderRejectedWithoutRetry() {
    STRIPE.stubFor(post("/v1/checkout/sessions").willReturn(stripeJson(400, "no-such-price.json")));

    HttpResponse<String> response = checkout("pro", "https://app.example.com/welcome");

    assertError(response, 502, "provider_rejected");
    assertThat(sessionsRequested()).hasSize(1);
  }

  @Test
  void checkoutWhenPlanUnknownThen400AndNothingSent() {
    assertError(checkout("platinum", "https://app.example.com/welcome"), 400, "unknown_plan");
    assertThat(sessionsRequested()).isEmpty();
  }

  @Test
  void checkoutWhenSuccessUrlNotAllowedThen400AndNothingSent() {
    assertError(checkout("pro", "https://evil.example.net/steal"), 400, "redirect_not_allowed");
    assertError(checkout("pro", "javascript:alert(1)"), 400, "redirect_not_allowed");
    assertThat(sessionsRequested()).isEmpty();
  }

  @Test
  void checkoutWhenNotSignedInThen401AndNothingSent() {
    String body =
        "{\"plan\":\"pro\",\"successUrl\":\"https://app.example.com/a\",\"cancelUrl\":\"https://app.example.com/b\"}";
    assertError(http.post("/api/payments/checkout", body), 401, "unauthenticated");
    assertError(
        http.post("/api/payments/checkout", body, HeaderCallerFilter.HEADER, "key_server"),
        401,
        "unauthenticated");
    assertError(http.get("/api/payments/subscription"), 401, "unauthenticated");
    assertThat(sessionsRequested()).isEmpty();
  }

  @Test
  void checkoutWhenBodyMissingFieldsThen400() {
    assertError(
        http.post(
            "/api/payments/checkout",
            "{\"plan\":\"pro\"}",
            HeaderCallerFilter.USER_HEADER,
            account),
        400,
        "validation_failed");
    assertThat(sessionsRequested()).isEmpty();
  }

  @Test
  void portalWhenCustomerKnownThenPortalSessionForIt() {
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    jdbc.sql(
            "INSERT INTO payment_subscriptions (account_id, provider, customer_id, status, cancel_at_period_end,"
                + " updated_at) VALUES (?, 'stripe', 'cus_known123', 'active', FALSE, ?)")
        .params(account, now)
        .update();
    STRIPE.stubFor(
        post("/v1/billing_portal/sessions").willReturn(stripeJson(200, "portal-session.json")));

    HttpResponse<String> response =
        http.post(
            "/api/payments/portal",
            "{\"returnUrl\":\"https://app.example.com/account\"}",
            HeaderCallerFilter.USER_HEADER,
            account);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(json(response).path("url").asString())
        .startsWith("https://billing.stripe.com/p/session/");
    STRIPE.verify(
        postRequestedFor(urlEqualTo("/v1/billing_portal/sessions"))
            .withHeader("Authorization", equalTo("Bearer " + KEY))
            .withHeader("Idempotency-Key", matching("portal-[0-9a-f]{40}"))
            .withFormParam("customer", equalTo("cus_known123"))
            .withFormParam("return_url", equalTo("https://app.example.com/account")));
  }

  @Test
  void portalWhenNoCheckoutYetThen409() {
    assertError(
        http.post(
            "/api/payments/portal",
            "{\"returnUrl\":\"https://app.example.com/account\"}",
            HeaderCallerFilter.USER_HEADER,
            account),
        409,
        "no_customer");
    STRIPE.verify(
        0,
        postRequestedFor(urlEqualTo("/v1/billing_portal/sessions"))
            .withHeader("Idempotency-Key", absent()));
  }

  @Test
  void integrationMapWhenStripeKeySetThenTestModeAndMaskedKeyNeverTheSecret() {
    HttpResponse<String> response =
        http.authorized(dev.switchboard.testing.TestKeys.ADMIN).get("/api/integrations");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).doesNotContain(KEY).doesNotContain("whsec_checkoutit");
    JsonNode stripe = null;
    for (JsonNode box : json(response).path("integrations")) {
      if (box.path("id").asString().equals("payments.stripe")) {
        stripe = box;
      }
    }
    assertThat(stripe).as(response.body()).isNotNull();
    assertThat(stripe.path("provider").asString()).isEqualTo("stripe");
    assertThat(stripe.path("mode").asString()).isEqualTo("test");
    assertThat(stripe.path("configured").asBoolean()).isTrue();
    assertThat(stripe.path("config").path("STRIPE_SECRET_KEY").asString())
        .isEqualTo("sk_test_…abcd");
    assertThat(stripe.path("rateLimits").path("PAYMENT_RATE_LIMIT").asString()).isEqualTo("25/s");
  }
}
