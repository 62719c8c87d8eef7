package dev.switchboard.email;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.email.resend.ResendTestSigner;
import dev.switchboard.email.sendgrid.SendGridTestSigner;
import dev.switchboard.platform.http.RequestIds;
import dev.switchboard.testing.HttpTestClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "SWITCHBOARD_DATA_DIR=target/it-data/email-webhooks",
      "POSTMARK_WEBHOOK_CREDENTIALS=" + EmailWebhooksIT.POSTMARK_CREDENTIALS
    })
class EmailWebhooksIT {

  static final String POSTMARK_CREDENTIALS = "hooks:webhook-password-1";
  static final SendGridTestSigner SENDGRID = new SendGridTestSigner();
  static final ResendTestSigner RESEND = new ResendTestSigner("it-current");
  static final ResendTestSigner RESEND_OLD = new ResendTestSigner("it-old");

  @DynamicPropertySource
  static void secrets(DynamicPropertyRegistry registry) {
    registry.add("SENDGRID_WEBHOOK_PUBLIC_KEY", SENDGRID::publicKey);
    registry.add("RESEND_WEBHOOK_SECRET", () -> RESEND.secret() + "," + RESEND_OLD.secret());
  }

  /** Keeps this run's event ids apart from earlier runs' in the kept data directory. */
  static final String RUN = "-" + UUID.randomUUID().toString().substring(0, 8);

  /** An event as stored by the intake. */
  record Stored(String provider, String eventId, String type) {}

  @LocalServerPort int port;

  @Autowired JdbcClient jdbc;

  HttpTestClient http;

  Instant since;

  @BeforeEach
  void setUp() {
    http = new HttpTestClient(port);
    since = Instant.now().minusMillis(1);
  }

  /** The delivery events stored since the test started, oldest first. */
  List<Stored> stored() {
    return jdbc.sql(
            "SELECT provider, event_id, type FROM email_delivery_events WHERE received_at >= ?"
                + " ORDER BY received_at, event_id")
        .param(OffsetDateTime.ofInstant(since, ZoneOffset.UTC))
        .query(
            (rs, row) ->
                new Stored(
                    rs.getString("provider"), rs.getString("event_id"), rs.getString("type")))
        .list();
  }

  static String now() {
    return Long.toString(Instant.now().getEpochSecond());
  }

  static String sendGridBatch(String eventId) {
    return "[{\"email\":\"ada@example.com\",\"timestamp\":"
        + Instant.now().getEpochSecond()
        + ",\"event\":\"delivered\","
        + "\"sg_event_id\":\""
        + eventId
        + "\",\"sg_message_id\":\"sgm.filter1\",\"switchboard_message_id\":\"msg_sg\"},"
        + "{\"email\":\"bob@example.com\",\"timestamp\":"
        + Instant.now().getEpochSecond()
        + ",\"event\":\"bounce\","
        + "\"type\":\"bounce\",\"sg_event_id\":\""
        + eventId
        + "-b\",\"sg_message_id\":\"sgm2.filter1\"}]";
  }

  HttpResponse<String> postSendGrid(String body, String timestamp, String signature) {
    return http.post(
        "/api/webhooks/email/sendgrid",
        body,
        "X-Twilio-Email-Event-Webhook-Signature",
        signature,
        "X-Twilio-Email-Event-Webhook-Timestamp",
        timestamp);
  }

  HttpResponse<String> postSendGrid(String body) {
    String timestamp = now();
    return postSendGrid(
        body, timestamp, SENDGRID.sign(timestamp, body.getBytes(StandardCharsets.UTF_8)));
  }

  HttpResponse<String> postPostmark(String body, String credentials) {
    String basic = Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    return http.post("/api/webhooks/email/postmark", body, "Authorization", "Basic " + basic);
  }

  static String postmarkDelivery(String recipient) {
    return "{\"RecordType\":\"Delivery\",\"MessageID\":\"pm-1\",\"Recipient\":\""
        + recipient
        + "\","
        + "\"DeliveredAt\":\"2026-05-01T11:59:54.9070259Z\",\"Metadata\":{\"switchboard_message_id\":\"msg_pm\"}}";
  }

