package dev.switchboard.email.resend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.email.DeliveryEvent;
import dev.switchboard.platform.config.Secret;
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

class ResendWebhookVerifierTest {

  static final Instant NOW = Instant.parse("2026-05-01T12:00:00Z");
  static final String TIMESTAMP = Long.toString(NOW.getEpochSecond());
  static final String ID = "msg_2Ktx2hPZ9ykQ1mYx0rEaH5FqNQp";
  static final String DELIVERED =
      """
      {"type":"email.delivered","created_at":"2026-05-01T11:59:58.123Z","data":{"email_id":"4ef9a417-02e9-4d39-ad75",\
      "from":"App <no-reply@example.com>","to":["ada@example.com"],"subject":"Welcome",\
      "tags":{"switchboard_message_id":"msg_1","template":"welcome"}}}""";

  final ResendTestSigner current = new ResendTestSigner("current");
  final ResendTestSigner previous = new ResendTestSigner("previous");
  final ResendWebhookVerifier verifier = verifier(List.of(current, previous));

  static ResendWebhookVerifier verifier(List<ResendTestSigner> signers) {
    return new ResendWebhookVerifier(
        signers.stream().map(s -> Secret.of(s.secret())).toList(),
        Clock.fixed(NOW, ZoneOffset.UTC),
        JsonMapper.builder().build());
  }

  List<DeliveryEvent> signedAndVerified(String timestamp, String json) {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    return verifier.verify(current.headers(ID, timestamp, body), body);
  }

  @Test
  void verifyWhenSignedWithConfiguredSecretThenEventWithSvixIdAsEventId() {
    assertThat(signedAndVerified(TIMESTAMP, DELIVERED))
        .containsExactly(
            new DeliveryEvent(
                "resend",
                ID,
                Optional.of("msg_1"),
                Optional.of("4ef9a417-02e9-4d39-ad75"),
                DeliveryEvent.Type.DELIVERED,
                "ada@example.com",
                Instant.parse("2026-05-01T11:59:58.123Z"),
                "email.delivered"));
  }

  @Test
  void verifyWhenHeaderMissingThenInvalidSignature() {
    byte[] body = DELIVERED.getBytes(StandardCharsets.UTF_8);
    for (String header : List.of("svix-id", "svix-timestamp", "svix-signature")) {
      Map<String, String> headers = new HashMap<>(current.headers(ID, TIMESTAMP, body));
      headers.remove(header);
      assertCode(() -> verifier.verify(headers, body), "invalid_signature");
    }
  }

  @Test
  void verifyWhenSignatureMalformedThenInvalidSignature() {
    byte[] body = DELIVERED.getBytes(StandardCharsets.UTF_8);
    String good = current.signature(ID, TIMESTAMP, body);
    for (String bad :
        List.of(
            "",
            "v1,",
            "v1,%%%",
            good.substring(3),
            "v2," + good.substring(3),
            "v1a," + good.substring(3))) {
      Map<String, String> headers =
          Map.of("svix-id", ID, "svix-timestamp", TIMESTAMP, "svix-signature", bad);
      assertCode(() -> verifier.verify(headers, body), "invalid_signature");
    }
  }

  @Test
  void verifyWhenSignedWithUnknownSecretThenInvalidSignature() {
    byte[] body = DELIVERED.getBytes(StandardCharsets.UTF_8);

    assertCode(
        () -> verifier.verify(new ResendTestSigner("stranger").headers(ID, TIMESTAMP, body), body),
        "invalid_signature");
  }

  @Test
  void verifyWhenSvixIdDiffersFromSignedOneThenInvalidSignature() {
    byte[] body = DELIVERED.getBytes(StandardCharsets.UTF_8);
    Map<String, String> headers = new HashMap<>(current.headers(ID, TIMESTAMP, body));
    headers.put("svix-id", "msg_other");

    assertCode(() -> verifier.verify(headers, body), "invalid_signature");
  }

  @Test
  void verifyWhenTimestampOlderThanFiveMinutesThenInvalidSignature() {
    assertThat(signedAndVerified(Long.toString(NOW.getEpochSecond() - 300), DELIVERED)).hasSize(1);
    assertCode(
        () -> signedAndVerified(Long.toString(NOW.getEpochSecond() - 301), DELIVERED),
        "invalid_signature");
  }

  @Test
  void verifyWhenTimestampMoreThanFiveMinutesAheadThenInvalidSignature() {
    assertThat(signedAndVerified(Long.toString(NOW.getEpochSecond() + 300), DELIVERED)).hasSize(1);
    assertCode(
        () -> signedAndVerified(Long.toString(NOW.getEpochSecond() + 301), DELIVERED),
        "invalid_signature");
    assertCode(() -> signedAndVerified("soon", DELIVERED), "invalid_signature");
  }

