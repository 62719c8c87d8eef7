package dev.switchboard.analytics;

import dev.switchboard.platform.config.Secret;
import dev.switchboard.platform.config.SecretFiles;
import dev.switchboard.platform.crypto.Digests;
import dev.switchboard.platform.ids.Ids;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write keys ingest accepts ({@code ANALYTICS_KEY}, several during a rotation), and the
 * fingerprint events are stored under instead of the key. In development without {@code
 * ANALYTICS_KEY}, a key is generated once into {@code <data dir>/analytics-write-key} (owner-only)
 * and reused on later starts; only its first characters are logged.
 */
public final class WriteKeys {

  public static final String DEV_FILE = "analytics-write-key";
  private static final Logger log = LoggerFactory.getLogger(WriteKeys.class);

  /** Each accepted key to its fingerprint, so a request costs a lookup, not a SHA-256. */
  private final Map<String, String> fingerprints;

  private final Optional<Secret> shown;
  private final boolean generated;

  WriteKeys(List<Secret> keys, boolean generated) {
    this.fingerprints =
        keys.stream()
            .map(Secret::reveal)
            .distinct()
            .collect(Collectors.toUnmodifiableMap(k -> k, WriteKeys::fingerprint));
    this.shown = keys.stream().findFirst();
    this.generated = generated;
  }

  /** The configured keys; in development without any, the generated one from the data dir. */
  public static WriteKeys load(List<Secret> configured, boolean development, Path dataDir) {
    if (!configured.isEmpty()) {
      return new WriteKeys(configured, false);
    }
    if (!development) {
      log.info("No ANALYTICS_KEY set: analytics ingest (/v1/*) answers 401 to every request");
      return new WriteKeys(List.of(), false);
    }
    Path file = dataDir.resolve(DEV_FILE).toAbsolutePath();
    try {
      String key;
      if (Files.exists(file)) {
        key = Files.readString(file, StandardCharsets.UTF_8).strip();
      } else {
        key = Ids.hex("wk_dev_", 16);
        Files.createDirectories(file.getParent());
        SecretFiles.createOwnerOnly(file);
        Files.writeString(file, key + "\n", StandardCharsets.UTF_8);
        log.info(
            "Generated the development analytics write key {}… in {} (shown on /admin/analytics)",
            key.substring(0, 10),
            file);
      }
      return new WriteKeys(List.of(Secret.of(key)), true);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot read or write the development analytics write key " + file, e);
    }
  }

  /** The source id of an accepted key, empty for an unknown one. */
  public Optional<String> source(String presentedKey) {
    if (presentedKey == null || presentedKey.isEmpty() || presentedKey.length() > 200) {
      return Optional.empty();
    }
    return Optional.ofNullable(fingerprints.get(presentedKey));
  }

  /** The key the dashboard shows in its snippet (the first configured, or the generated one). */
  public Optional<Secret> shown() {
    return shown;
  }

  public boolean generated() {
    return generated;
  }

  public boolean any() {
    return !fingerprints.isEmpty();
  }

  /**
   * The first 16 bytes of SHA-256 of the key, in hex (32 characters): stable, and useless to send
   * events with.
   */
  public static String fingerprint(String writeKey) {
    return Digests.sha256Hex(writeKey).substring(0, 32);
  }
}
