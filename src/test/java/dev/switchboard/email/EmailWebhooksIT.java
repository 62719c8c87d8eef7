package dev.switchboard.email;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.email.resend.ResendTestSigner;
import dev.switchboard.email.sendgrid.SendGridTestSigner;
import dev.switchboard.platform.http.RequestIds;
import dev.switchboard.testing.HttpTestClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
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

  /** Keeps every event it is given; a repeated (provider, event id) is answered as a duplicate. */
  public static final class RecordingSink implements DeliveryEventSink {
    final List<DeliveryEvent> events = new ArrayList<>();
    private final Set<String> seen = new HashSet<>();

    @Override
    public synchronized boolean record(DeliveryEvent event) {
      events.add(event);
      return seen.add(event.provider() + "/" + event.eventId());
    }

    synchronized List<DeliveryEvent> events() {
      return List.copyOf(events);
    }

    synchronized void clear() {
      events.clear();
      seen.clear();
    }
  }

  @TestConfiguration
  static class Sink {
    @Bean
    @Primary
    RecordingSink recordingSink() {
      return new RecordingSink();
    }
  }

  @LocalServerPort int port;

  @Autowired RecordingSink sink;

  HttpTestClient http;

  @BeforeEach
  void setUp() {
    http = new HttpTestClient(port);
    sink.clear();
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
    HttpResponse<String> response = postSendGrid(sendGridBatch("sg-ok"));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("{\"received\":2,\"duplicates\":0}");
    assertThat(sink.events())
        .extracting(DeliveryEvent::eventId, DeliveryEvent::type, DeliveryEvent::messageId)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "sg-ok", DeliveryEvent.Type.DELIVERED, java.util.Optional.of("msg_sg")),
            org.assertj.core.groups.Tuple.tuple(
                "sg-ok-b", DeliveryEvent.Type.HARD_BOUNCE, java.util.Optional.empty()));
  }

  @Test
  void postmarkWhenCredentialsMatchThenEventRecorded() {
    HttpResponse<String> response =
        postPostmark(postmarkDelivery("ada@example.com"), POSTMARK_CREDENTIALS);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("{\"received\":1,\"duplicates\":0}");
    assertThat(sink.events())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.provider()).isEqualTo("postmark");
              assertThat(e.messageId()).contains("msg_pm");
              assertThat(e.type()).isEqualTo(DeliveryEvent.Type.DELIVERED);
            });
  }

  @Test
  void resendWhenSignedWithCurrentOrOldSecretThenEventsRecorded() {
    assertThat(postResend(RESEND_BOUNCE, "msg_svix_1", RESEND).statusCode()).isEqualTo(200);
    assertThat(postResend(RESEND_BOUNCE, "msg_svix_2", RESEND_OLD).statusCode()).isEqualTo(200);

    assertThat(sink.events())
        .extracting(DeliveryEvent::eventId)
        .containsExactly("msg_svix_1", "msg_svix_2");
    assertThat(sink.events())
        .allSatisfy(
            e -> {
              assertThat(e.type()).isEqualTo(DeliveryEvent.Type.HARD_BOUNCE);
              assertThat(e.messageId()).contains("msg_rs");
            });
  }

  @Test
  void webhookWhenForgedThenInvalidSignatureAndNothingRecorded() {
    String batch = sendGridBatch("sg-forged");
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
    assertThat(sink.events()).isEmpty();
  }

  @Test
  void webhookWhenReplayedAfterFiveMinutesThenInvalidSignatureAndNothingRecorded() {
    String batch = sendGridBatch("sg-replay");
    String old = Long.toString(Instant.now().getEpochSecond() - 400);

    assertErrorShape(
        postSendGrid(batch, old, SENDGRID.sign(old, batch.getBytes(StandardCharsets.UTF_8))),
        400,
        "invalid_signature");
    assertThat(sink.events()).isEmpty();
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
    assertThat(sink.events()).isEmpty();
  }

  @Test
  void webhookWhenDeliveredTwiceThenSinkCalledTwiceWithSameIdAndDuplicateCounted() {
    String batch = sendGridBatch("sg-twice");
    assertThat(postSendGrid(batch).body()).isEqualTo("{\"received\":2,\"duplicates\":0}");
    assertThat(postSendGrid(batch).body()).isEqualTo("{\"received\":2,\"duplicates\":2}");
    assertThat(postPostmark(postmarkDelivery("twice@example.com"), POSTMARK_CREDENTIALS).body())
        .isEqualTo("{\"received\":1,\"duplicates\":0}");
    assertThat(postPostmark(postmarkDelivery("twice@example.com"), POSTMARK_CREDENTIALS).body())
        .isEqualTo("{\"received\":1,\"duplicates\":1}");
    assertThat(postResend(RESEND_BOUNCE, "msg_svix_twice", RESEND).body())
        .isEqualTo("{\"received\":1,\"duplicates\":0}");
    assertThat(postResend(RESEND_BOUNCE, "msg_svix_twice", RESEND_OLD).body())
        .isEqualTo("{\"received\":1,\"duplicates\":1}");

    assertThat(sink.events())
        .extracting(DeliveryEvent::eventId)
        .hasSize(8)
        .containsOnly("sg-twice", "sg-twice-b", sink.events().get(4).eventId(), "msg_svix_twice");
    assertThat(sink.events().get(4).eventId())
        .isEqualTo(sink.events().get(5).eventId())
        .startsWith("sha256:");
  }

  @Test
  void webhookWhenProviderUnknownThenNotFound() {
    assertErrorShape(http.post("/api/webhooks/email/mailgun", "[]"), 404, "not_found");
    assertErrorShape(http.post("/api/webhooks/email/smtp", "[]"), 404, "not_found");
    assertThat(sink.events()).isEmpty();
  }

  @Test
  void webhookWhenBodyOverOneMebibyteThenPayloadTooLargeAndNothingRecorded() {
    String big = "[" + "{\"event\":\"processed\"},".repeat(60_000) + "{\"event\":\"processed\"}]";
    assertThat(big.length()).isGreaterThan(1024 * 1024);

    assertErrorShape(postSendGrid(big), 413, "payload_too_large");
    assertThat(sink.events()).isEmpty();
  }

  @Test
  void webhookWhenBurstOfHundredThenNoneRateLimited() {
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      statuses.add(postResend(RESEND_BOUNCE, "msg_svix_burst_" + i, RESEND).statusCode());
    }

    assertThat(statuses).containsOnly(200);
    assertThat(sink.events()).hasSize(100);
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
