package dev.switchboard.platform.apikeys;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiKeyGeneratorTest {

  private final ApiKeyGenerator generator = new ApiKeyGenerator(new SecureRandom());

  @Test
  void newSecretWhenGeneratedThenSkPrefixAnd43Base62Characters() {
    String secret = generator.newSecret();
    assertThat(secret).matches("^sk_[0-9A-Za-z]{43}$");
    assertThat(ApiKeyGenerator.wellFormed(secret)).isTrue();
  }

  @Test
  void newSecretWhenGeneratedManyTimesThenAllDifferent() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      seen.add(generator.newSecret());
    }
    assertThat(seen).hasSize(1000);
  }

  @Test
  void newSecretWhenRandomIsFixedThenEncodesThe32BytesItDrew() {
    ApiKeyGenerator fixed = new ApiKeyGenerator(new FixedRandom((byte) 0));
    assertThat(fixed.newSecret()).isEqualTo("sk_" + "0".repeat(43));
    ApiKeyGenerator ones = new ApiKeyGenerator(new FixedRandom((byte) 0xff));
    // 2^256 - 1 in base62, the largest value 32 bytes can hold: still 43 characters.
    assertThat(ones.newSecret())
        .isEqualTo("sk_" + ApiKeyGenerator.base62(filled(32, (byte) 0xff), 43))
        .hasSize(46);
  }

  @Test
  void base62WhenKnownValuesThenDigitsMostSignificantFirst() {
    assertThat(ApiKeyGenerator.base62(new byte[] {0x01, 0x00}, 1))
        .isEqualTo("48"); // 256 = 4*62 + 8
    assertThat(ApiKeyGenerator.base62(new byte[] {61}, 3)).isEqualTo("00z");
    assertThat(ApiKeyGenerator.base62(new byte[] {62}, 1)).isEqualTo("10");
  }

  @Test
  void newIdWhenGeneratedThenKeyPrefixAnd22Base62Characters() {
    assertThat(generator.newId()).matches("^key_[0-9A-Za-z]{22}$");
    assertThat(generator.newId()).isNotEqualTo(generator.newId());
  }

  @Test
  void displayPrefixWhenSecretThenSkAndFourCharacters() {
    assertThat(ApiKeyGenerator.displayPrefix("sk_AbCdEfGh")).isEqualTo("sk_AbCd");
  }

  @Test
  void wellFormedWhenWrongLengthOrCharactersThenFalse() {
    String good = generator.newSecret();
    assertThat(ApiKeyGenerator.wellFormed(good.substring(0, 45))).isFalse();
    assertThat(ApiKeyGenerator.wellFormed(good + "x")).isFalse();
    assertThat(ApiKeyGenerator.wellFormed("sk_" + "-".repeat(43))).isFalse();
    assertThat(ApiKeyGenerator.wellFormed("pk_" + good.substring(3))).isFalse();
    assertThat(ApiKeyGenerator.wellFormed(null)).isFalse();
  }

  private static byte[] filled(int n, byte value) {
    byte[] bytes = new byte[n];
    Arrays.fill(bytes, value);
    return bytes;
  }

  /** Draws the same byte every time, so the encoding can be checked exactly. */
  private static final class FixedRandom extends SecureRandom {
    private final byte value;

    FixedRandom(byte value) {
      this.value = value;
    }

    @Override
    public void nextBytes(byte[] bytes) {
      Arrays.fill(bytes, value);
    }
  }
}
