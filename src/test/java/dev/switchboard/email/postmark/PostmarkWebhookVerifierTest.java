package dev.switchboard.email.postmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.email.DeliveryEvent;
import dev.switchboard.platform.config.Secret;
import dev.switchboard.platform.http.ApiException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;

class PostmarkWebhookVerifierTest {

  static final Instant NOW = Instant.parse("2026-05-01T12:00:00Z");
  static final String CREDENTIALS = "postmark:correct-horse-battery";
  static final String DELIVERY =
      """
      {"RecordType":"Delivery","ServerID":23,"MessageStream":"outbound",\
      "MessageID":"883953f4-6105-42a2-a16a-77a8eac79483","Recipient":"ada@example.com","Tag":"welcome",\
      "DeliveredAt":"2026-05-01T11:59:54.9070259Z","Details":"smtp;250 2.0.0 OK",\
      "Metadata":{"switchboard_message_id":"msg_1"}}""";

  final PostmarkWebhookVerifier verifier =
      new PostmarkWebhookVerifier(
          Secret.of(CREDENTIALS), Clock.fixed(NOW, ZoneOffset.UTC), JsonMapper.builder().build());

  static Map<String, String> basic(String credentials) {
    return Map.of(
        "authorization",
        "Basic "
            + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
  }

  List<DeliveryEvent> verified(String json) {
    return verifier.verify(basic(CREDENTIALS), json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void verifyWhenCredentialsMatchThenDeliveryEventWithDerivedId() {
    List<DeliveryEvent> events = verified(DELIVERY);

    assertThat(events)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.provider()).isEqualTo("postmark");
              assertThat(e.eventId())
                  .isEqualTo(
                      PostmarkEvents.derivedId(
                          "Delivery",
                          "883953f4-6105-42a2-a16a-77a8eac79483",
                          "ada@example.com",
                          "2026-05-01T11:59:54.9070259Z"))
                  .startsWith("sha256:")
                  .hasSize(7 + 64);
              assertThat(e.messageId()).contains("msg_1");
              assertThat(e.providerMessageId()).contains("883953f4-6105-42a2-a16a-77a8eac79483");
              assertThat(e.type()).isEqualTo(DeliveryEvent.Type.DELIVERED);
              assertThat(e.recipient()).isEqualTo("ada@example.com");
              assertThat(e.occurredAt()).isEqualTo(Instant.parse("2026-05-01T11:59:54.9070259Z"));
            });
  }

  @Test
  void verifyWhenSameDeliveryTwiceThenSameEventIdAndOtherDeliveryDiffers() {
    String again = verified(DELIVERY).get(0).eventId();
    String otherRecipient =
        verified(DELIVERY.replace("ada@example.com", "bob@example.com")).get(0).eventId();
    String otherTime = verified(DELIVERY.replace("11:59:54", "11:59:55")).get(0).eventId();

    assertThat(verified(DELIVERY).get(0).eventId())
        .isEqualTo(again)
        .isNotIn(otherRecipient, otherTime);
  }

