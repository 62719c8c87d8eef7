package dev.switchboard.payments.stripe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.payments.ReceivedEvent;
import dev.switchboard.platform.config.Secret;
import dev.switchboard.platform.http.ApiException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class StripeWebhookVerifierTest {

  static final Instant NOW = Instant.parse("2026-05-01T12:00:00Z");
  static final String CURRENT = "whsec_current0123456789abcdef";
  static final String OLD = "whsec_previous0123456789abcdef";
  static final String EVENT =
      "{\n  \"id\": \"evt_1QabcDEF\",\n  \"object\": \"event\",\n  \"api_version\": \"2024-06-20\","
          + "\n  \"created\": 1777636790,\n  \"type\": \"invoice.paid\",\n  \"data\": {\"object\": {\"id\": \"in_1\"}}\n}";

  final StripeWebhookVerifier verifier =
      new StripeWebhookVerifier(
          List.of(Secret.of(CURRENT), Secret.of(OLD)),
          Clock.fixed(NOW, ZoneOffset.UTC),
          JsonMapper.builder().build());

  ReceivedEvent verify(String header, String body) {
    return verifier.verify(
        header == null ? Map.of() : Map.of("stripe-signature", header),
        body.getBytes(StandardCharsets.UTF_8));
  }

  static void assertCode(ThrowingCallable call, String code) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.code()).isEqualTo(code);
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.getMessage()).doesNotContain(CURRENT).doesNotContain(OLD);
            });
  }

  @Test
  void verifyWhenSignedByStripeLibraryThenEventIdentity() {
    ReceivedEvent event = verify(StripeTestSigner.header(EVENT, CURRENT, NOW), EVENT);

    assertThat(event.provider()).isEqualTo("stripe");
    assertThat(event.id()).isEqualTo("evt_1QabcDEF");
    assertThat(event.type()).isEqualTo("invoice.paid");
    assertThat(event.created()).isEqualTo(Instant.ofEpochSecond(1777636790));
    assertThat(event.payload()).isEqualTo(EVENT);
    assertThat(event.customerId()).isEmpty();
  }

  @Test
  void verifyWhenObjectNamesACustomerThenItsIdReadWithTheEnvelope() {
    String named =
        EVENT.replace("{\"id\": \"in_1\"}", "{\"id\": \"in_1\", \"customer\": \"cus_9\"}");
    String expanded =
        EVENT.replace(
            "{\"id\": \"in_1\"}", "{\"id\": \"in_1\", \"customer\": {\"id\": \"cus_8\"}}");

    assertThat(verify(StripeTestSigner.header(named, CURRENT, NOW), named).customerId())
        .contains("cus_9");
    assertThat(verify(StripeTestSigner.header(expanded, CURRENT, NOW), expanded).customerId())
        .contains("cus_8");
  }

  @Test
  void signatureHeaderWhenSameSecretAndTimeThenWhatStripeLibrarySendsAndTheVerifierAccepts() {
    String ours =
        StripeWebhookVerifier.signatureHeader(
            Secret.of(CURRENT), NOW.getEpochSecond(), EVENT.getBytes(StandardCharsets.UTF_8));

    assertThat(ours).isEqualTo(StripeTestSigner.header(EVENT, CURRENT, NOW));
    assertThat(verify(ours, EVENT).id()).isEqualTo("evt_1QabcDEF");
    assertCode(
        () ->
            verify(
                StripeWebhookVerifier.signatureHeader(
                    Secret.of("whsec_other0123456789"),
                    NOW.getEpochSecond(),
                    EVENT.getBytes(StandardCharsets.UTF_8)),
                EVENT),
        "invalid_signature");
  }

  @Test
  void verifyWhenHeaderMissingOrBlankThenInvalidSignature() {
    assertCode(() -> verify(null, EVENT), "invalid_signature");
    assertCode(() -> verify("  ", EVENT), "invalid_signature");
  }

  @Test
  void verifyWhenHeaderMalformedThenInvalidSignature() {
    String good = StripeTestSigner.header(EVENT, CURRENT, NOW);
    String v1 = good.substring(good.indexOf("v1="));
    for (String header :
        List.of(
            "garbage",
            "t=,v1=abc",
            "t=notanumber," + v1,
            v1,
            "t=" + NOW.getEpochSecond(),
            "t=" + NOW.getEpochSecond() + ",v1=zz-not-hex",
            "t=" + NOW.getEpochSecond() + ",v0=" + v1.substring(3))) {
      assertCode(() -> verify(header, EVENT), "invalid_signature");
    }
  }

  @Test
  void verifyWhenSignedWithWrongSecretThenInvalidSignature() {
    assertCode(
        () -> verify(StripeTestSigner.header(EVENT, "whsec_someoneelse", NOW), EVENT),
        "invalid_signature");
  }

  @Test
  void verifyWhenBodyTamperedThenInvalidSignature() {
    String header = StripeTestSigner.header(EVENT, CURRENT, NOW);
    assertCode(
        () -> verify(header, EVENT.replace("invoice.paid", "invoice.payment_failed")),
        "invalid_signature");
    assertCode(() -> verify(header, EVENT + " "), "invalid_signature");
  }

  @Test
  void verifyWhenSignatureIsOverReserialisedBodyThenInvalidSignature() throws Exception {
    JsonMapper json = JsonMapper.builder().build();
    String compact = json.writeValueAsString(json.readTree(EVENT));
    assertThat(compact).isNotEqualTo(EVENT);
    // Signed over the compact form (what a framework that parsed and re-wrote the JSON would hash),
    // sent as received.
    assertCode(
        () -> verify(StripeTestSigner.header(compact, CURRENT, NOW), EVENT), "invalid_signature");
  }

  @Test
  void verifyWhenTimestampOlderThanToleranceThenInvalidSignature() {
    Instant old = NOW.minus(StripeWebhookVerifier.TOLERANCE).minusSeconds(1);
    assertCode(
        () -> verify(StripeTestSigner.header(EVENT, CURRENT, old), EVENT), "invalid_signature");
    assertCode(
        () ->
            verify(StripeTestSigner.header(EVENT, CURRENT, NOW.plus(Duration.ofMinutes(6))), EVENT),
        "invalid_signature");
  }

  @Test
  void verifyWhenTimestampJustInsideToleranceThenAccepted() {
    Instant edge = NOW.minus(StripeWebhookVerifier.TOLERANCE);
    assertThat(verify(StripeTestSigner.header(EVENT, CURRENT, edge), EVENT).id())
        .isEqualTo("evt_1QabcDEF");
  }

  @Test
  void verifyWhenSignedWithOlderRotatedSecretThenAccepted() {
    assertThat(verify(StripeTestSigner.header(EVENT, OLD, NOW), EVENT).id())
        .isEqualTo("evt_1QabcDEF");
  }

  @Test
  void verifyWhenSeveralV1AndOneMatchesThenAccepted() {
    String good = StripeTestSigner.header(EVENT, CURRENT, NOW);
    String wrong = StripeTestSigner.header(EVENT, "whsec_unknown", NOW);
    String header =
        "t="
            + NOW.getEpochSecond()
            + ", "
            + wrong.substring(wrong.indexOf("v1="))
            + ", "
            + good.substring(good.indexOf("v1="))
            + ", v0=abcdef";
    assertThat(verify(header, EVENT).type()).isEqualTo("invoice.paid");
  }

  @Test
  void verifyWhenSignedButNotAnEventThenMalformedEvent() {
    for (String body :
        List.of(
            "[]",
            "not json",
            "{\"type\":\"invoice.paid\",\"created\":1}",
            "{\"id\":\"evt_1\",\"created\":1}",
            "{\"id\":\"evt_1\",\"type\":\"x\",\"created\":\"yesterday\"}")) {
      assertCode(
          () -> verify(StripeTestSigner.header(body, CURRENT, NOW), body), "malformed_event");
    }
  }

  @Test
  void constructorWhenNoSecretThenRefused() {
    assertThatThrownBy(
            () ->
                new StripeWebhookVerifier(
                    List.of(), Clock.systemUTC(), JsonMapper.builder().build()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