  HttpResponse<String> postResend(String body, String id, ResendTestSigner signer) {
    String timestamp = now();
    Map<String, String> headers =
        signer.headers(id, timestamp, body.getBytes(StandardCharsets.UTF_8));
    return http.post(
        "/api/webhooks/email/resend",
        body,
        "svix-id",
        id,
        "svix-timestamp",
        timestamp,
        "svix-signature",
        headers.get("svix-signature"));
  }

  static final String RESEND_BOUNCE =
      "{\"type\":\"email.bounced\",\"created_at\":\"2026-05-01T11:00:00Z\",\"data\":"
          + "{\"email_id\":\"rs-1\",\"to\":[\"gone@example.com\"],\"tags\":{\"switchboard_message_id\":\"msg_rs\"},"
          + "\"bounce\":{\"type\":\"Permanent\",\"message\":\"no such user\"}}}";

  @Test
  void sendGridWhenSignedThenEventsRecordedAndCounted() {
    HttpResponse<String> response = postSendGrid(sendGridBatch("sg-ok" + RUN));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("{\"received\":2,\"duplicates\":0}");
    assertThat(stored())
        .containsExactly(
            new Stored("sendgrid", "sg-ok" + RUN, "delivered"),
            new Stored("sendgrid", "sg-ok" + RUN + "-b", "hard_bounce"));
  }

