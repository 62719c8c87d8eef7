package dev.switchboard.payments.dev;

import dev.switchboard.platform.config.Secret;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The dev checkout's webhook signing secret when {@code STRIPE_WEBHOOK_SECRET} is not set:
 * generated once and kept in {@code SWITCHBOARD_DATA_DIR/dev-stripe-webhook-secret} (owner-only,
 * like the other key files), so events signed before a restart still verify after it.
 */
public final class DevWebhookSecret {

  static final String FILE = "dev-stripe-webhook-secret";

  private DevWebhookSecret() {}

  public static Secret loadOrCreate(Path dataDir) {
    Path file = dataDir.resolve(FILE);
    try {
      if (Files.exists(file)) {
        String value = Files.readString(file, StandardCharsets.UTF_8).trim();
        if (value.startsWith("whsec_")) {
          ownerOnly(file); // files written before this was owner-only were 0644
          return Secret.of(value);
        }
      }
      byte[] random = new byte[24];
      new SecureRandom().nextBytes(random);
      String value = "whsec_dev" + HexFormat.of().formatHex(random);
      Files.createDirectories(dataDir);
      Files.deleteIfExists(file);
      createOwnerOnly(file);
      Files.writeString(file, value + "\n", StandardCharsets.UTF_8);
      return Secret.of(value);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep the dev webhook secret in " + file, e);
    }
  }

  private static void createOwnerOnly(Path file) throws IOException {
    try {
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(file);
    }
  }

  private static void ownerOnly(Path file) throws IOException {
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // Not a POSIX filesystem: nothing to tighten.
    }
  }
}
