package dev.switchboard.platform.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** Known answers: FIPS 180-2 for SHA-256, RFC 4231 test case 2 for HMAC-SHA256. */
class DigestsTest {

  @Test
  void sha256HexWhenAbcThenFipsAnswer() {
    assertThat(Digests.sha256Hex("abc"))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  @Test
  void sha256WhenPartsThenSameAsWhole() {
    assertThat(
            Digests.sha256(
                "a".getBytes(StandardCharsets.UTF_8), "bc".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(Digests.sha256("abc".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void hmacSha256HexWhenRfc4231Case2ThenKnownAnswer() {
    assertThat(Digests.hmacSha256Hex("Jefe", "what do ya want for nothing?"))
        .isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  }

  @Test
  void hmacSha256WhenKeysAlternateOrTheCallersKeyArrayChangesThenEachUnderItsOwnKey()
      throws Exception {
    byte[] key = new byte[20];
    Arrays.fill(key, (byte) 0x0b);
    byte[] hiThere = "Hi There".getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < 3; i++) {
      // RFC 4231 test cases 1 and 2, one after the other on the same thread.
      assertThat(Digests.hex(Digests.hmacSha256(key, hiThere)))
          .isEqualTo("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
      assertThat(Digests.hmacSha256Hex("Jefe", "what do ya want for nothing?"))
          .isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }
    Digests.hmacSha256(key, hiThere);
    Arrays.fill(key, (byte) 0xaa);
    Mac fresh = Mac.getInstance("HmacSHA256");
    fresh.init(new SecretKeySpec(key, "HmacSHA256"));
    assertThat(Digests.hmacSha256(key, hiThere)).isEqualTo(fresh.doFinal(hiThere));
  }

  @Test
  void equalWhenOneByteDiffersThenFalse() {
    assertThat(Digests.equal(new byte[] {1, 2}, new byte[] {1, 2})).isTrue();
    assertThat(Digests.equal(new byte[] {1, 2}, new byte[] {1, 3})).isFalse();
  }
}
