package dev.switchboard.storage;

import dev.switchboard.platform.config.SwitchboardConfig;
import dev.switchboard.platform.db.GroupCommits;
import dev.switchboard.platform.http.BodySizeLimit;
import dev.switchboard.platform.integrations.Integration;
import dev.switchboard.platform.ratelimit.RateLimitRule;
import dev.switchboard.storage.local.LocalObjectStorage;
import dev.switchboard.storage.s3.S3ObjectStorage;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.web.servlet.config.annotation.CorsRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The storage area: picks the {@link ObjectStorage} from {@code STORAGE_PROVIDER} and wires the
 * upload flow.
 */
@Import({StorageArchitectureSection.class})
@Configuration(proxyBeanMethods = false)
public class StorageConfiguration {

  static final Duration HEALTH_INTERVAL = Duration.ofMinutes(1);
  static final Duration STORE_TIMEOUT = Duration.ofSeconds(10);

  /** The one place a provider id becomes a store; an unknown id is a startup error. */
  static ObjectStorage storage(SwitchboardConfig config, Clock clock) {
    StorageConfig s = config.area(StorageConfig.class);
    return switch (s.provider()) {
      case LocalObjectStorage.ID ->
          new LocalObjectStorage(
              config.core().dataDir().resolve("storage"), config.core().publicUrl(), clock);
      case "s3" ->
          new S3ObjectStorage(
              "s3",
              s.bucket().orElseThrow(),
              s.region().orElseThrow(),
              s.endpoint(),
              s.accessKeyId().orElseThrow(),
              s.secretAccessKey().orElseThrow(),
              STORE_TIMEOUT);
      case "r2" ->
          new S3ObjectStorage(
              "r2",
              s.bucket().orElseThrow(),
              s.region().orElse("auto"),
              s.endpoint(),
              s.accessKeyId().orElseThrow(),
              s.secretAccessKey().orElseThrow(),
              STORE_TIMEOUT);
      default -> throw new IllegalStateException("unknown storage provider '" + s.provider() + "'");
    };
  }

  @Bean
  ObjectStorage objectStorage(SwitchboardConfig config, Clock clock) {
    return storage(config, clock);
  }

  @Bean
  JdbcFileStore fileStore(
      JdbcClient jdbc,
      JdbcTemplate template,
      PlatformTransactionManager transactions,
      GroupCommits commits) {
    return new JdbcFileStore(jdbc, template, transactions, commits);
  }

  @Bean
  FileService fileService(
      ObjectStorage storage,
      FileStore store,
      SwitchboardConfig config,
      ApplicationEventPublisher events,
      Clock clock) {
    return new FileService(
        storage, store, new UploadPolicy(config.area(StorageConfig.class).policy()), events, clock);
  }

  @Bean
  PendingUploadCleanup pendingUploadCleanup(FileService files, ObjectStorage storage) {
    return new PendingUploadCleanup(files, storage);
  }

  @Bean
  RateLimitRule filesPresignLimit(SwitchboardConfig config) {
    return new RateLimitRule(
        "files.presign", "/api/files/presign", config.area(StorageConfig.class).rateLimit());
  }

  @Bean
  RateLimitRule filesCompleteLimit(SwitchboardConfig config) {
    return new RateLimitRule(
        "files.complete", "/api/files/*/complete", config.area(StorageConfig.class).rateLimit());
  }

  /**
   * Local uploads are PUT to Switchboard itself: allow the largest size the policy allows, and no
   * more.
   */
  @Bean
  BodySizeLimit.Rule localUploadBodyLimit(SwitchboardConfig config) {
    return new BodySizeLimit.Rule(
        LocalObjectStorage.PATH,
        new UploadPolicy(config.area(StorageConfig.class).policy()).largest());
  }

  /**
   * Browsers upload to local URLs from the app's own origin: the same CORS rule a bucket needs, for
   * the origins in {@code SWITCHBOARD_REDIRECT_ALLOWLIST} (the app's origins). The signature stays
   * the credential.
   */
  @Bean
  WebMvcConfigurer localUploadCors(SwitchboardConfig config) {
    List<String> origins = new ArrayList<>();
    origins.add(origin(config.core().publicUrl()));
    config.core().redirectAllowlist().stream()
        .filter(u -> "http".equals(u.getScheme()) || "https".equals(u.getScheme()))
        .map(StorageConfiguration::origin)
        .forEach(origins::add);
    return new WebMvcConfigurer() {
      @Override
      public void addCorsMappings(CorsRegistry registry) {
        registry
            .addMapping(LocalObjectStorage.PATH + "**")
            .allowedOrigins(origins.toArray(String[]::new))
            .allowedMethods("GET", "PUT", "HEAD")
            .allowedHeaders("Content-Type")
            .maxAge(3600);
      }
    };
  }

  @Bean
  Integration storageIntegration(
      SwitchboardConfig config, ObjectStorage storage, FileService files) {
    StorageConfig s = config.area(StorageConfig.class);
    boolean local = LocalObjectStorage.ID.equals(storage.id());
    Map<String, String> shown = new LinkedHashMap<>();
    shown.put("STORAGE_PROVIDER", storage.id());
    if (local) {
      shown.put("SWITCHBOARD_DATA_DIR", config.core().dataDir().resolve("storage").toString());
    }
    s.bucket().ifPresent(b -> shown.put("S3_BUCKET", b));
    s.region().ifPresent(r -> shown.put("S3_REGION", r));
    s.endpoint().ifPresent(e -> shown.put("S3_ENDPOINT", e.toString()));
    s.accessKeyId().ifPresent(k -> shown.put("AWS_ACCESS_KEY_ID", maskKeyId(k)));
    s.secretAccessKey().ifPresent(k -> shown.put("AWS_SECRET_ACCESS_KEY", k.masked()));
    shown.put("STORAGE_POLICY", policyText(s.policy()));
    return new Integration(
        "storage",
        "storage",
        storage.id(),
        local ? Integration.Mode.EMBEDDED : Integration.Mode.LIVE,
        !local,
        shown,
        Map.of("STORAGE_RATE_LIMIT", s.rateLimit().toString()),
        new StorageHealthCheck(storage, files),
        HEALTH_INTERVAL,
        Integration.DEFAULT_TIMEOUT);
  }

  /** Access key ids are not secret on their own, but half of one is plenty to recognise it. */
  static String maskKeyId(String id) {
    return id.length() <= 8 ? "****" : id.substring(0, 4) + "****" + id.substring(id.length() - 4);
  }

  static String policyText(Map<String, Long> policy) {
    StringBuilder text = new StringBuilder();
    policy.forEach(
        (type, max) ->
            text.append(text.isEmpty() ? "" : ",").append(type).append(':').append(size(max)));
    return text.toString();
  }

  static String size(long bytes) {
    long mb = 1024L * 1024;
    return bytes % mb == 0
        ? bytes / mb + "MB"
        : bytes % 1024 == 0 ? bytes / 1024 + "KB" : bytes + "B";
  }

  private static String origin(URI uri) {
    return uri.getScheme()
        + "://"
        + uri.getHost()
        + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
  }
}
