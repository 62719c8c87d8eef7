package dev.switchboard.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testing.Eventually;
import dev.switchboard.testing.HttpTestClient;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Funnels end to end: the events Switchboard records itself (a password sign-up, a dev checkout)
 * make a converted person with no analytics call from the test; an anonymous visitor who later
 * identifies is one person.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "SWITCHBOARD_DATA_DIR=target/it-data/analytics-funnel",
      "PAYMENT_PLANS=pro=price_pro",
      "ANALYTICS_KEY=" + AnalyticsFunnelIT.KEY,
      "SWITCHBOARD_ADMIN_API_KEY=" + AnalyticsFunnelIT.ADMIN
    })
class AnalyticsFunnelIT {

  static final String KEY = "wk_funnel_0123456789";
  static final String ADMIN = "sk_analytics_funnel_admin_0123456789abcdef";
  static final JsonMapper JSON = JsonMapper.builder().build();

  @LocalServerPort int port;

  String base() {
    return "http://127.0.0.1:" + port;
  }

  JsonNode funnel(HttpTestClient api, String steps, Instant from) {
    HttpResponse<String> response =
        api.get(
            "/api/analytics/funnel?steps="
                + steps
                + "&window=7d&from="
                + from
                + "&to="
                + Instant.now().plusSeconds(60));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  @Test
  void signUpAndDevCheckoutWhenNoAnalyticsCallThenFunnelShowsOneConvertedPerson() {
    Instant start = Instant.now().minusSeconds(1);
    HttpTestClient http = new HttpTestClient(port);
    String email = "funnel-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    assertThat(
            http.post(
                    "/api/auth/register",
                    "{\"email\":\"" + email + "\",\"password\":\"correct horse battery\"}")
                .statusCode())
        .isEqualTo(202);
    HttpResponse<String> login =
        http.post(
            "/api/auth/login",
            "{\"email\":\"" + email + "\",\"password\":\"correct horse battery\"}");
    assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
    HttpTestClient user =
        http.authorized(JSON.readTree(login.body()).path("accessToken").asString());
    HttpResponse<String> checkout =
        user.post(
            "/api/payments/checkout",
            "{\"plan\":\"pro\",\"successUrl\":\""
                + base()
                + "/api/health?paid={CHECKOUT_SESSION_ID}\",\"cancelUrl\":\""
                + base()
                + "/api/health?cancelled=1\"}");
    assertThat(checkout.statusCode()).as(checkout.body()).isEqualTo(200);
    HttpResponse<String> paid =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(JSON.readTree(checkout.body()).path("url").asString() + "/pay"))
                .POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(paid.statusCode()).isEqualTo(303);

    HttpTestClient api = http.authorized(ADMIN);
    Eventually.await(
        "subscription_started recorded",
        Duration.ofSeconds(20),
        () ->
            funnel(api, "signed_up,subscription_started", start)
                    .path("steps")
                    .get(1)
                    .path("people")
                    .asLong()
                == 1);
    JsonNode steps = funnel(api, "signed_up,subscription_started", start).path("steps");
    assertThat(steps.get(0).path("people").asLong()).isEqualTo(1);
    assertThat(steps.get(1).path("conversion").asDouble()).isEqualTo(1.0);
    assertThat(steps.get(1).path("medianSecondsFromPrevious").asDouble()).isGreaterThanOrEqualTo(0);

