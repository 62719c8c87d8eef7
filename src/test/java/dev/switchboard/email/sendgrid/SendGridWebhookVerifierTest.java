package dev.switchboard.email.sendgrid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.email.DeliveryEvent;
import dev.switchboard.platform.http.ApiException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;

class SendGridWebhookVerifierTest {

  static final Instant NOW = Instant.parse("2026-05-01T12:00:00Z");
  static final String TIMESTAMP = Long.toString(NOW.getEpochSecond());
  static final String BATCH =
      """
      [{"email":"ada@example.com","timestamp":1777636790,"event":"delivered","sg_event_id":"ev_delivered_1",\
      "sg_message_id":"14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0","switchboard_message_id":"msg_1",\
      "response":"250 OK"},
      {"email":"bob@example.com","timestamp":1777636791,"event":"processed","sg_event_id":"ev_processed_1",\
      "sg_message_id":"abc.filter1"}]""";

  final SendGridTestSigner signer = new SendGridTestSigner();
  final SendGridWebhookVerifier verifier = verifier(signer.publicKey());

  static SendGridWebhookVerifier verifier(String key) {
    return new SendGridWebhookVerifier(
        key, Clock.fixed(NOW, ZoneOffset.UTC), JsonMapper.builder().build());
  }

  List<DeliveryEvent> signedAndVerified(String timestamp, String json) {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    return verifier.verify(signer.headers(timestamp, body), body);
  }

  @Test
  void verifyWhenSignedWithConfiguredKeyThenReturnsEventsAndSkipsProcessed() {
    List<DeliveryEvent> events = signedAndVerified(TIMESTAMP, BATCH);

    assertThat(events)
        .containsExactly(
            new DeliveryEvent(
                "sendgrid",
                "ev_delivered_1",
                Optional.of("msg_1"),
                Optional.of("14c5d75ce93.dfd.64b469"),
                DeliveryEvent.Type.DELIVERED,
                "ada@example.com",
                Instant.ofEpochSecond(1777636790),
                "delivered: 250 OK"));
  }

  @Test
  void verifyWhenKeyIsPemArmouredThenAccepted() {
    String pem =
        "-----BEGIN PUBLIC KEY-----\n" + signer.publicKey() + "\n-----END PUBLIC KEY-----\n";
    SendGridWebhookVerifier pemVerifier = verifier(pem);
    byte[] body = BATCH.getBytes(StandardCharsets.UTF_8);

    assertThat(pemVerifier.verify(signer.headers(TIMESTAMP, body), body)).hasSize(1);
  }

  @Test
  void verifyWhenSignatureHeaderMissingThenInvalidSignature() {
    byte[] body = BATCH.getBytes(StandardCharsets.UTF_8);
    Map<String, String> headers = new HashMap<>(signer.headers(TIMESTAMP, body));
    headers.remove(SendGridWebhookVerifier.SIGNATURE_HEADER);

    assertCode(() -> verifier.verify(headers, body), "invalid_signature");
  }

  @Test
  void verifyWhenTimestampHeaderMissingThenInvalidSignature() {
    byte[] body = BATCH.getBytes(StandardCharsets.UTF_8);
    Map<String, String> headers = new HashMap<>(signer.headers(TIMESTAMP, body));
    headers.remove(SendGridWebhookVerifier.TIMESTAMP_HEADER);

    assertCode(() -> verifier.verify(headers, body), "invalid_signature");
  }

  @Test
  void verifyWhenSignatureNotBase64OrNotDerThenInvalidSignature() {
    byte[] body = BATCH.getBytes(StandardCharsets.UTF_8);
    for (String bad : List.of("not base64!", "AAAA", "")) {
      Map<String, String> headers =
          Map.of(
              SendGridWebhookVerifier.SIGNATURE_HEADER,
              bad,
              SendGridWebhookVerifier.TIMESTAMP_HEADER,
              TIMESTAMP);
      assertCode(() -> verifier.verify(headers, body), "invalid_signature");
    }
  }

  @Test
  void verifyWhenTimestampNotANumberThenInvalidSignature() {
    byte[] body = BATCH.getBytes(StandardCharsets.UTF_8);

    assertCode(() -> verifier.verify(signer.headers("yesterday", body), body), "invalid_signature");
  }

  @Test
  void verifyWhenSignedWithAnotherKeyThenInvalidSignature() {
    byte[] body = BATCH.getBytes(StandardCharsets.UTF_8);

    assertCode(
        () -> verifier.verify(new SendGridTestSigner().headers(TIMESTAMP, body), body),
        "invalid_signature");
  }

  @Test
  void verifyWhenTimestampOlderThanFiveMinutesThenInvalidSignature() {
    assertThat(signedAndVerified(Long.toString(NOW.getEpochSecond() - 300), BATCH)).hasSize(1);
    assertCode(
        () -> signedAndVerified(Long.toString(NOW.getEpochSecond() - 301), BATCH),
        "invalid_signature");
  }

  @Test
  void verifyWhenTimestampMoreThanFiveMinutesAheadThenInvalidSignature() {
    assertThat(signedAndVerified(Long.toString(NOW.getEpochSecond() + 300), BATCH)).hasSize(1);
    assertCode(
        () -> signedAndVerified(Long.toString(NOW.getEpochSecond() + 301), BATCH),
        "invalid_signature");
  }

