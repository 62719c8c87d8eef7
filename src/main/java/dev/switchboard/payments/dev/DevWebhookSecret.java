package dev.switchboard.payments.dev;

import dev.switchboard.platform.config.Secret;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The dev checkout's webhook signing secret when {@code STRIPE_WEBHOOK_SECRET} is not set: generated once and kept in
 * {@code SWITCHBOARD_DATA_DIR/dev-stripe-webhook-secret}, so events signed before a restart still verify after it.
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
          return Secret.of(value);
        }
      }
      byte[] random = new byte[24];
      new SecureRandom().nextBytes(random);
      String value = "whsec_dev" + HexFormat.of().formatHex(random);
      Files.createDirectories(dataDir);
      Files.writeString(file, value + "\n", StandardCharsets.UTF_8);
      return Secret.of(value);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep the dev webhook secret in " + file, e);
    }
  }
}
