package dev.switchboard.platform.config;

import dev.switchboard.analytics.AnalyticsConfig;
import dev.switchboard.auth.AuthConfig;
import dev.switchboard.email.EmailConfig;
import dev.switchboard.monitoring.AlertsConfig;
import dev.switchboard.monitoring.ErrorsConfig;
import dev.switchboard.payments.PaymentsConfig;
import dev.switchboard.storage.StorageConfig;
import java.util.function.Function;

/**
 * Every setting, read once from the environment at startup and never changed. Each area reads its
 * own record. {@link #load} reports every problem at once; see {@code docs/configuration.md} for
 * the variables.
 */
public record SwitchboardConfig(
    CoreConfig core,
    AuthConfig auth,
    EmailConfig email,
    PaymentsConfig payments,
    StorageConfig storage,
    AnalyticsConfig analytics,
    ErrorsConfig errors,
    AlertsConfig alerts) {

  /**
   * Loads and validates the configuration.
   *
   * @param env looks up a variable by name; {@code System::getenv} in production
   * @throws InvalidConfigurationException listing every problem, each naming its variable
   */
  public static SwitchboardConfig load(Function<String, String> env) {
    ConfigReader r = new ConfigReader(env);
    CoreConfig core = CoreConfig.load(r);
    SwitchboardConfig config =
        new SwitchboardConfig(
            core,
            AuthConfig.load(r, core.mode()),
            EmailConfig.load(r, core.mode()),
            PaymentsConfig.load(r),
            StorageConfig.load(r),
            AnalyticsConfig.load(r),
            ErrorsConfig.load(r, core.mode()),
            AlertsConfig.load(r, core.mode()));
    if (core.production()) {
      ProductionSafety.refuse(r, config);
    }
    if (!r.problems().isEmpty()) {
      throw new InvalidConfigurationException(r.problems());
    }
    return config;
  }

  @Override
  public String toString() {
    return "SwitchboardConfig[mode=" + core.mode().id() + "]";
  }
}
