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
  void urlSafeWhen32BytesThen43CharactersOfTheUrlAlphabet() {
    assertThat(Ids.urlSafe(32)).matches("[A-Za-z0-9_-]{43}");
  }
}