  @Test
  void postmarkWhenCredentialsMatchThenEventRecorded() {
    HttpResponse<String> response =
        postPostmark(postmarkDelivery("ada" + RUN + "@example.com"), POSTMARK_CREDENTIALS);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("{\"received\":1,\"duplicates\":0}");
    assertThat(stored())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.provider()).isEqualTo("postmark");
              assertThat(e.eventId()).startsWith("sha256:");
              assertThat(e.type()).isEqualTo("delivered");
            });
  }

  @Test
  void resendWhenSignedWithCurrentOrOldSecretThenEventsRecorded() {
    assertThat(postResend(RESEND_BOUNCE, "msg_svix_1" + RUN, RESEND).statusCode()).isEqualTo(200);
    assertThat(postResend(RESEND_BOUNCE, "msg_svix_2" + RUN, RESEND_OLD).statusCode())
        .isEqualTo(200);

    assertThat(stored())
        .containsExactlyInAnyOrder(
            new Stored("resend", "msg_svix_1" + RUN, "hard_bounce"),
            new Stored("resend", "msg_svix_2" + RUN, "hard_bounce"));
  }

  @Test
  void webhookWhenForgedThenInvalidSignatureAndNothingRecorded() {
    String batch = sendGridBatch("sg-forged" + RUN);
    String timestamp = now();
    List<HttpResponse<String>> responses =
        List.of(
            postSendGrid(
                batch,
                timestamp,
                new SendGridTestSigner().sign(timestamp, batch.getBytes(StandardCharsets.UTF_8))),
            postSendGrid(
                batch,
                timestamp,
                SENDGRID.sign(
                    timestamp, sendGridBatch("sg-other").getBytes(StandardCharsets.UTF_8))),
            http.post("/api/webhooks/email/sendgrid", batch),
            postPostmark(postmarkDelivery("ada@example.com"), "hooks:wrong-password-1"),
            http.post("/api/webhooks/email/postmark", postmarkDelivery("ada@example.com")),
            postResend(RESEND_BOUNCE, "msg_svix_forged", new ResendTestSigner("attacker")),
            http.post(
                "/api/webhooks/email/resend",
                RESEND_BOUNCE,
                "svix-id",
                "msg_x",
                "svix-timestamp",
                now()));

    assertThat(responses).allSatisfy(r -> assertErrorShape(r, 400, "invalid_signature"));
    assertThat(responses)
        .allSatisfy(r -> assertThat(r.body()).doesNotContain("webhook-password-1"));
    assertThat(stored()).isEmpty();
  }

  @Test
  void webhookWhenReplayedAfterFiveMinutesThenInvalidSignatureAndNothingRecorded() {
    String batch = sendGridBatch("sg-replay" + RUN);
    String old = Long.toString(Instant.now().getEpochSecond() - 400);

    assertErrorShape(
        postSendGrid(batch, old, SENDGRID.sign(old, batch.getBytes(StandardCharsets.UTF_8))),
        400,
        "invalid_signature");
    assertThat(stored()).isEmpty();
  }

  @Test
  void webhookWhenSignedButMalformedThenMalformedPayloadAndNothingRecorded() {
    assertErrorShape(postSendGrid("{\"not\":\"an array\"}"), 400, "malformed_payload");
    assertErrorShape(
        postPostmark("{\"RecordType\":", POSTMARK_CREDENTIALS), 400, "malformed_payload");
    assertErrorShape(
        postResend("{\"type\":\"email.delivered\"}", "msg_svix_bad", RESEND),
        400,
        "malformed_payload");
    assertThat(stored()).isEmpty();
  }

  @Test
  void webhookWhenDeliveredTwiceThenStoredOnceAndDuplicateCounted() {
    String batch = sendGridBatch("sg-twice" + RUN);
    String postmark = postmarkDelivery("twice" + RUN + "@example.com");
    assertThat(postSendGrid(batch).body()).isEqualTo("{\"received\":2,\"duplicates\":0}");
    assertThat(postSendGrid(batch).body()).isEqualTo("{\"received\":2,\"duplicates\":2}");
    assertThat(postPostmark(postmark, POSTMARK_CREDENTIALS).body())
        .isEqualTo("{\"received\":1,\"duplicates\":0}");
    assertThat(postPostmark(postmark, POSTMARK_CREDENTIALS).body())
        .isEqualTo("{\"received\":1,\"duplicates\":1}");
    assertThat(postResend(RESEND_BOUNCE, "msg_svix_twice" + RUN, RESEND).body())
        .isEqualTo("{\"received\":1,\"duplicates\":0}");
    assertThat(postResend(RESEND_BOUNCE, "msg_svix_twice" + RUN, RESEND_OLD).body())
        .isEqualTo("{\"received\":1,\"duplicates\":1}");

    assertThat(stored())
        .extracting(Stored::eventId)
        .hasSize(4)
        .contains("sg-twice" + RUN, "sg-twice" + RUN + "-b", "msg_svix_twice" + RUN)
        .anySatisfy(id -> assertThat(id).startsWith("sha256:"));
    assertThat(
            jdbc.sql("SELECT COUNT(*) FROM jobs WHERE dedupe_key LIKE ?")
                .param(DeliveryEventJob.TYPE + ":%twice" + RUN + "%")
                .query(Long.class)
                .single())
        .as("one job per stored event (the Postmark one is named by its hash)")
        .isEqualTo(3);
  }

  @Test
  void webhookWhenProviderUnknownThenNotFound() {
    assertErrorShape(http.post("/api/webhooks/email/mailgun", "[]"), 404, "not_found");
    assertErrorShape(http.post("/api/webhooks/email/smtp", "[]"), 404, "not_found");
    assertThat(stored()).isEmpty();
  }

  @Test
  void webhookWhenBodyOverOneMebibyteThenPayloadTooLargeAndNothingRecorded() {
    String big = "[" + "{\"event\":\"processed\"},".repeat(60_000) + "{\"event\":\"processed\"}]";
    assertThat(big.length()).isGreaterThan(1024 * 1024);

    assertErrorShape(postSendGrid(big), 413, "payload_too_large");
    assertThat(stored()).isEmpty();
  }

  @Test
  void webhookWhenBurstOfHundredThenNoneRateLimited() {
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      statuses.add(postResend(RESEND_BOUNCE, "msg_svix_burst_" + i + RUN, RESEND).statusCode());
    }

    assertThat(statuses).containsOnly(200);
    assertThat(stored()).hasSize(100);
  }

  static void assertErrorShape(HttpResponse<String> response, int status, String code) {
    assertThat(response.statusCode()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    String requestId = response.headers().firstValue(RequestIds.HEADER).orElseThrow();
    assertThat(response.body())
        .contains(
            "\"status\":" + status,
            "\"code\":\"" + code + "\"",
            "\"message\":",
            "\"requestId\":\"" + requestId + "\"");
  }
}