  @Test
  void verifyWhenBounceThenEventIdIsPostmarkIdAndOffsetTimeParsed() {
    List<DeliveryEvent> events =
        verified(
            """
        {"RecordType":"Bounce","ID":4323372036854775807,"Type":"HardBounce","TypeCode":1,"MessageID":"m-1",\
        "Email":"gone@example.com","BouncedAt":"2026-05-01T07:59:00.1234567-04:00","Description":"The address does not exist.",\
        "Inactive":true}""");

    assertThat(events)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.eventId()).isEqualTo("4323372036854775807");
              assertThat(e.type()).isEqualTo(DeliveryEvent.Type.HARD_BOUNCE);
              assertThat(e.recipient()).isEqualTo("gone@example.com");
              assertThat(e.occurredAt()).isEqualTo(Instant.parse("2026-05-01T11:59:00.1234567Z"));
              assertThat(e.messageId()).isEmpty();
              assertThat(e.providerMessageId()).contains("m-1");
              assertThat(e.detail()).isEqualTo("Bounce HardBounce: The address does not exist.");
            });
  }

  @Test
  void verifyWhenAuthorizationMissingThenInvalidSignature() {
    assertCode(
        () -> verifier.verify(Map.of(), DELIVERY.getBytes(StandardCharsets.UTF_8)),
        "invalid_signature");
  }

  @Test
  void verifyWhenCredentialsWrongOrMalformedThenInvalidSignature() {
    byte[] body = DELIVERY.getBytes(StandardCharsets.UTF_8);
    List<Map<String, String>> bad =
        List.of(
            basic("postmark:wrong-password-123"),
            basic("other:correct-horse-battery"),
            basic(CREDENTIALS + "x"),
            basic("postmark"),
            Map.of("authorization", "Basic %%%"),
            Map.of("authorization", "Bearer " + CREDENTIALS),
            Map.of("authorization", "Basic "));
    for (Map<String, String> headers : bad) {
      assertCode(() -> verifier.verify(headers, body), "invalid_signature");
    }
  }

  @Test
  void verifyWhenSchemeInOtherCaseThenAccepted() {
    String encoded =
        Base64.getEncoder().encodeToString(CREDENTIALS.getBytes(StandardCharsets.UTF_8));

    assertThat(
            verifier.verify(
                Map.of("authorization", "BASIC " + encoded),
                DELIVERY.getBytes(StandardCharsets.UTF_8)))
        .hasSize(1);
  }

  @Test
  void verifyWhenAuthorizedButNotJsonThenMalformedPayload() {
    assertCode(() -> verified("{\"RecordType\":"), "malformed_payload");
  }

  @Test
  void verifyWhenAuthorizedButFieldsMissingOrWrongThenMalformedPayload() {
    assertCode(() -> verified("[]"), "malformed_payload");
    assertCode(() -> verified("{\"MessageID\":\"m\"}"), "malformed_payload");
    assertCode(
        () -> verified("{\"RecordType\":\"Delivery\",\"MessageID\":\"m\"}"), "malformed_payload");
    assertCode(
        () ->
            verified(
                "{\"RecordType\":\"Delivery\",\"Recipient\":\"a@example.com\",\"DeliveredAt\":\"yesterday\"}"),
        "malformed_payload");
  }

  @ParameterizedTest
  @CsvSource({
    "Delivery, '', false, false, DELIVERED", "Bounce, HardBounce, false, false, HARD_BOUNCE",
    "Bounce, BadEmailAddress, false, false, HARD_BOUNCE",
        "Bounce, SoftBounce, false, false, SOFT_BOUNCE",
    "Bounce, SoftBounce, true, false, HARD_BOUNCE", "Bounce, Transient, false, false, DEFERRED",
    "Bounce, DnsError, false, false, SOFT_BOUNCE", "Bounce, SpamComplaint, true, false, COMPLAINED",
    "Bounce, Unsubscribe, false, false, UNSUBSCRIBED",
        "SpamComplaint, SpamComplaint, true, false, COMPLAINED",
    "SubscriptionChange, '', false, true, UNSUBSCRIBED", "Open, '', false, false, OPENED",
    "Click, '', false, false, CLICKED"
  })
  void typeWhenRecordKnownThenMappedToDeliveryEventType(
      String record,
      String bounce,
      boolean inactive,
      boolean suppress,
      DeliveryEvent.Type expected) {
    assertThat(PostmarkEvents.type(record, bounce, inactive, suppress)).contains(expected);
  }

  @Test
  void verifyWhenRecordChangesNoStatusThenNoEvents() {
    assertThat(
            verified(
                "{\"RecordType\":\"SubscriptionChange\",\"Recipient\":\"a@example.com\",\"SuppressSending\":false}"))
        .isEmpty();
    assertThat(
            verified(
                "{\"RecordType\":\"Bounce\",\"Type\":\"AutoResponder\",\"ID\":5,\"Email\":\"a@example.com\"}"))
        .isEmpty();
    assertThat(verified("{\"RecordType\":\"Inbound\"}")).isEmpty();
  }

  @Test
  void verifyWhenTimestampMissingThenNowFromClock() {
    assertThat(
            verified(
                "{\"RecordType\":\"Open\",\"MessageID\":\"m\",\"Recipient\":\"a@example.com\"}"))
        .singleElement()
        .satisfies(e -> assertThat(e.occurredAt()).isEqualTo(NOW));
  }

  @Test
  void verifySubscriptionChangeThenTimestampFromChangedAt() {
    assertThat(
            verified(
                "{\"RecordType\":\"SubscriptionChange\",\"MessageID\":\"m\",\"Recipient\":\"a@example.com\","
                    + "\"ChangedAt\":\"2026-04-30T10:00:00Z\",\"SuppressSending\":true,\"SuppressionReason\":\"ManualSuppression\"}"))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.type()).isEqualTo(DeliveryEvent.Type.UNSUBSCRIBED);
              assertThat(e.occurredAt()).isEqualTo(Instant.parse("2026-04-30T10:00:00Z"));
              assertThat(e.messageId()).isEqualTo(Optional.empty());
            });
  }

  static void assertCode(ThrowingCallable call, String code) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.code()).isEqualTo(code);
              assertThat(e.getMessage()).doesNotContain("correct-horse-battery");
            });
  }
}
