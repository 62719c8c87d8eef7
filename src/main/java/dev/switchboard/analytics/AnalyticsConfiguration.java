package dev.switchboard.analytics;

import dev.switchboard.platform.config.SwitchboardConfig;
import dev.switchboard.platform.db.GroupCommits;
import dev.switchboard.platform.http.ErrorResponses;
import dev.switchboard.platform.http.FilterOrder;
import dev.switchboard.platform.integrations.Integration;
import dev.switchboard.platform.ratelimit.RateLimitRule;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import tools.jackson.databind.json.JsonMapper;

/**
 * Wires analytics: the events store, write keys, ingest on {@code /v1/*} (its own rate limit per
 * client address instead of the API-wide one, CORS for allowed origins), product events, retention,
 * queries and the map box.
 */
@Import({AnalyticsArchitectureSection.class})
@Configuration
public class AnalyticsConfiguration {

  @Bean
  JdbcAnalyticsEventStore analyticsEventStore(
      DataSource dataSource, GroupCommits commits, JsonMapper json) {
    return new JdbcAnalyticsEventStore(dataSource, commits, json);
  }

  @Bean
  WriteKeys analyticsWriteKeys(SwitchboardConfig config) {
    return WriteKeys.load(
        config.area(AnalyticsConfig.class).writeKeys(),
        !config.core().production(),
        config.core().dataDir());
  }

  @Bean
  AnalyticsIngest analyticsIngest(
      WriteKeys keys,
      AnalyticsEventStore store,
      JsonMapper json,
      Clock clock,
      SwitchboardConfig config) {
    return new AnalyticsIngest(
        keys, store, json, clock, config.area(AnalyticsConfig.class).retention());
  }

  @Bean
  AnalyticsQueries analyticsQueries(AnalyticsEventStore store, JsonMapper json) {
    return new AnalyticsQueries(store, json);
  }

  @Bean
  ProductEvents productEvents(AnalyticsEventStore store, JsonMapper json, Clock clock) {
    return new ProductEvents(store, json, clock);
  }

  @Bean
  AnalyticsRetention analyticsRetention(
      AnalyticsEventStore store,
      EventDestinations destinations,
      JdbcForwardingStore forwarding,
      Clock clock,
      SwitchboardConfig config) {
    return new AnalyticsRetention(
        store,
        () -> forwarding.handledThrough(destinations.byId().keySet()),
        clock,
        config.area(AnalyticsConfig.class).retention());
  }

  /**
   * Ingest traffic is not an app's API calls: many browsers share a NAT address, so it gets its own
   * limit.
   */
  @Bean
  RateLimitRule analyticsIngestLimit(SwitchboardConfig config) {
    return new RateLimitRule(
        "analytics.ingest", "/v1/", config.area(AnalyticsConfig.class).ingestRateLimit(), true);
  }

  /** Before the rate limit, so a preflight or a refused origin costs the client nothing. */
  @Bean
  FilterRegistrationBean<AnalyticsCors> analyticsCors(
      SwitchboardConfig config, ErrorResponses errors) {
    List<URI> allowed = new ArrayList<>(config.core().redirectAllowlist());
    allowed.add(config.core().publicUrl());
    allowed.removeIf(
        u ->
            u.getHost() == null
                || !(u.getScheme().equals("http") || u.getScheme().equals("https")));
    FilterRegistrationBean<AnalyticsCors> registration =
        new FilterRegistrationBean<>(
            new AnalyticsCors(allowed, !config.core().production(), errors));
    registration.addUrlPatterns("/v1/*");
    registration.setOrder(FilterOrder.BODY_LIMIT - 1);
    return registration;
  }

  @Bean
  Integration analyticsIntegration(
      SwitchboardConfig config, AnalyticsEventStore store, WriteKeys keys, Clock clock) {
    AnalyticsConfig a = config.area(AnalyticsConfig.class);
    Map<String, String> shown = new LinkedHashMap<>();
    shown.put(
        "ANALYTICS_KEY",
        keys.generated()
            ? "generated (" + WriteKeys.DEV_FILE + ")"
            : keys.any()
                ? a.writeKeys().size() + " key(s), " + a.writeKeys().get(0).masked()
                : "not set");
    shown.put("ANALYTICS_RETENTION", a.retention().toDays() + "d");
    return new Integration(
        "analytics",
        "analytics",
        "switchboard",
        keys.generated() ? Integration.Mode.DEV : Integration.Mode.LIVE,
        !a.writeKeys().isEmpty(),
        shown,
        Map.of("ANALYTICS_RATE_LIMIT", a.ingestRateLimit().toString()),
        new IngestHealthCheck(store, keys, clock),
        Integration.DEFAULT_INTERVAL,
        Integration.DEFAULT_TIMEOUT);
  }
}
