package dev.switchboard.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.platform.config.Secret;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriteKeysTest {

  @TempDir Path dataDir;

  @Test
  void loadWhenDevelopmentWithoutKeyThenGeneratedOnceOwnerOnlyAndReused() throws Exception {
    WriteKeys first = WriteKeys.load(List.of(), true, dataDir);
    Path file = dataDir.resolve(WriteKeys.DEV_FILE);
    String key = Files.readString(file).strip();

    WriteKeys second = WriteKeys.load(List.of(), true, dataDir);

    assertThat(key).startsWith("wk_dev_").hasSize(39);
    assertThat(Files.getPosixFilePermissions(file))
        .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
    assertThat(first.generated()).isTrue();
    assertThat(second.shown().map(Secret::reveal)).contains(key);
    assertThat(second.source(key)).contains(WriteKeys.fingerprint(key));
  }

  @Test
  void loadWhenProductionWithoutKeyThenNothingAcceptedAndNoFile() {
    WriteKeys keys = WriteKeys.load(List.of(), false, dataDir);

    assertThat(keys.any()).isFalse();
    assertThat(keys.source("anything")).isEmpty();
    assertThat(dataDir.resolve(WriteKeys.DEV_FILE)).doesNotExist();
  }

  @Test
  void sourceWhenKeysRotatedThenBothAcceptedUnknownAndBlankRefused() {
    WriteKeys keys =
        WriteKeys.load(List.of(Secret.of("wk_old"), Secret.of("wk_new")), true, dataDir);

    assertThat(keys.source("wk_old")).contains(WriteKeys.fingerprint("wk_old"));
    assertThat(keys.source("wk_new")).isPresent();
    assertThat(keys.source("wk_other")).isEmpty();
    assertThat(keys.source("")).isEmpty();
    assertThat(keys.source(null)).isEmpty();
    assertThat(WriteKeys.fingerprint("wk_old")).hasSize(32).doesNotContain("wk_old");
    assertThat(dataDir.resolve(WriteKeys.DEV_FILE)).doesNotExist();
  }
}
