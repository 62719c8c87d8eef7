package dev.switchboard.email;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.email.resend.ResendTestSigner;
import dev.switchboard.testing.HttpTestClient;
import dev.switchboard.testing.TestKeys;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * End to end through the intake and its job: a message sent through the outbox, then Resend-format
 * delivery webhooks signed with the configured secret move it forward exactly once; forged and
 * replayed ones change nothing.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "SWITCHBOARD_DATA_DIR=target/it-data/email-delivery-events",
      TestKeys.ADMIN_PROPERTY,
      "RESEND_WEBHOOK_SECRET=" + "whsec_dGVzdC1zaWduaW5nLWtleS1kZWxpdmVyeS1lMmU="
    })
class EmailDeliveryEventsIT {

  static final ResendTestSigner SIGNER = new ResendTestSigner("delivery-e2e");

  @LocalServerPort int port;

  @Autowired JsonMapper json;

  @Autowired JdbcClient jdbc;

  HttpTestClient http;

  // The data dir survives between local runs; fresh addresses keep one run's suppressions out of
  // the next.
  final String annAddress = "ann-" + UUID.randomUUID() + "@example.test";
  final String bobAddress = "bob-" + UUID.randomUUID() + "@example.test";
  final String carolAddress = "carol-" + UUID.randomUUID() + "@example.test";

  @BeforeEach
  void setUp() {
    assertThat(SIGNER.secret()).isEqualTo("whsec_dGVzdC1zaWduaW5nLWtleS1kZWxpdmVyeS1lMmU=");
    http = new HttpTestClient(port).authorized(TestKeys.ADMIN);
  }

  String sendAndAwaitSent(String to) throws Exception {
    HttpResponse<String> sent =
        http.post(
            "/api/email/send",
            "{\"template\":\"welcome\",\"to\":\""
                + to
                + "\",\"variables\":{\"name\":\"Ann\",\"verifyUrl\":\"https://app.example.test/v\"}}");
    assertThat(sent.statusCode()).isEqualTo(202);
    String id = json.readTree(sent.body()).get("id").asString();
    awaitStatus(id, "sent");
    return id;
  }

  /** Waits for the message's job, or a delivery event's, to move it to this status. */
  void awaitStatus(String id, String expected) throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(20);
    while (!status(id).equals(expected)) {
      assertThat(Instant.now())
          .as("message " + id + " " + expected + ", now " + status(id))
          .isBefore(deadline);
      Thread.sleep(50);
    }
  }

  JsonNode message(String id) {
    return json.readTree(http.get("/api/email/messages/" + id).body());
  }

  String status(String id) {
    return message(id).get("status").asString();
  }

  HttpResponse<String> webhook(String svixId, long timestamp, String body, boolean sign) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    Map<String, String> headers = SIGNER.headers(svixId, String.valueOf(timestamp), bytes);
    String signature =
        sign ? headers.get("svix-signature") : "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    return new HttpTestClient(port)
        .send(
            HttpRequest.newBuilder(URI.create(http.base() + "/api/webhooks/email/resend"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)),
            "svix-id",
            svixId,
            "svix-timestamp",
            String.valueOf(timestamp),
            "svix-signature",
            signature);
  }

  static String event(String type, String messageId, String to) {
    return "{\"type\":\""
        + type
        + "\",\"created_at\":\""
        + Instant.now()
        + "\",\"data\":{\"email_id\":\"re_"
        + messageId
        + "\",\"to\":[\""
        + to
        + "\"],\"tags\":{\"switchboard_message_id\":\""
        + messageId
        + "\"}}}";
  }

  long historyEntries(String id, String status) {
    JsonNode history = message(id).get("history");
    long n = 0;
    for (JsonNode entry : history) {
      n += entry.get("status").asString().equals(status) ? 1 : 0;
    }
    return n;
  }

  @Test
  void webhookWhenDeliveredTwiceThenOneStatusChangeAndDuplicateAcknowledged() throws Exception {
    String id = sendAndAwaitSent(annAddress);
    String body = event("email.delivered", id, annAddress);
    String svixId = "msg_" + UUID.randomUUID();
    long now = Instant.now().getEpochSecond();

    HttpResponse<String> first = webhook(svixId, now, body, true);
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.body()).contains("\"received\":1").contains("\"duplicates\":0");
    awaitStatus(id, "delivered");

    HttpResponse<String> again = webhook(svixId, now, body, true);
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(again.body()).contains("\"duplicates\":1");
    assertThat(historyEntries(id, "delivered")).isEqualTo(1);
  }

  @Test
  void webhookWhenForgedOrReplayedThen400AndNothingChanges() throws Exception {
    String id = sendAndAwaitSent(bobAddress);
    long eventsBefore =
        jdbc.sql("SELECT COUNT(*) FROM email_delivery_events").query(Long.class).single();
    String body = event("email.bounced", id, bobAddress);

    HttpResponse<String> forged =
        webhook("msg_" + UUID.randomUUID(), Instant.now().getEpochSecond(), body, false);
    HttpResponse<String> replayed =
        webhook(
            "msg_" + UUID.randomUUID(),
            Instant.now().minusSeconds(3600).getEpochSecond(),
            body,
            true);

    for (HttpResponse<String> response : java.util.List.of(forged, replayed)) {
      assertThat(response.statusCode()).isEqualTo(400);
      assertThat(response.body()).contains("\"code\":\"invalid_signature\"");
    }
    assertThat(status(id)).isEqualTo("sent");
    assertThat(jdbc.sql("SELECT COUNT(*) FROM email_delivery_events").query(Long.class).single())
        .isEqualTo(eventsBefore);
    assertThat(
            jdbc.sql("SELECT COUNT(*) FROM email_suppressions WHERE address = ?")
                .param(bobAddress)
                .query(Long.class)
                .single())
        .isZero();
  }

  @Test
  void webhookWhenHardBounceThenBouncedAndNextSendSuppressedWithoutAttempt() throws Exception {
    String id = sendAndAwaitSent(carolAddress);
    HttpResponse<String> bounce =
        webhook(
            "msg_" + UUID.randomUUID(),
            Instant.now().getEpochSecond(),
            event("email.bounced", id, carolAddress),
            true);
    assertThat(bounce.statusCode()).isEqualTo(200);
    awaitStatus(id, "bounced");

    HttpResponse<String> next =
        http.post(
            "/api/email/send",
            "{\"template\":\"welcome\",\"to\":\""
                + carolAddress.toUpperCase(java.util.Locale.ROOT)
                + "\",\"variables\":{\"name\":\"C\",\"verifyUrl\":\"https://app.example.test/v\"}}");
    String nextId = json.readTree(next.body()).get("id").asString();
    awaitStatus(nextId, "suppressed");
    assertThat(message(nextId).get("attempts").asInt()).isZero();
  }
}
