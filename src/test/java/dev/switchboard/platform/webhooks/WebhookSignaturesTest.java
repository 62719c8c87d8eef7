package dev.switchboard.platform.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.platform.config.Secret;
import dev.switchboard.platform.crypto.Digests;
import dev.switchboard.platform.http.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookSignaturesTest {

  static final long NOW = 1_700_000_000L;
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
  void hmacKeysWhenNoSecretThenRefusedAndOtherwiseOneKeyPerSecretInOrder() {
    assertThatThrownBy(() -> WebhookSignatures.hmacKeys(List.of(), s -> new byte[1]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("at least one webhook signing secret is required");
    List<byte[]> keys =
        WebhookSignatures.hmacKeys(
            List.of(Secret.of("one"), Secret.of("two")),
            s -> s.reveal().getBytes(StandardCharsets.UTF_8));
    assertThat(keys)
        .containsExactly(
            "one".getBytes(StandardCharsets.UTF_8), "two".getBytes(StandardCharsets.UTF_8));
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
