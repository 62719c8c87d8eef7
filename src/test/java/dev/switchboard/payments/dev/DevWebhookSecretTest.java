package dev.switchboard.payments.dev;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevWebhookSecretTest {

  @TempDir Path dataDir;

  @Test
  void loadOrCreateWhenNoFileThenFileIsOwnerOnly() throws Exception {
    DevWebhookSecret.loadOrCreate(dataDir);
    Path file = dataDir.resolve(DevWebhookSecret.FILE);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
  }

  @Test
  void loadOrCreateWhenFileWasWorldReadableThenSameSecretAndOwnerOnly() throws Exception {
    Path file = dataDir.resolve(DevWebhookSecret.FILE);
    Files.writeString(file, "whsec_devkept\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    assertThat(DevWebhookSecret.loadOrCreate(dataDir).reveal()).isEqualTo("whsec_devkept");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
  }
}
