package dev.switchboard.platform.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.platform.crypto.Digests;
import dev.switchboard.platform.http.ApiException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookSignaturesTest {

  static final long NOW = 1_700_000_000L;
  static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC);
  static final Duration TOLERANCE = Duration.ofMinutes(5);
  static final byte[] BODY = "{\"id\":\"evt_1\"}".getBytes(StandardCharsets.UTF_8);

  @Test
  void secondsWhenNotAWholeNumberThenInvalidSignatureWithTheGivenMessage() {
    assertThat(WebhookSignatures.seconds(" 1700000000 ", "not a number")).isEqualTo(NOW);
    assertThatThrownBy(() -> WebhookSignatures.seconds("12.5", "not a number"))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.code()).isEqualTo("invalid_signature");
              assertThat(e.getMessage()).isEqualTo("not a number");
            });
  }

  @Test
  void requireFreshWhenAtTheEdgeOfTheWindowThenAcceptedAndOneSecondPastRefusedEitherWay() {
    long edge = TOLERANCE.toSeconds();
    assertThatNoException()
        .isThrownBy(() -> WebhookSignatures.requireFresh(NOW - edge, CLOCK, TOLERANCE, "old"));
    assertThatNoException()
        .isThrownBy(() -> WebhookSignatures.requireFresh(NOW + edge, CLOCK, TOLERANCE, "old"));
    for (long seconds :
        new long[] {NOW - edge - 1, NOW + edge + 1, Long.MIN_VALUE, Long.MAX_VALUE}) {
      assertThatThrownBy(() -> WebhookSignatures.requireFresh(seconds, CLOCK, TOLERANCE, "old"))
          .isInstanceOfSatisfying(
              ApiException.class, e -> assertThat(e.code()).isEqualTo("invalid_signature"))
          .hasMessage("old");
    }
  }

  @Test
  void anyHmacSha256MatchesWhenOneOfSeveralSecretsSignedThenTrueAndOtherwiseFalse() {
    byte[] oldKey = "whsec_old".getBytes(StandardCharsets.UTF_8);
    byte[] newKey = "whsec_new".getBytes(StandardCharsets.UTF_8);
    byte[] signed =
        Digests.hmacSha256(newKey, "1700000000.".getBytes(StandardCharsets.UTF_8), BODY);

    assertThat(
            WebhookSignatures.anyHmacSha256Matches(
                List.of(oldKey, newKey), "1700000000.", BODY, List.of(new byte[32], signed)))
        .isTrue();
    assertThat(
            WebhookSignatures.anyHmacSha256Matches(
                List.of(oldKey), "1700000000.", BODY, List.of(signed)))
        .isFalse();
    assertThat(
            WebhookSignatures.anyHmacSha256Matches(
                List.of(newKey), "1700000001.", BODY, List.of(signed)))
        .isFalse();
    assertThat(
            WebhookSignatures.anyHmacSha256Matches(List.of(newKey), "1700000000.", BODY, List.of()))
        .isFalse();
  }
}