  @Test
  void verifyWhenTimestampHeaderDiffersFromSignedOneThenInvalidSignature() {
    byte[] body = BATCH.getBytes(StandardCharsets.UTF_8);
    Map<String, String> headers =
        Map.of(
            SendGridWebhookVerifier.SIGNATURE_HEADER,
            signer.sign(Long.toString(NOW.getEpochSecond() - 1), body),
            SendGridWebhookVerifier.TIMESTAMP_HEADER,
            TIMESTAMP);

    assertCode(() -> verifier.verify(headers, body), "invalid_signature");
  }

  @Test
  void verifyWhenBodyChangedByOneByteThenInvalidSignature() {
    byte[] body = BATCH.getBytes(StandardCharsets.UTF_8);
    Map<String, String> headers = signer.headers(TIMESTAMP, body);
    byte[] changed = body.clone();
    changed[10] ^= 1;

    assertCode(() -> verifier.verify(headers, changed), "invalid_signature");
  }

  @Test
  void verifyWhenSignedButNotJsonThenMalformedPayload() {
    assertCode(() -> signedAndVerified(TIMESTAMP, "[{\"event\":"), "malformed_payload");
  }

  @Test
  void verifyWhenSignedButNotAnArrayOfEventsThenMalformedPayload() {
    assertCode(
        () -> signedAndVerified(TIMESTAMP, "{\"event\":\"delivered\"}"), "malformed_payload");
    assertCode(() -> signedAndVerified(TIMESTAMP, "[\"delivered\"]"), "malformed_payload");
    assertCode(
        () ->
            signedAndVerified(
                TIMESTAMP,
                "[{\"event\":\"delivered\",\"email\":\"a@example.com\",\"timestamp\":1}]"),
        "malformed_payload");
    assertCode(
        () ->
            signedAndVerified(
                TIMESTAMP,
                "[{\"event\":\"delivered\",\"sg_event_id\":\"e\",\"email\":\"a@example.com\"}]"),
        "malformed_payload");
  }

  @ParameterizedTest
  @CsvSource({
    "delivered, '', DELIVERED",
    "deferred, '', DEFERRED",
    "bounce, bounce, HARD_BOUNCE",
    "bounce, '', HARD_BOUNCE",
    "bounce, blocked, DROPPED",
    "dropped, '', DROPPED",
    "spamreport, '', COMPLAINED",
    "unsubscribe, '', UNSUBSCRIBED",
    "group_unsubscribe, '', UNSUBSCRIBED",
    "open, '', OPENED",
    "click, '', CLICKED"
  })
  void verifyWhenEventTypeKnownThenMappedToDeliveryEventType(
      String event, String bounceType, DeliveryEvent.Type expected) {
    String type = bounceType.isEmpty() ? "" : ",\"type\":\"" + bounceType + "\"";
    List<DeliveryEvent> events =
        signedAndVerified(
            TIMESTAMP,
            "[{\"event\":\""
                + event
                + "\""
                + type
                + ",\"sg_event_id\":\"ev\",\"email\":\"a@example.com\",\"timestamp\":1777636790}]");

    assertThat(events).extracting(DeliveryEvent::type).containsExactly(expected);
  }

  @Test
  void verifyWhenEventTypeChangesNoStatusThenSkipped() {
    assertThat(
            signedAndVerified(
                TIMESTAMP,
                "[{\"event\":\"processed\"},{\"event\":\"group_resubscribe\"},"
                    + "{\"event\":\"some_future_event\"}]"))
        .isEmpty();
  }

  @Test
  void verifyWhenOurMessageIdMissingThenOnlyProviderMessageId() {
    List<DeliveryEvent> events =
        signedAndVerified(
            TIMESTAMP,
            "[{\"event\":\"bounce\",\"type\":\"bounce\","
                + "\"sg_event_id\":\"ev_b\",\"sg_message_id\":\"W86EgYT6SQKk0lRflfLRsA.filterdrecv-5645d9c87f-1\","
                + "\"email\":\"gone@example.com\",\"timestamp\":1777636790,\"reason\":\"550 5.1.1 no such user\"}]");

    assertThat(events)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.messageId()).isEmpty();
              assertThat(e.providerMessageId()).contains("W86EgYT6SQKk0lRflfLRsA");
              assertThat(e.type()).isEqualTo(DeliveryEvent.Type.HARD_BOUNCE);
              assertThat(e.detail()).isEqualTo("bounce: 550 5.1.1 no such user");
            });
  }

  @Test
  void constructorWhenKeyIsNotP256ThenRefusedWithoutQuotingIt() {
    String p384 = new SendGridTestSigner("secp384r1").publicKey();
    for (String bad : List.of(p384, "bm90IGEga2V5", "%%%")) {
      assertThatThrownBy(() -> verifier(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("P-256")
          .hasMessageNotContaining(bad);
    }
  }

  static void assertCode(ThrowingCallable call, String code) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.code()).isEqualTo(code);
            });
  }
}