  @Test
  void verifyWhenSeveralSignaturesAndOneMatchesAnySecretThenAccepted() {
    byte[] body = DELIVERED.getBytes(StandardCharsets.UTF_8);
    String stranger = new ResendTestSigner("stranger").signature(ID, TIMESTAMP, body);
    String header = "v1a,ignored " + stranger + " " + previous.signature(ID, TIMESTAMP, body);
    Map<String, String> headers =
        Map.of("svix-id", ID, "svix-timestamp", TIMESTAMP, "svix-signature", header);

    assertThat(verifier.verify(headers, body)).hasSize(1);
    assertThat(verifier(List.of(previous)).verify(headers, body)).hasSize(1);
    assertCode(() -> verifier(List.of(current)).verify(headers, body), "invalid_signature");
  }

  @Test
  void verifyWhenBodyChangedByOneByteThenInvalidSignature() {
    byte[] body = DELIVERED.getBytes(StandardCharsets.UTF_8);
    Map<String, String> headers = current.headers(ID, TIMESTAMP, body);
    byte[] changed = body.clone();
    changed[changed.length - 3] ^= 1;

    assertCode(() -> verifier.verify(headers, changed), "invalid_signature");
  }

  @Test
  void verifyWhenSignedButMalformedThenMalformedPayload() {
    assertCode(() -> signedAndVerified(TIMESTAMP, "{\"type\":"), "malformed_payload");
    assertCode(() -> signedAndVerified(TIMESTAMP, "[]"), "malformed_payload");
    assertCode(() -> signedAndVerified(TIMESTAMP, "{\"data\":{}}"), "malformed_payload");
    assertCode(
        () -> signedAndVerified(TIMESTAMP, "{\"type\":\"email.delivered\"}"), "malformed_payload");
    assertCode(
        () ->
            signedAndVerified(
                TIMESTAMP, "{\"type\":\"email.delivered\",\"data\":{\"to\":[\"a@example.com\"]}}"),
        "malformed_payload");
    assertCode(
        () ->
            signedAndVerified(
                TIMESTAMP,
                "{\"type\":\"email.delivered\",\"data\":{\"email_id\":\"e\",\"to\":[]}}"),
        "malformed_payload");
  }

  @ParameterizedTest
  @CsvSource({
    "email.delivered, '', DELIVERED",
    "email.delivery_delayed, '', DEFERRED",
    "email.bounced, Permanent, HARD_BOUNCE",
    "email.bounced, '', HARD_BOUNCE",
    "email.bounced, Transient, SOFT_BOUNCE",
    "email.complained, '', COMPLAINED",
    "email.opened, '', OPENED",
    "email.clicked, '', CLICKED",
    "email.suppressed, '', DROPPED"
  })
  void verifyWhenEventTypeKnownThenMappedToDeliveryEventType(
      String type, String bounce, DeliveryEvent.Type expected) {
    String bounceField =
        bounce.isEmpty() ? "" : ",\"bounce\":{\"type\":\"" + bounce + "\",\"message\":\"no\"}";
    List<DeliveryEvent> events =
        signedAndVerified(
            TIMESTAMP,
            "{\"type\":\""
                + type
                + "\",\"created_at\":\"2026-05-01T11:00:00Z\","
                + "\"data\":{\"email_id\":\"e\",\"to\":[\"a@example.com\"]"
                + bounceField
                + "}}");

    assertThat(events).extracting(DeliveryEvent::type).containsExactly(expected);
  }

  @Test
  void verifyWhenEventChangesNoStatusThenNoEvents() {
    assertThat(
            signedAndVerified(
                TIMESTAMP,
                "{\"type\":\"email.sent\",\"data\":{\"email_id\":\"e\",\"to\":[\"a@example.com\"]}}"))
        .isEmpty();
    assertThat(
            signedAndVerified(TIMESTAMP, "{\"type\":\"domain.updated\",\"data\":{\"id\":\"d\"}}"))
        .isEmpty();
  }

  @Test
  void verifyWhenTagsAreAListOrMissingThenOurIdFromListOrEmpty() {
    String listTags =
        "{\"type\":\"email.opened\",\"data\":{\"email_id\":\"e\",\"to\":\"a@example.com\","
            + "\"tags\":[{\"name\":\"template\",\"value\":\"welcome\"},{\"name\":\"switchboard_message_id\",\"value\":\"msg_9\"}]}}";
    String noTags =
        "{\"type\":\"email.opened\",\"created_at\":\"not a date\",\"data\":{\"email_id\":\"e\",\"to\":[\"a@example.com\"]}}";

    assertThat(signedAndVerified(TIMESTAMP, listTags))
        .singleElement()
        .satisfies(e -> assertThat(e.messageId()).contains("msg_9"));
    assertThat(signedAndVerified(TIMESTAMP, noTags))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.messageId()).isEmpty();
              assertThat(e.providerMessageId()).contains("e");
              assertThat(e.occurredAt()).isEqualTo(NOW);
            });
  }

  @Test
  void constructorWhenSecretUnusableThenRefusedWithoutQuotingIt() {
    for (List<Secret> bad :
        List.of(
            List.<Secret>of(),
            List.of(Secret.of("whsec_%%%notbase64")),
            List.of(Secret.of("whsec_")),
            List.of(Secret.of("sk_live_abcdefgh")))) {
      assertThatThrownBy(
              () -> new ResendWebhookVerifier(bad, Clock.systemUTC(), JsonMapper.builder().build()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageNotContaining("notbase64")
          .hasMessageNotContaining("abcdefgh");
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
