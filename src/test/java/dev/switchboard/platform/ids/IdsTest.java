package dev.switchboard.platform.ids;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class IdsTest {

  @Test
  void hexWhenCalledThenPrefixAndTwoDigitsPerByteAndNoRepeat() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      String id = Ids.hex("msg_", 12);
      assertThat(id).matches("msg_[0-9a-f]{24}");
      assertThat(seen.add(id)).isTrue();
    }
  }

  @Test
  void uuidWhenCalledThenVersion4Variant2() {
    UUID id = Ids.uuid();
    assertThat(id.version()).isEqualTo(4);
    assertThat(id.variant()).isEqualTo(2);
  }

  @Test
  void timeOrderedUuidWhenCalledThenVersion7WithTheTimeFirstAndLaterIdsSortLater()
      throws Exception {
    long before = System.currentTimeMillis();
    UUID first = Ids.timeOrderedUuid();
    long after = System.currentTimeMillis();
    assertThat(first.version()).isEqualTo(7);
    assertThat(first.variant()).isEqualTo(2);
    assertThat(first.getMostSignificantBits() >>> 16).isBetween(before, after);

    Thread.sleep(2);
    Set<UUID> seen = new HashSet<>();
    String previous = first.toString();
    for (int i = 0; i < 1000; i++) {
      UUID id = Ids.timeOrderedUuid();
      assertThat(seen.add(id)).isTrue();
      if (i == 0) {
        // A later millisecond sorts after, as text too (the form jobs store).
        assertThat(id.toString()).isGreaterThan(previous);
      }
    }
  }

  @Test
  void timeOrderedHexWhenCalledThenPrefixTimeThenRandomAndLaterIdsSortLater() throws Exception {
    long before = System.currentTimeMillis();
    String first = Ids.timeOrderedHex("file_", 6);
    Thread.sleep(2);
    String second = Ids.timeOrderedHex("file_", 6);

    assertThat(first).matches("file_[0-9a-f]{24}");
    assertThat(Long.parseLong(first.substring(5, 17), 16)).isBetween(before, before + 1_000);
    assertThat(second).isGreaterThan(first);
  }

  @Test
  void urlSafeWhen32BytesThen43CharactersOfTheUrlAlphabet() {
    assertThat(Ids.urlSafe(32)).matches("[A-Za-z0-9_-]{43}");
  }
}
