package dev.switchboard.platform.apikeys;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ApiKeyHashTest {

  @Test
  void ofWhenKnownInputThenSha256Hex() {
    // FIPS 180-2 test vector.
    assertThat(ApiKeyHash.of("abc"))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  @Test
  void ofWhenKeyThenNeitherContainsNorRevealsIt() {
    String key = "sk_" + "A".repeat(43);
    assertThat(ApiKeyHash.of(key)).hasSize(64).matches("^[0-9a-f]{64}$").doesNotContain("AAAA");
    assertThat(ApiKeyHash.of(key)).isNotEqualTo(ApiKeyHash.of(key.substring(0, 45) + "B"));
  }

  @Test
  void matchesWhenEqualThenTrueOtherwiseFalse() {
    String hash = ApiKeyHash.of("sk_x");
    assertThat(ApiKeyHash.matches(hash, ApiKeyHash.of("sk_x"))).isTrue();
    assertThat(ApiKeyHash.matches(hash, ApiKeyHash.of("sk_y"))).isFalse();
    assertThat(ApiKeyHash.matches(hash, null)).isFalse();
  }
}
