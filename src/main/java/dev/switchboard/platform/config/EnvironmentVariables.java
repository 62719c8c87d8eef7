package dev.switchboard.platform.config;

import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;

/**
 * Reads a variable by its exact name from Spring's property sources (test properties, system properties, then the
 * OS environment), without placeholder resolution, so a secret containing {@code ${} is taken literally. The one
 * lookup behind {@link SwitchboardConfig} in the application and behind conditions evaluated before its bean exists.
 */
public final class EnvironmentVariables {

  private EnvironmentVariables() {}

  public static String get(ConfigurableEnvironment environment, String name) {
    for (PropertySource<?> source : environment.getPropertySources()) {
      Object value = source.getProperty(name);
      if (value != null) {
        return value.toString();
      }
    }
    return null;
  }

  /** Whether {@code name} or {@code name_FILE} is set to something other than blanks. */
  public static boolean isSet(ConfigurableEnvironment environment, String name) {
    return notBlank(get(environment, name)) || notBlank(get(environment, name + "_FILE"));
  }

  private static boolean notBlank(String value) {
    return value != null && !value.isBlank();
  }
}
