package dev.switchboard.email;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.platform.integrations.Integration;
import dev.switchboard.testing.Eventually;
import dev.switchboard.testing.HttpTestClient;
import dev.switchboard.testing.TestKeys;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The email API on the dev outbox, as an app calls it. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class EmailApiIT {

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    String dir = "target/it-data/email-api-" + UUID.randomUUID();
    registry.add("SWITCHBOARD_DATA_DIR", () -> dir);
    registry.add("SWITCHBOARD_ADMIN_API_KEY", () -> TestKeys.ADMIN);
    registry.add("EMAIL_RATE_LIMIT", () -> "1000/s");
  }

  @LocalServerPort int port;

  @Autowired DataSource dataSource;

  @Autowired List<Integration> integrations;

  final JsonMapper json = JsonMapper.builder().build();
  HttpTestClient http;

  @BeforeEach
  void setUp() {
    http = new HttpTestClient(port).authorized(TestKeys.ADMIN);
  }

  @Test
  void templatesWhenListedThenNamesWithRequiredVariablesAndUnknownTemplateNamesThem() {
    HttpResponse<String> list = http.get("/api/email/templates");
    assertThat(list.statusCode()).isEqualTo(200);
    assertThat(list.body())
        .contains("{\"name\":\"welcome\",\"requiredVariables\":[\"name\",\"verifyUrl\"]}")
        .contains("\"name\":\"password-reset\"")
        .doesNotContain("_layout");
    HttpResponse<String> unknown =
        http.post(
            "/api/email/send",
            "{\"template\":\"welcom\",\"to\":\"a@example.com\",\"variables\":{}}");
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(unknown.body())
        .contains("\"code\":\"unknown_template\"")
        .contains("welcome")
        .contains("password-reset");
    assertThat(new HttpTestClient(port).get("/api/email/templates").statusCode()).isEqualTo(401);
  }

  @Test
  void sendWhenWelcomeThroughOutboxThenSentAndRenderedMailShowsEscapedNameAndLink() {
    HttpResponse<String> accepted =
        http.post(
            "/api/email/send",
            """
        {"template":"welcome","to":"ann@example.com",
         "variables":{"name":"<b>Ann</b> & \\"Bo\\"","verifyUrl":"https://app.test/verify?token=abc&next=/home"}}""");

    assertThat(accepted.statusCode()).isEqualTo(202);
    JsonNode body = json.readTree(accepted.body());
    assertThat(body.path("status").asString()).isEqualTo("queued");
    String id = body.path("id").asString();
    assertThat(id).startsWith("msg_");

    JsonNode message = awaitStatus(id, "sent");
    assertThat(message.path("provider").asString()).isEqualTo("outbox");
    assertThat(message.path("to").asString()).isEqualTo("ann@example.com");
    assertThat(message.path("attempts").asInt()).isEqualTo(1);
    assertThat(message.path("subject").asString())
        .isEqualTo("Welcome, <b>Ann</b> & \"Bo\": please confirm your email address");
    assertThat(message.path("html").asString())
        .contains("Welcome, &lt;b&gt;Ann&lt;/b&gt; &amp; &quot;Bo&quot;")
        .contains("href=\"https://app.test/verify?token&#x3D;abc&amp;next&#x3D;/home\"")
        .doesNotContain("<b>Ann</b>");
    assertThat(message.path("text").asString())
        .contains("Hi <b>Ann</b> & \"Bo\",")
        .contains("https://app.test/verify?token=abc&next=/home");
    assertThat(message.path("history").findValuesAsString("status"))
        .containsExactly("queued", "sending", "sent");
  }

  @Test
  void bulkWhenThousandRecipientsThenBatchCountsReachAllSent() {
    StringBuilder recipients = new StringBuilder();
    for (int i = 0; i < 1000; i++) {
      recipients
          .append(i == 0 ? "" : ",")
          .append("{\"to\":\"bulk")
          .append(i)
          .append("@example.com\",\"variables\":{\"name\":\"User ")
          .append(i)
          .append("\",\"resetUrl\":\"https://r/")
          .append(i)
          .append("\"}}");
    }
    HttpResponse<String> accepted =
        http.post(
            "/api/email/bulk",
            "{\"template\":\"password-reset\",\"recipients\":[" + recipients + "]}");

    assertThat(accepted.statusCode()).isEqualTo(202);
    JsonNode body = json.readTree(accepted.body());
    assertThat(body.path("count").asInt()).isEqualTo(1000);
    String batchId = body.path("batchId").asString();
    Eventually.await(
        "all 1000 sent",
        Duration.ofSeconds(60),
        () ->
            json.readTree(http.get("/api/email/batches/" + batchId).body())
                    .path("counts")
                    .path("sent")
                    .asInt()
                == 1000);
    JsonNode batch = json.readTree(http.get("/api/email/batches/" + batchId).body());
    assertThat(batch.path("total").asInt()).isEqualTo(1000);
    assertThat(batch.path("finished").asInt()).isEqualTo(1000);
    assertThat(batch.path("counts").path("queued").asInt()).isZero();
  }

  @Test
  void sendWhenSameIdempotencyKeyTwiceThenOneMessage() {
    long before = messages();
    String request =
        "{\"template\":\"password-reset\",\"to\":\"idem@example.com\","
            + "\"variables\":{\"name\":\"Ida\",\"resetUrl\":\"https://r\"}}";
    String key = "reset-" + UUID.randomUUID();

    HttpResponse<String> first = http.post("/api/email/send", request, "Idempotency-Key", key);
    HttpResponse<String> second = http.post("/api/email/send", request, "Idempotency-Key", key);

    assertThat(first.statusCode()).isEqualTo(202);
    assertThat(second.statusCode()).isEqualTo(202);
    assertThat(second.headers().firstValue("Idempotent-Replayed")).contains("true");
    assertThat(json.readTree(second.body()).path("id").asString())
        .isEqualTo(json.readTree(first.body()).path("id").asString());
    assertThat(messages()).isEqualTo(before + 1);
  }

  @Test
  void getWhenUnknownIdsThenNotFound() {
    assertThat(http.get("/api/email/messages/msg_nope").statusCode()).isEqualTo(404);
    assertThat(http.get("/api/email/messages/msg_nope").body()).contains("\"code\":\"not_found\"");
    assertThat(http.get("/api/email/batches/bat_nope").statusCode()).isEqualTo(404);
  }

  @Test
  void sendWhenNoApiKeyThenUnauthorizedAndNothingStored() {
    long before = messages();
    HttpResponse<String> response =
        new HttpTestClient(port)
            .post(
                "/api/email/send",
                "{\"template\":\"welcome\",\"to\":\"a@example.com\",\"variables\":{\"name\":\"A\",\"verifyUrl\":\"u\"}}");

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(messages()).isEqualTo(before);
  }

  @Test
  void integrationWhenOutboxThenDevBoxWithRateLimitAndQueueDepthAndMetrics() throws Exception {
    Integration email =
        integrations.stream().filter(i -> i.id().equals("email")).findFirst().orElseThrow();

    assertThat(email.area()).isEqualTo("email");
    assertThat(email.provider()).isEqualTo("outbox");
    assertThat(email.mode()).isEqualTo(Integration.Mode.DEV);
    assertThat(email.configured()).isFalse();
    assertThat(email.rateLimits()).containsEntry("EMAIL_RATE_LIMIT", "1000/s");
    assertThat(email.checkInterval()).isEqualTo(Duration.ofMinutes(5));
    assertThat(email.healthCheck().check().detail()).contains("queue depth");
    assertThat(http.get("/actuator/prometheus").body()).contains("switchboard_email_queue_depth");
  }

  static List<Arguments> badInput() {
    String vars = "\"variables\":{\"name\":\"Ann\",\"verifyUrl\":\"https://v\"}";
    String big = "x".repeat(EmailTemplate.MAX_VALUE_BYTES + 1);
    StringBuilder tooMany = new StringBuilder();
    for (int i = 0; i <= EmailService.MAX_RECIPIENTS; i++) {
      tooMany.append(i == 0 ? "" : ",").append("{\"to\":\"u").append(i).append("@example.com\"}");
    }
    StringBuilder oneBad = new StringBuilder();
    for (int i = 0; i < 20; i++) {
      String to = i == 17 ? "not-an-address" : "ok" + i + "@example.com";
      oneBad
          .append(i == 0 ? "" : ",")
          .append("{\"to\":\"")
          .append(to)
          .append("\",")
          .append(vars)
          .append("}");
    }
    StringBuilder missingVar = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      missingVar
          .append(i == 0 ? "" : ",")
          .append("{\"to\":\"mv")
          .append(i)
          .append("@example.com\",")
          .append(i == 3 ? "\"variables\":{\"verifyUrl\":\"https://v\"}" : vars)
          .append("}");
    }
    return List.of(
        Arguments.of(
            "send",
            "{\"template\":\"nope\",\"to\":\"a@example.com\"," + vars + "}",
            "unknown_template",
            "template"),
        Arguments.of(
            "send", "{\"to\":\"a@example.com\"," + vars + "}", "validation_failed", "template"),
        Arguments.of(
            "send",
            "{\"template\":\"welcome\",\"to\":\"not-an-address\"," + vars + "}",
            "invalid_recipient",
            "to"),
        Arguments.of(
            "send",
            "{\"template\":\"welcome\",\"to\":\"\"," + vars + "}",
            "invalid_recipient",
            "to"),
        Arguments.of("send", "{\"template\":\"welcome\"," + vars + "}", "invalid_recipient", "to"),
        Arguments.of(
            "send",
            "{\"template\":\"welcome\",\"to\":\"a@example.com, b@example.com\"," + vars + "}",
            "invalid_recipient",
            "to"),
        Arguments.of(
            "send",
            "{\"template\":\"welcome\",\"to\":\""
                + "a".repeat(250)
                + "@example.com\","
                + vars
                + "}",
            "invalid_recipient",
            "to"),
        Arguments.of(
            "send",
            "{\"template\":\"welcome\",\"to\":\"a@example.com\",\"variables\":{\"name\":\"Ann\"}}",
            "missing_template_variable",
            "variables.verifyUrl"),
        Arguments.of(
            "send",
            "{\"template\":\"welcome\",\"to\":\"a@example.com\",\"variables\":{\"name\":{\"first\":\"Ann\"},\"verifyUrl\":\"https://v\"}}",
            "invalid_template_variable",
            "variables.name"),
        Arguments.of(
            "send",
            "{\"template\":\"welcome\",\"to\":\"a@example.com\",\"variables\":{\"name\":[\"Ann\"],\"verifyUrl\":\"https://v\"}}",
            "invalid_template_variable",
            "variables.name"),
        Arguments.of(
            "send",
            "{\"template\":\"welcome\",\"to\":\"a@example.com\",\"variables\":{\"name\":true,\"verifyUrl\":\"https://v\"}}",
            "invalid_template_variable",
            "variables.name"),
        Arguments.of(
            "send",
            "{\"template\":\"welcome\",\"to\":\"a@example.com\",\"variables\":{\"name\":\"Ann\",\"verifyUrl\":\"javascript:alert(1)\"}}",
            "invalid_template_variable",
            "variables.verifyUrl"),
        Arguments.of(
            "send",
            "{\"template\":\"welcome\",\"to\":\"a@example.com\",\"variables\":{\"name\":\""
                + big
                + "\",\"verifyUrl\":\"https://v\"}}",
            "template_variables_too_large",
            "variables.name"),
        Arguments.of(
            "send",
            "{\"template\":\"welcome\",\"to\":\"a@example.com\",\"variables\":\"Ann\"}",
            "validation_failed",
            "variables"),
        Arguments.of(
            "send",
            "{\"template\":\"welcome\",\"to\":\"a@example.com\",\"locale\":\"not a locale\","
                + vars
                + "}",
            "validation_failed",
            "locale"),
        Arguments.of("send", "{\"template\":\"welcome\",", "malformed_json", null),
        Arguments.of(
            "bulk",
            "{\"template\":\"welcome\",\"recipients\":[]}",
            "validation_failed",
            "recipients"),
        Arguments.of("bulk", "{\"template\":\"welcome\"}", "validation_failed", "recipients"),
        Arguments.of(
            "bulk",
            "{\"template\":\"welcome\",\"recipients\":[" + tooMany + "]}",
            "too_many_recipients",
            "recipients"),
        Arguments.of(
            "bulk",
            "{\"template\":\"welcome\",\"recipients\":[" + oneBad + "]}",
            "invalid_recipient",
            "recipients[17].to"),
        Arguments.of(
            "bulk",
            "{\"template\":\"welcome\",\"recipients\":[" + missingVar + "]}",
            "missing_template_variable",
            "recipients[3].variables.name"),
        Arguments.of(
            "bulk",
            "{\"template\":\"nope\",\"recipients\":[" + oneBad + "]}",
            "unknown_template",
            "template"));
  }

  @ParameterizedTest(name = "{0} {2} {3}")
  @MethodSource("badInput")
  void postWhenBadInputThenErrorShapeWithStableCodeAndNothingStoredOrQueued(
      String route, String body, String code, String field) {
    long messages = messages();
    long jobs = jobs();

    HttpResponse<String> response = http.post("/api/email/" + route, body);

    assertThat(response.statusCode()).isEqualTo(400);
    JsonNode error = json.readTree(response.body());
    assertThat(error.path("code").asString()).isEqualTo(code);
    assertThat(error.path("status").asInt()).isEqualTo(400);
    assertThat(error.path("requestId").asString()).isNotBlank();
    if (field != null) {
      assertThat(error.path("field").asString()).isEqualTo(field);
    }
    assertThat(messages()).isEqualTo(messages);
    assertThat(jobs()).isEqualTo(jobs);
  }

  long jobs() {
    return JdbcClient.create(dataSource)
        .sql("SELECT COUNT(*) FROM jobs WHERE type = 'email.send'")
        .query(Long.class)
        .single();
  }

  JsonNode awaitStatus(String id, String status) {
    Eventually.await(
        id + " " + status,
        Duration.ofSeconds(20),
        () ->
            json.readTree(http.get("/api/email/messages/" + id).body())
                .path("status")
                .asString()
                .equals(status));
    return json.readTree(http.get("/api/email/messages/" + id).body());
  }

  long messages() {
    return JdbcClient.create(dataSource)
        .sql("SELECT COUNT(*) FROM email_messages")
        .query(Long.class)
        .single();
  }
}
