package dev.switchboard.email;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.platform.integrations.Integration;
import dev.switchboard.testing.HttpTestClient;
import dev.switchboard.testing.TestKeys;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
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

  @LocalServerPort
  int port;

  @Autowired
  DataSource dataSource;

  @Autowired
  List<Integration> integrations;

  final JsonMapper json = JsonMapper.builder().build();
  HttpTestClient http;

  @BeforeEach
  void setUp() {
    http = new HttpTestClient(port).authorized(TestKeys.ADMIN);
  }

  @Test
  void sendWhenWelcomeThroughOutboxThenSentAndRenderedMailShowsEscapedNameAndLink() {
    HttpResponse<String> accepted = http.post("/api/email/send", """
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
    assertThat(message.path("subject").asString()).isEqualTo("Welcome, <b>Ann</b> & \"Bo\": please confirm your email address");
    assertThat(message.path("html").asString())
        .contains("Welcome, &lt;b&gt;Ann&lt;/b&gt; &amp; &quot;Bo&quot;")
        .contains("href=\"https://app.test/verify?token&#x3D;abc&amp;next&#x3D;/home\"")
        .doesNotContain("<b>Ann</b>");
    assertThat(message.path("text").asString()).contains("Hi <b>Ann</b> & \"Bo\",")
        .contains("https://app.test/verify?token=abc&next=/home");
    assertThat(message.path("history").findValuesAsString("status")).containsExactly("queued", "sending", "sent");
  }

  @Test
  void bulkWhenThousandRecipientsThenBatchCountsReachAllSent() {
    StringBuilder recipients = new StringBuilder();
    for (int i = 0; i < 1000; i++) {
      recipients.append(i == 0 ? "" : ",").append("{\"to\":\"bulk").append(i)
          .append("@example.com\",\"variables\":{\"name\":\"User ").append(i).append("\",\"resetUrl\":\"https://r/")
          .append(i).append("\"}}");
    }
    HttpResponse<String> accepted = http.post("/api/email/bulk",
        "{\"template\":\"password-reset\",\"recipients\":[" + recipients + "]}");

    assertThat(accepted.statusCode()).isEqualTo(202);
    JsonNode body = json.readTree(accepted.body());
    assertThat(body.path("count").asInt()).isEqualTo(1000);
    String batchId = body.path("batchId").asString();
    Eventually.await("all 1000 sent", Duration.ofSeconds(60), () ->
        json.readTree(http.get("/api/email/batches/" + batchId).body()).path("counts").path("sent").asInt() == 1000);
    JsonNode batch = json.readTree(http.get("/api/email/batches/" + batchId).body());
    assertThat(batch.path("total").asInt()).isEqualTo(1000);
    assertThat(batch.path("finished").asInt()).isEqualTo(1000);
    assertThat(batch.path("counts").path("queued").asInt()).isZero();
  }

  @Test
  void sendWhenSameIdempotencyKeyTwiceThenOneMessage() {
    long before = messages();
    String request = "{\"template\":\"password-reset\",\"to\":\"idem@example.com\","
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
    HttpResponse<String> response = new HttpTestClient(port).post("/api/email/send",
        "{\"template\":\"welcome\",\"to\":\"a@example.com\",\"variables\":{\"name\":\"A\",\"verifyUrl\":\"u\"}}");

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(messages()).isEqualTo(before);
  }

  @Test
  void integrationWhenOutboxThenDevBoxWithRateLimitAndQueueDepthAndMetrics() throws Exception {
    Integration email = integrations.stream().filter(i -> i.id().equals("email")).findFirst().orElseThrow();

    assertThat(email.area()).isEqualTo("email");
    assertThat(email.provider()).isEqualTo("outbox");
    assertThat(email.mode()).isEqualTo(Integration.Mode.DEV);
    assertThat(email.configured()).isFalse();
    assertThat(email.rateLimits()).containsEntry("EMAIL_RATE_LIMIT", "1000/s");
    assertThat(email.checkInterval()).isEqualTo(Duration.ofMinutes(5));
    assertThat(email.healthCheck().check().detail()).contains("queue depth");
    assertThat(http.get("/actuator/prometheus").body()).contains("switchboard_email_queue_depth");
  }

  JsonNode awaitStatus(String id, String status) {
    Eventually.await(id + " " + status, Duration.ofSeconds(20), () ->
        json.readTree(http.get("/api/email/messages/" + id).body()).path("status").asString().equals(status));
    return json.readTree(http.get("/api/email/messages/" + id).body());
  }

  long messages() {
    return JdbcClient.create(dataSource).sql("SELECT COUNT(*) FROM email_messages").query(Long.class).single();
  }
}
