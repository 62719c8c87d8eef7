package dev.switchboard.analytics;

import dev.switchboard.analytics.posthog.PostHogEventDestination;
import dev.switchboard.analytics.segment.SegmentEventDestination;
import dev.switchboard.platform.config.Secret;
import dev.switchboard.platform.config.SwitchboardConfig;
import dev.switchboard.platform.integrations.Integration;
import dev.switchboard.platform.jobs.JobQueue;
import dev.switchboard.platform.outbound.Backoff;
import dev.switchboard.platform.outbound.OutboundHttp;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Forwarding of stored events to the providers that are configured: {@code SEGMENT_WRITE_KEY} adds
 * Segment, {@code POSTHOG_API_KEY} (with {@code POSTHOG_HOST}) adds PostHog. Each gets a box on the
 * integration map.
 *
 * <p>Without a destination the forwarding beans and boxes are not made (their bean methods return
 * {@code null}, which leaves no bean): decided when the beans are made, not by a condition, which
 * Spring AOT would answer once at build time.
 */
@Configuration(proxyBeanMethods = false)
public class AnalyticsForwardingConfiguration {

  /** PostHog US cloud, when only {@code POSTHOG_API_KEY} is set. */
  static final URI POSTHOG_DEFAULT_HOST = URI.create("https://us.i.posthog.com");

  static final Duration SETTLE = Duration.ofSeconds(2);
  static final Duration RUN_BUDGET = Duration.ofSeconds(20);
  static final Duration HEALTH_INTERVAL = Duration.ofSeconds(30);

  @Bean
  EventDestinations eventDestinations(SwitchboardConfig config, OutboundHttp http) {
    AnalyticsConfig analytics = config.area(AnalyticsConfig.class);
    Map<String, EventDestination> byId = new LinkedHashMap<>();
    analytics
        .segmentWriteKey()
        .ifPresent(
            key ->
                byId.put(
                    SegmentEventDestination.ID,
                    new SegmentEventDestination(key, analytics.segmentUrl(), http)));
    analytics
        .posthogApiKey()
        .ifPresent(
            key ->
                byId.put(
                    PostHogEventDestination.ID,
                    new PostHogEventDestination(
                        key, analytics.posthogHost().orElse(POSTHOG_DEFAULT_HOST), http)));
    return new EventDestinations(byId);
  }

  /** The dashboard page's model; here because it shows where forwarding stands. */
  @Bean
  AnalyticsDashboard analyticsDashboard(
      AnalyticsQueries queries,
      AnalyticsEventStore events,
      WriteKeys keys,
      EventDestinations destinations,
      JdbcForwardingStore store,
      Clock clock) {
    return new AnalyticsDashboard(queries, events, keys, destinations, store, clock);
  }

  @Bean
  JdbcForwardingStore analyticsForwardingStore(JdbcClient jdbc) {
    return new JdbcForwardingStore(jdbc);
  }

  @Bean
  EventForwarder eventForwarder(
      EventDestinations destinations,
      AnalyticsEventStore events,
      JdbcForwardingStore store,
      Clock clock) {
    return destinations.byId().isEmpty()
        ? null
        : new EventForwarder(events, store, clock, SETTLE, RUN_BUDGET, Backoff.SHARED_RANDOM);
  }

  @Bean
  ForwardJob analyticsForwardJob(
      EventDestinations destinations,
      ObjectProvider<EventForwarder> forwarder,
      JdbcForwardingStore store,
      JobQueue queue) {
    return destinations.byId().isEmpty()
        ? null
        : new ForwardJob(
            destinations.byId(),
            forwarder.getObject(),
            store,
            queue,
            "analytics-" + UUID.randomUUID());
  }

  @Bean(initMethod = "start")
  ForwardSchedule analyticsForwardSchedule(
      EventDestinations destinations,
      ObjectProvider<EventForwarder> forwarder,
      JdbcForwardingStore store,
      ObjectProvider<ForwardJob> job,
      AnalyticsEventStore events,
      Clock clock) {
    return destinations.byId().isEmpty()
        ? null
        : new ForwardSchedule(
            destinations.byId().values(),
            forwarder.getObject(),
            store,
            job.getObject(),
            events,
            clock);
  }

  @Bean
  Integration segmentIntegration(SwitchboardConfig config, JdbcForwardingStore store, Clock clock) {
    AnalyticsConfig analytics = config.area(AnalyticsConfig.class);
    if (analytics.segmentWriteKey().isEmpty()) {
      return null;
    }
    return box(
        SegmentEventDestination.INTEGRATION_ID,
        SegmentEventDestination.ID,
        shown(
            "SEGMENT_WRITE_KEY",
            analytics.segmentWriteKey(),
            "SEGMENT_API_URL",
            analytics.segmentUrl()),
        store,
        clock);
  }

  @Bean
  Integration posthogIntegration(SwitchboardConfig config, JdbcForwardingStore store, Clock clock) {
    AnalyticsConfig analytics = config.area(AnalyticsConfig.class);
    if (analytics.posthogApiKey().isEmpty()) {
      return null;
    }
    return box(
        PostHogEventDestination.INTEGRATION_ID,
        PostHogEventDestination.ID,
        shown(
            "POSTHOG_API_KEY",
            analytics.posthogApiKey(),
            "POSTHOG_HOST",
            analytics.posthogHost().orElse(POSTHOG_DEFAULT_HOST)),
        store,
        clock);
  }

  /** What a destination's box shows: its key, masked, and where its events go. */
  private static Map<String, String> shown(
      String keyVariable, Optional<Secret> key, String urlVariable, URI url) {
    Map<String, String> shown = new LinkedHashMap<>();
    key.ifPresent(k -> shown.put(keyVariable, k.masked()));
    shown.put(urlVariable, url.toString());
    return shown;
  }

  private static Integration box(
      String id,
      String provider,
      Map<String, String> shown,
      JdbcForwardingStore store,
      Clock clock) {
    return new Integration(
        id,
        "analytics",
        provider,
        Integration.Mode.LIVE,
        true,
        shown,
        Map.of("batch", "500 events"),
        new ForwardingHealthCheck(provider, store, clock),
        HEALTH_INTERVAL,
        Integration.DEFAULT_TIMEOUT);
  }
}
