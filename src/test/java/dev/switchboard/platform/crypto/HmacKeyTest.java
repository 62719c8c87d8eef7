package dev.switchboard.platform.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** RFC 4231 test cases 1 and 2 for the answers; how often each key is set up for the cost. */
class HmacKeyTest {

  private static final byte[] HI_THERE = "Hi There".getBytes(StandardCharsets.UTF_8);
  private static final byte[] WHAT =
      "what do ya want for nothing?".getBytes(StandardCharsets.UTF_8);

  @Test
  void signWhenTwoKeysAlternateOnAThreadThenKnownAnswersAndEachKeySetUpOnce() {
    byte[] bytes = new byte[20];
    Arrays.fill(bytes, (byte) 0x0b);
    HmacKey one = new HmacKey(bytes);
    HmacKey jefe = new HmacKey("Jefe".getBytes(StandardCharsets.UTF_8));
    Arrays.fill(bytes, (byte) 0); // the key was copied: the caller's array may change
    for (int i = 0; i < 50; i++) {
      assertThat(Digests.hex(one.sign(HI_THERE)))
          .isEqualTo("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
      assertThat(
              Digests.hex(
                  jefe.sign(
                      "what do ya ".getBytes(StandardCharsets.UTF_8),
                      "want for nothing?".getBytes(StandardCharsets.UTF_8))))
          .isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }
    assertThat(one.setUps()).isEqualTo(1);
    assertThat(jefe.setUps()).isEqualTo(1);
  }

  @Test
  void signWhenAnotherThreadUsesTheKeyThenItSetsUpAMacOfItsOwn() throws Exception {
    HmacKey jefe = new HmacKey("Jefe".getBytes(StandardCharsets.UTF_8));
    byte[] here = jefe.sign(WHAT);
    byte[][] there = new byte[1][];
    Thread other = new Thread(() -> there[0] = jefe.sign(WHAT));
    other.start();
    other.join();
    assertThat(there[0]).isEqualTo(here);
    assertThat(jefe.sign(WHAT)).isEqualTo(here);
    assertThat(jefe.setUps()).isEqualTo(2);
  }
}