    JsonNode live = JSON.readTree(api.get("/api/analytics/live?limit=20").body()).path("events");
    JsonNode signedUp = null;
    JsonNode started = null;
    for (JsonNode e : live) {
      if ("signed_up".equals(e.path("event").asString()) && signedUp == null) {
        signedUp = e;
      }
      if ("subscription_started".equals(e.path("event").asString()) && started == null) {
        started = e;
      }
    }
    assertThat(signedUp.path("message").path("properties").path("method").asString())
        .isEqualTo("password");
    assertThat(started.path("userId").asString())
        .isEqualTo(signedUp.path("userId").asString())
        .startsWith("usr_");
    JsonNode properties = started.path("message").path("properties");
    assertThat(properties.path("plan").asString()).isEqualTo("pro");
    // The dev checkout charges 10.00 USD (its checkout.session.completed amount_total 1000, usd).
    assertThat(properties.path("price").asDouble()).isEqualTo(10.0);
    assertThat(properties.path("currency").asString()).isEqualTo("USD");
    assertThat(properties.path("revenue").asDouble()).isEqualTo(10.0);
    assertThat(properties.path("price_id").asString()).isEqualTo("price_pro");
    // Exactly one of each for this person, although the dev checkout also sends invoice.paid.
    long[] counts = new long[2];
    for (JsonNode e : live) {
      if (e.path("userId").asString().equals(started.path("userId").asString())) {
        counts[e.path("event").asString().equals("signed_up") ? 0 : 1]++;
      }
    }
    assertThat(counts).containsExactly(1, 1);
  }

  @Test
  void funnelWhenAnonymousVisitorLaterIdentifiesThenOnePersonAcrossIds() {
    Instant start = Instant.now().minusSeconds(600);
    HttpTestClient http = new HttpTestClient(port);
    String auth = "Basic " + Base64.getEncoder().encodeToString((KEY + ":").getBytes());
    String anon = "anon-" + UUID.randomUUID();
    String userId = "u-" + UUID.randomUUID();
    String step = "step_" + UUID.randomUUID().toString().substring(0, 6);
    Instant t = Instant.now();
    http.post(
        "/v1/page",
        "{\"anonymousId\":\""
            + anon
            + "\",\"name\":\"Pricing\",\"timestamp\":\""
            + t.minusSeconds(120)
            + "\"}",
        "Authorization",
        auth);
    http.post(
        "/v1/identify",
        "{\"anonymousId\":\"" + anon + "\",\"userId\":\"" + userId + "\"}",
        "Authorization",
        auth);
    http.post(
        "/v1/track",
        "{\"userId\":\""
            + userId
            + "\",\"event\":\""
            + step
            + "\",\"timestamp\":\""
            + t.minusSeconds(60)
            + "\"}",
        "Authorization",
        auth);
    // Another visitor only looked.
    http.post(
        "/v1/page",
        "{\"anonymousId\":\"other-" + anon + "\",\"name\":\"Pricing\"}",
        "Authorization",
        auth);

    JsonNode steps = funnel(http.authorized(ADMIN), "page_viewed," + step, start).path("steps");

    assertThat(steps.get(0).path("people").asLong()).isGreaterThanOrEqualTo(2);
    assertThat(steps.get(1).path("people").asLong()).isEqualTo(1);
    assertThat(steps.get(1).path("medianSecondsFromPrevious").asDouble()).isEqualTo(60.0);
  }

  @Test
  void queryApiWhenNoKeyOrBadParametersThenErrorShape() {
    HttpTestClient http = new HttpTestClient(port);
    assertThat(http.get("/api/analytics/live").statusCode()).isEqualTo(401);
    HttpTestClient api = http.authorized(ADMIN);
    HttpResponse<String> emailOnly =
        api.post("/api/keys", "{\"name\":\"mailer\",\"scopes\":[\"email:send\"]}");
    HttpResponse<String> reader =
        api.post("/api/keys", "{\"name\":\"reader\",\"scopes\":[\"analytics:read\"]}");
    assertThat(
            http.authorized(JSON.readTree(emailOnly.body()).path("key").asString())
                .get("/api/analytics/live")
                .statusCode())
        .isEqualTo(403);
    assertThat(
            http.authorized(JSON.readTree(reader.body()).path("key").asString())
                .get("/api/analytics/live")
                .statusCode())
        .isEqualTo(200);
    assertThat(api.get("/api/analytics/funnel?steps=a").statusCode()).isEqualTo(400);
    assertThat(api.get("/api/analytics/funnel?steps=a,b&window=forever").statusCode())
        .isEqualTo(400);
    assertThat(api.get("/api/analytics/events?interval=week").statusCode()).isEqualTo(400);
    assertThat(api.get("/api/analytics/events?from=yesterday").statusCode()).isEqualTo(400);
    assertThat(api.get("/api/analytics/live?limit=0").statusCode()).isEqualTo(400);
  }

  @Test
  void integrationMapWhenKeyConfiguredThenAnalyticsBoxUpWithEventsTodayAndMaskedKey() {
    HttpTestClient api = new HttpTestClient(port).authorized(ADMIN);
    JsonNode[] box = new JsonNode[1];
    Eventually.await(
        "analytics box checked",
        Duration.ofSeconds(20),
        () -> {
          for (JsonNode i :
              JSON.readTree(api.get("/api/integrations").body()).path("integrations")) {
            if (i.path("id").asString().equals("analytics")) {
              box[0] = i;
            }
          }
          return box[0] != null && box[0].path("health").path("status").asString().equals("up");
        });
    assertThat(box[0].path("health").path("detail").asString()).matches("\\d+ events today");
    assertThat(box[0].path("area").asString()).isEqualTo("analytics");
    assertThat(box[0].path("configured").asBoolean()).isTrue();
    assertThat(box[0].toString()).doesNotContain(KEY);
  }
}
