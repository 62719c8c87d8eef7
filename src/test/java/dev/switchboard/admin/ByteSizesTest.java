package dev.switchboard.admin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ByteSizesTest {

  @Test
  void humanWhenBytesKibibytesAndMebibytesThenOneDecimalWithUnit() {
    assertThat(ByteSizes.human(0)).isEqualTo("0 B");
    assertThat(ByteSizes.human(1023)).isEqualTo("1023 B");
    assertThat(ByteSizes.human(48213)).isEqualTo("47.1 KiB");
    assertThat(ByteSizes.human(3L * 1024 * 1024)).isEqualTo("3.0 MiB");
    assertThat(ByteSizes.human(5L * 1024 * 1024 * 1024 * 1024 * 1024)).isEqualTo("5120.0 TiB");
  }
}
