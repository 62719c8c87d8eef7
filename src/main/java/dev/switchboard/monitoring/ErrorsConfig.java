package dev.switchboard.monitoring;

import dev.switchboard.platform.config.ConfigArea;
import dev.switchboard.platform.config.ConfigReader;
import dev.switchboard.platform.config.CoreConfig;
import dev.switchboard.platform.config.DeploymentMode;
import dev.switchboard.platform.config.IntegrationStatus;
import dev.switchboard.platform.config.Secret;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * Error monitoring: Sentry when {@code SENTRY_DSN} is set, otherwise errors are grouped in a local
 * table.
 *
 * @param sentryDsn the DSN; its public key is a credential, so it is a {@link Secret}
 */
public record ErrorsConfig(
    Optional<Secret> sentryDsn, String environment, double tracesSampleRate) {

  public static ErrorsConfig load(ConfigReader r, DeploymentMode mode) {
    Optional<URI> dsn = r.url("SENTRY_DSN", List.of("http", "https"));
    dsn.ifPresent(
        u -> {
          if (u.getUserInfo() == null
              || u.getPath() == null
              || !u.getPath().matches("^(/.*)?/[^/]+$")) {
            r.problem(
                "SENTRY_DSN",
                "expected a DSN like https://PUBLIC_KEY@o0.ingest.sentry.io/PROJECT_ID");
          }
        });
    String environment = r.string("SENTRY_ENVIRONMENT", mode.id());
    double rate = r.fraction("SENTRY_TRACES_SAMPLE_RATE", 0.1);
    return new ErrorsConfig(dsn.map(u -> Secret.of(u.toString())), environment, rate);
  }

  /** Registers error monitoring with the platform's configuration reader. */
  public static final class Area implements ConfigArea<ErrorsConfig> {

    @Override
    public Class<ErrorsConfig> type() {
      return ErrorsConfig.class;
    }

    @Override
    public List<String> variables() {
      return List.of("SENTRY_DSN", "SENTRY_ENVIRONMENT", "SENTRY_TRACES_SAMPLE_RATE");
    }

    @Override
    public List<String> prefixes() {
      return List.of("SENTRY_");
    }

    @Override
    public ErrorsConfig load(ConfigReader reader, CoreConfig core) {
      return ErrorsConfig.load(reader, core.mode());
    }

    @Override
    public List<IntegrationStatus> integrations(ErrorsConfig config, CoreConfig core) {
      return List.of(
          config.sentryDsn().isEmpty()
              ? new IntegrationStatus("errors", "local table", "embedded", "SENTRY_DSN")
              : new IntegrationStatus("errors", "sentry", "live", ""));
    }

    @Override
    public String embedded(IntegrationStatus row, ErrorsConfig config, CoreConfig core) {
      return "errors are grouped in the database and shown on the dashboard; set SENTRY_DSN to send them to Sentry";
    }
  }
}
