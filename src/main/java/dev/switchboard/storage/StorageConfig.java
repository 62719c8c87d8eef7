package dev.switchboard.storage;

import dev.switchboard.platform.config.ConfigArea;
import dev.switchboard.platform.config.ConfigReader;
import dev.switchboard.platform.config.CoreConfig;
import dev.switchboard.platform.config.IntegrationStatus;
import dev.switchboard.platform.config.Rate;
import dev.switchboard.platform.config.Secret;
import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * File storage: {@code local} (files under the data dir), {@code s3}, or {@code r2} (S3 API at
 * {@code S3_ENDPOINT}).
 *
 * @param policy allowed content types (exact or {@code type/*}) to their maximum size in bytes
 */
public record StorageConfig(
    String provider,
    Optional<String> bucket,
    Optional<String> region,
    Optional<URI> endpoint,
    Optional<String> accessKeyId,
    Optional<Secret> secretAccessKey,
    Map<String, Long> policy,
    Rate rateLimit) {

  public static final List<String> PROVIDERS = List.of("s3", "r2", "local");
  static final String DEFAULT_POLICY = "image/*:5MB,application/pdf:10MB";

  public static StorageConfig load(ConfigReader r) {
    String inferred = r.isSet("S3_BUCKET") ? (r.isSet("S3_ENDPOINT") ? "r2" : "s3") : "local";
    String provider = r.oneOf("STORAGE_PROVIDER", PROVIDERS, inferred, "provider");
    Optional<String> bucket = r.string("S3_BUCKET");
    Optional<String> region = r.string("S3_REGION");
    Optional<URI> endpoint = r.url("S3_ENDPOINT", List.of("http", "https"));
    r.companions("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY");
    Optional<String> accessKey = r.string("AWS_ACCESS_KEY_ID");
    Optional<Secret> secretKey = r.secret("AWS_SECRET_ACCESS_KEY");
    if (!provider.equals("local")) {
      require(r, bucket, "S3_BUCKET", provider);
      require(r, accessKey, "AWS_ACCESS_KEY_ID", provider);
      require(r, secretKey, "AWS_SECRET_ACCESS_KEY", provider);
      if (provider.equals("s3")) {
        require(r, region, "S3_REGION", provider);
      } else {
        require(r, endpoint, "S3_ENDPOINT", provider);
      }
    }
    bucket.ifPresent(
        b -> {
          if (!b.matches("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")) {
            r.problem(
                "S3_BUCKET",
                "'"
                    + b
                    + "' is not a valid bucket name (3-63 lowercase letters, digits, dots, hyphens)");
          }
        });
    return new StorageConfig(
        provider,
        bucket,
        region,
        endpoint,
        accessKey,
        secretKey,
        policy(r, r.string("STORAGE_POLICY", DEFAULT_POLICY)),
        r.rate("STORAGE_RATE_LIMIT", "100/s"));
  }

  private static void require(ConfigReader r, Optional<?> value, String name, String provider) {
    if (value.isEmpty() && !r.isSet(name)) {
      r.problem(name, "required when STORAGE_PROVIDER=" + provider);
    }
  }

  /**
   * Parses {@code image/*:5MB,application/pdf:10MB}. Sizes take B, KB, MB or GB (powers of 1024).
   */
  static Map<String, Long> policy(ConfigReader r, String text) {
    Map<String, Long> policy = new LinkedHashMap<>();
    for (String entry : text.split(",")) {
      String e = entry.trim().toLowerCase(Locale.ROOT);
      Matcher m =
          Pattern.compile(
                  "^([a-z0-9][a-z0-9.+-]*/(?:\\*|[a-z0-9][a-z0-9.+-]*)):(\\d{1,7})\\s*(b|kb|mb|gb)$")
              .matcher(e);
      if (!m.matches()) {
        r.problem(
            "STORAGE_POLICY",
            "'"
                + entry.trim()
                + "' is not type/subtype:SIZE (e.g. image/*:5MB,application/pdf:10MB)");
        continue;
      }
      long unit =
          switch (m.group(3)) {
            case "b" -> 1L;
            case "kb" -> 1024L;
            case "mb" -> 1024L * 1024;
            default -> 1024L * 1024 * 1024;
          };
      policy.put(m.group(1), Long.parseLong(m.group(2)) * unit);
    }
    return Collections.unmodifiableMap(policy);
  }

  /** Registers the storage area with the platform's configuration reader. */
  public static final class Area implements ConfigArea<StorageConfig> {

    @Override
    public Class<StorageConfig> type() {
      return StorageConfig.class;
    }

    @Override
    public List<String> variables() {
      return List.of(
          "STORAGE_PROVIDER",
          "S3_BUCKET",
          "S3_REGION",
          "S3_ENDPOINT",
          "AWS_ACCESS_KEY_ID",
          "AWS_SECRET_ACCESS_KEY",
          "STORAGE_POLICY",
          "STORAGE_RATE_LIMIT");
    }

    @Override
    public List<String> prefixes() {
      return List.of("S3_", "STORAGE_", "AWS_");
    }

    @Override
    public StorageConfig load(ConfigReader reader, CoreConfig core) {
      return StorageConfig.load(reader);
    }

    @Override
    public List<IntegrationStatus> integrations(StorageConfig config, CoreConfig core) {
      return List.of(
          config.provider().equals("local")
              ? new IntegrationStatus(
                  "storage",
                  "local",
                  "embedded",
                  "STORAGE_PROVIDER=s3|r2 + S3_BUCKET + AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY")
              : new IntegrationStatus("storage", config.provider(), "live", ""));
    }

    @Override
    public String embedded(IntegrationStatus row, StorageConfig config, CoreConfig core) {
      return "uploads are files under "
          + core.dataDir().resolve("storage")
          + " on this disk: one instance only; back up "
          + core.dataDir()
          + ", or set "
          + row.toGoLive();
    }
  }
}
