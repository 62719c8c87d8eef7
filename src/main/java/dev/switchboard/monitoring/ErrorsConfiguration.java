package dev.switchboard.monitoring;

import dev.switchboard.Switchboard;
import dev.switchboard.monitoring.sentry.SentryErrorReporter;
import dev.switchboard.platform.config.SecretScrubber;
import dev.switchboard.platform.config.SwitchboardConfig;
import dev.switchboard.platform.integrations.Integration;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Picks the error reporter: {@code sentry} when {@code SENTRY_DSN} is set, {@code local} otherwise.
 */
@Import({
  BreadcrumbTrail.class,
  ErrorContextFilter.class,
  ErrorReportingListener.class,
  ErrorsArchitectureSection.class,
  JdbcErrorStore.class,
  JobErrorContext.class,
  OutboundBreadcrumbs.class
})
@Configuration(proxyBeanMethods = false)
public class ErrorsConfiguration {

  static String providerId(ErrorsConfig config) {
    return config.sentryDsn().isPresent() ? "sentry" : "local";
  }

  @Bean
  ErrorReporter errorReporter(
      SwitchboardConfig config,
      ErrorStore store,
      SecretScrubber scrubber,
      BreadcrumbTrail trail,
      Clock clock,
      ObjectProvider<MeterRegistry> meters) {
    ErrorsConfig errors = config.area(ErrorsConfig.class);
    return switch (providerId(errors)) {
      case "sentry" ->
          SentryErrorReporter.start(
              errors,
              config.core().publicUrl(),
              release(),
              scrubber,
              new CallerIdHasher(store::userHashSalt),
              trail);
      case "local" ->
          new JdbcErrorReporter(
              store,
              scrubber,
              trail,
              clock,
              JdbcErrorReporter.DEFAULT_CAPACITY,
              meters.getIfAvailable(),
              Duration.ofSeconds(1));
      default -> throw new IllegalStateException("unknown error reporter " + providerId(errors));
    };
  }

  @Bean
  Integration errorsIntegration(SwitchboardConfig config, ErrorReporter reporter) {
    ErrorsConfig errors = config.area(ErrorsConfig.class);
    boolean sentry = errors.sentryDsn().isPresent();
    Map<String, String> masked = new LinkedHashMap<>();
    masked.put("SENTRY_DSN", errors.sentryDsn().map(d -> d.maskedUrl()).orElse("(not set)"));
    masked.put("SENTRY_ENVIRONMENT", errors.environment());
    masked.put("SENTRY_TRACES_SAMPLE_RATE", Double.toString(errors.tracesSampleRate()));
    return new Integration(
        "errors",
        "monitoring",
        reporter.provider(),
        sentry ? Integration.Mode.LIVE : Integration.Mode.EMBEDDED,
        sentry,
        masked,
        Map.of(),
        reporter::health,
        config.core().healthInterval(),
        Integration.DEFAULT_TIMEOUT);
  }

  /** The version from the jar manifest; absent when running from classes (tests, IDE). */
  private static Optional<String> release() {
    return Optional.ofNullable(Switchboard.class.getPackage().getImplementationVersion())
        .map(v -> "switchboard@" + v);
  }
}
