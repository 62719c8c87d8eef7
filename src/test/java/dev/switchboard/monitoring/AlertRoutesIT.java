package dev.switchboard.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.email.EmailService;
import dev.switchboard.testing.Eventually;
import dev.switchboard.testing.HttpTestClient;
import dev.switchboard.testing.TestKeys;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The alerts API, the dashboard page and the public status page in development with no channel
 * configured, on the embedded H2 database: test alerts and incidents go to the dev outbox. Every
 * bad input gets the JSON error shape and changes nothing.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class AlertRoutesIT {

  @DynamicPropertySource
  static void environment(DynamicPropertyRegistry registry) {
    registry.add("SWITCHBOARD_ADMIN_API_KEY", () -> TestKeys.ADMIN);
    registry.add("SWITCHBOARD_HEALTH_INTERVAL", () -> "1s");
    // The embedded H2 database of a first start (the development default), fresh for every run.
    String dir = "target/it-data/alert-routes-" + System.nanoTime();
    registry.add("SWITCHBOARD_DATA_DIR", () -> dir);
  }

  @LocalServerPort int port;
  @Autowired JsonMapper json;
  @Autowired AlertStore store;
  @Autowired EmailService email;
  @Autowired AlertDispatcher dispatcher;
  @Autowired AlertEngine engine;

  HttpTestClient admin;
  HttpTestClient anonymous;

  @BeforeEach
  void clients() {
    // The incidents here are written by the tests; the engine would resolve them, as their
    // conditions do not hold.
    engine.stop();
    admin = new HttpTestClient(port).authorized(TestKeys.ADMIN);
    anonymous = new HttpTestClient(port);
  }

  Incident openIncident(String subject) {
    String id = "inc_" + String.format("%024x", System.nanoTime());
    Instant now = Instant.now();
    Incident incident =
        new Incident(
            id,
            "integration_down",
            subject,
            "critical",
            "Integration " + subject + " is down",
            "connection refused",
            dispatcher.dedupKey("integration_down", subject),
            now,
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            0,
            now);
    assertThat(store.open(incident)).isTrue();
    return incident;
  }

  void assertError(HttpResponse<String> response, int status, String code, String field) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    JsonNode body = json.readTree(response.body());
    assertThat(body.get("status").asInt()).isEqualTo(status);
    assertThat(body.get("code").asString()).isEqualTo(code);
    assertThat(body.get("message").asString()).isNotBlank();
    assertThat(body.get("requestId").asString()).isNotBlank();
    if (field != null) {
      assertThat(body.get("field").asString()).isEqualTo(field);
    }
  }

  @Test
  void listWhenIncidentOpenThenShowsItWithRulesAndChannels() {
    Incident incident = openIncident("list-check");

    JsonNode list = json.readTree(admin.get("/api/alerts").body());

    assertThat(list.get("incidents").valueStream().map(n -> n.get("id").asString()))
        .contains(incident.id());
    JsonNode shown =
        list.get("incidents")
            .valueStream()
            .filter(n -> n.get("id").asString().equals(incident.id()))
            .findFirst()
            .orElseThrow();
    assertThat(shown.get("state").asString()).isEqualTo("open");
    assertThat(shown.get("dedupKey").asString())
        .isEqualTo("switchboard/development/integration_down/list-check");
    assertThat(list.get("rules").valueStream().map(n -> n.get("id").asString()))
        .containsExactly(
            "integration_down",
            "error_rate_high",
            "rate_limit_approaching",
            "secret_rotation_due",
            "jobs_dead");
    assertThat(list.get("rules").get(0).get("deliveredTo").get(0).asString())
        .as("dev fallback")
        .isEqualTo("email");
    assertThat(
            list.get("channels")
                .valueStream()
                .map(n -> n.get("id").asString() + ":" + n.get("state").asString()))
        .contains("pagerduty:not_configured", "slack:not_configured");
  }

  @Test
  void listWhenBadLimitOrNoKeyThenErrorShape() {
    assertError(admin.get("/api/alerts?limit=abc"), 400, "validation_failed", "limit");
    assertError(admin.get("/api/alerts?limit=0"), 400, "validation_failed", "limit");
    assertThat(anonymous.get("/api/alerts").statusCode()).isEqualTo(401);
  }

  @Test
  void ackWhenOpenThenAcknowledgedOnceAndBadIdsChangeNothing() {
    Incident incident = openIncident("ack-check");
    assertError(
        admin.post("/api/alerts/inc_000000000000000000000000/ack", ""), 404, "not_found", null);
    assertError(admin.post("/api/alerts/not-an-id/ack", ""), 404, "not_found", null);
    assertThat(anonymous.post("/api/alerts/" + incident.id() + "/ack", "").statusCode())
        .isEqualTo(401);
    assertThat(store.incident(incident.id()).orElseThrow().acknowledgedAt()).isEmpty();

    HttpResponse<String> acked = admin.post("/api/alerts/" + incident.id() + "/ack", "");

    assertThat(acked.statusCode()).isEqualTo(200);
    assertThat(json.readTree(acked.body()).get("state").asString()).isEqualTo("acknowledged");
    store.resolve(incident.id(), Instant.now());
    assertError(
        admin.post("/api/alerts/" + incident.id() + "/ack", ""), 409, "incident_resolved", null);
  }

  @Test
  void silenceWhenValidThenStoredAndEachBadInputRefusedWithoutAStoredSilence() {
    int before = store.activeSilences(Instant.now()).size();
    assertError(admin.post("/api/alerts/silences", "{not json"), 400, "malformed_json", null);
    assertError(admin.post("/api/alerts/silences", "[1]"), 400, "validation_failed", null);
    assertError(
        admin.post("/api/alerts/silences", "{\"rule\":\"nope\",\"for\":\"2h\",\"reason\":\"x\"}"),
        400,
        "validation_failed",
        "rule");
    assertError(
        admin.post("/api/alerts/silences", "{\"for\":\"2h\",\"reason\":\"everything\"}"),
        400,
        "validation_failed",
        "rule");
    assertError(
        admin.post(
            "/api/alerts/silences",
            "{\"rule\":\"jobs_dead\",\"until\":\"2001-01-01T00:00:00Z\",\"reason\":\"x\"}"),
        400,
        "validation_failed",
        "until");
    assertError(
        admin.post(
            "/api/alerts/silences",
            "{\"rule\":\"jobs_dead\",\"until\":\"tomorrow\",\"reason\":\"x\"}"),
        400,
        "validation_failed",
        "until");
    assertError(
        admin.post(
            "/api/alerts/silences",
            "{\"rule\":\"jobs_dead\",\"for\":\"2h\",\"until\":\"2999-01-01T00:00:00Z\",\"reason\":\"x\"}"),
        400,
        "validation_failed",
        "until");
    assertError(
        admin.post(
            "/api/alerts/silences",
            "{\"rule\":\"jobs_dead\",\"for\":\"forever\",\"reason\":\"x\"}"),
        400,
        "validation_failed",
        "for");
    assertError(
        admin.post(
            "/api/alerts/silences", "{\"rule\":\"jobs_dead\",\"for\":\"200d\",\"reason\":\"x\"}"),
        400,
        "validation_failed",
        "until");
    assertError(
        admin.post("/api/alerts/silences", "{\"rule\":\"jobs_dead\",\"for\":\"2h\"}"),
        400,
        "validation_failed",
        "reason");
    assertError(
        admin.post("/api/alerts/silences", "{\"rule\":5,\"for\":\"2h\",\"reason\":\"x\"}"),
        400,
        "validation_failed",
        "rule");
    assertThat(
            anonymous
                .post(
                    "/api/alerts/silences",
                    "{\"rule\":\"jobs_dead\",\"for\":\"2h\",\"reason\":\"x\"}")
                .statusCode())
        .isEqualTo(401);
    assertThat(store.activeSilences(Instant.now())).hasSize(before);

    HttpResponse<String> created =
        admin.post(
            "/api/alerts/silences",
            "{\"rule\":\"error_rate_high\",\"subject\":\"payments.stripe\",\"for\":\"2h\",\"reason\":\"provider maintenance\"}");

    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode silence = json.readTree(created.body());
    assertThat(silence.get("rule").asString()).isEqualTo("error_rate_high");
    assertThat(Instant.parse(silence.get("until").asString()))
        .isAfter(Instant.now().plus(Duration.ofMinutes(119)));
    assertThat(store.activeSilences(Instant.now())).hasSize(before + 1);
  }

  @Test
  void
      testWhenNoChannelConfiguredInDevelopmentThenGoesToTheDevOutboxAndUnauthenticatedSendsNothing() {
    assertThat(anonymous.post("/api/alerts/test", "").statusCode()).isEqualTo(401);
    assertThat(testMails()).isZero();

    HttpResponse<String> sent = admin.post("/api/alerts/test", "");

    assertThat(sent.statusCode()).isEqualTo(202);
    assertThat(json.readTree(sent.body()).get("channels").get(0).asString()).isEqualTo("email");
    Eventually.await(
        "the test alert in the dev outbox", Duration.ofSeconds(20), () -> testMails() == 1);
  }

  long testMails() {
    return email.recentMessages(200).stream()
        .filter(
            m ->
                m.recipient().equals("alerts@switchboard.test")
                    && m.content().subject().equals("[test] Test alert from Switchboard"))
        .count();
  }

  @Test
  void statusWhenAnonymousThenStatesBarsAndIncidentTitlesWithoutInternalDetail() {
    Incident incident = openIncident("status-check");
    Eventually.await(
        "a day of history",
        Duration.ofSeconds(20),
        () -> {
          JsonNode status =
              json.readTree(anonymous.get("/status", "Accept", "application/json").body());
          return status
              .get("integrations")
              .valueStream()
              .anyMatch(
                  i ->
                      i.get("id").asString().equals("database")
                          && !i.get("days").get(89).get("uptime").isNull());
        });

    HttpResponse<String> page = anonymous.get("/status", "Accept", "application/json");
    JsonNode status = json.readTree(page.body());

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(status.get("incidents").valueStream().map(JsonNode::asString))
        .contains(incident.title());
    JsonNode database =
        status
            .get("integrations")
            .valueStream()
            .filter(i -> i.get("id").asString().equals("database"))
            .findFirst()
            .orElseThrow();
    assertThat(database.get("days")).hasSize(90);
    assertThat(database.get("state").asString()).isEqualTo("up");
    assertThat(status.get("integrations").valueStream().map(i -> i.get("id").asString()))
        .doesNotContain("alerts.pagerduty", "secrets");
    HttpResponse<String> html = anonymous.get("/status", "Accept", "text/html");
    assertThat(html.statusCode()).isEqualTo(200);
    assertThat(html.body()).contains("data-integration=\"database\"").contains(incident.title());
    for (String body : new String[] {page.body(), html.body()}) {
      assertThat(body)
          .doesNotContain("postgresql")
          .doesNotContain("SELECT")
          .doesNotContain(TestKeys.ADMIN)
          .doesNotContain("connection refused");
    }
    store.resolve(incident.id(), Instant.now());
  }

  @Test
  void dashboardWhenSignedInThenListsIncidentsAndAcknowledgesAndSendsATestAlert() {
    Incident incident = openIncident("dashboard-check");
    String cookie = adminCookie();

    HttpResponse<String> page = anonymous.get("/admin/alerts", "Cookie", cookie);

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body())
        .contains("data-incident=\"" + incident.id() + "\"")
        .contains("Send test alert")
        .contains("href=\"/admin/alerts\" class=\"active\"")
        .contains("integration_down");
    assertThat(
            formPost(
                    "/admin/alerts/" + incident.id() + "/ack",
                    "",
                    "Cookie",
                    cookie,
                    "Origin",
                    "https://evil.example")
                .statusCode())
        .isEqualTo(403);
    assertThat(store.incident(incident.id()).orElseThrow().acknowledgedAt()).isEmpty();
    assertThat(
            formPost("/admin/alerts/" + incident.id() + "/ack", "", "Cookie", cookie).statusCode())
        .isEqualTo(303);
    assertThat(store.incident(incident.id()).orElseThrow().acknowledgedBy()).contains("dashboard");
    long before = testMails();
    assertThat(formPost("/admin/alerts/test", "", "Cookie", cookie).statusCode()).isEqualTo(303);
    Eventually.await(
        "the dashboard's test alert", Duration.ofSeconds(20), () -> testMails() == before + 1);
    store.resolve(incident.id(), Instant.now());
  }

  String adminCookie() {
    HttpResponse<String> r = formPost("/admin/login", "key=" + TestKeys.ADMIN);
    return r.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
  }

  HttpResponse<String> formPost(String path, String form, String... headers) {
    return anonymous.send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(anonymous.base() + path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(form)),
        headers);
  }
}
