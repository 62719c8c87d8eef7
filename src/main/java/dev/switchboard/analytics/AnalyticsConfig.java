package dev.switchboard.analytics;

import dev.switchboard.platform.config.ConfigArea;
import dev.switchboard.platform.config.ConfigReader;
import dev.switchboard.platform.config.CoreConfig;
import dev.switchboard.platform.config.IntegrationStatus;
import dev.switchboard.platform.config.Rate;
import dev.switchboard.platform.config.Secret;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Product analytics: accepted write keys ({@code ANALYTICS_KEY}, comma list for rotation) and
 * optional forwarding to Segment and PostHog. Events are always stored locally.
 *
 * @param retention how long events are kept ({@code ANALYTICS_RETENTION}, default 400 days)
 * @param ingestRateLimit requests per client address on {@code /v1/*} ({@code
 *     ANALYTICS_RATE_LIMIT}), instead of the API-wide limit: browsers behind one NAT and
 *     server-side libraries send from few addresses
 * @param segmentUrl Segment's API base ({@code SEGMENT_API_URL}, for the EU region or a test
 *     server)
 */
public record AnalyticsConfig(
    List<Secret> writeKeys,
    Optional<Secret> segmentWriteKey,
    Optional<Secret> posthogApiKey,
    Optional<URI> posthogHost,
    Duration retention,
    Rate ingestRateLimit,
    URI segmentUrl) {

  public static AnalyticsConfig load(ConfigReader r) {
    List<Secret> keys = r.list("ANALYTICS_KEY").stream().map(Secret::of).toList();
    Optional<Secret> segment = r.secret("SEGMENT_WRITE_KEY");
    Optional<Secret> posthog = r.secret("POSTHOG_API_KEY");
    Optional<URI> host = r.url("POSTHOG_HOST", List.of("http", "https"));
    if (host.isPresent() && posthog.isEmpty() && !r.isSet("POSTHOG_API_KEY")) {
      r.problem("POSTHOG_API_KEY", "must be set together with POSTHOG_HOST");
    }
    Duration retention = r.duration("ANALYTICS_RETENTION", "400d");
    if (retention.compareTo(Duration.ofDays(1)) < 0) {
      r.problem(
          "ANALYTICS_RETENTION",
          "must be at least 1d: message ids are kept for deduplication at least 24 h");
      retention = Duration.ofDays(1);
    }
    Rate rate = r.rate("ANALYTICS_RATE_LIMIT", "1000/s");
    URI segmentUrl =
        r.url("SEGMENT_API_URL", List.of("http", "https"))
            .orElse(URI.create("https://api.segment.io"));
    return new AnalyticsConfig(keys, segment, posthog, host, retention, rate, segmentUrl);
  }

  /** Registers the analytics area with the platform's configuration reader. */
  public static final class Area implements ConfigArea<AnalyticsConfig> {

    @Override
    public Class<AnalyticsConfig> type() {
      return AnalyticsConfig.class;
    }

    @Override
    public List<String> variables() {
      return List.of(
          "ANALYTICS_KEY",
          "ANALYTICS_RETENTION",
          "ANALYTICS_RATE_LIMIT",
          "SEGMENT_WRITE_KEY",
          "SEGMENT_API_URL",
          "POSTHOG_API_KEY",
          "POSTHOG_HOST");
    }

    @Override
    public List<String> prefixes() {
      return List.of("ANALYTICS_", "SEGMENT_", "POSTHOG_");
    }

    @Override
    public AnalyticsConfig load(ConfigReader reader, CoreConfig core) {
      return AnalyticsConfig.load(reader);
    }

    @Override
    public List<IntegrationStatus> integrations(AnalyticsConfig config, CoreConfig core) {
      List<String> forwards = new ArrayList<>();
      config.segmentWriteKey().ifPresent(k -> forwards.add("segment"));
      config.posthogApiKey().ifPresent(k -> forwards.add("posthog"));
      return List.of(
          forwards.isEmpty()
              ? new IntegrationStatus(
                  "analytics",
                  "local",
                  "embedded",
                  "SEGMENT_WRITE_KEY or POSTHOG_API_KEY (to forward)")
              : new IntegrationStatus(
                  "analytics", "local + " + String.join(" + ", forwards), "live", ""));
    }

    @Override
    public String embedded(IntegrationStatus row, AnalyticsConfig config, CoreConfig core) {
      return "events are stored in the database only; set " + row.toGoLive();
    }
  }
}
