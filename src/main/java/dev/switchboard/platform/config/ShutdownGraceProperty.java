package dev.switchboard.platform.config;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Hands {@code SWITCHBOARD_SHUTDOWN_GRACE} to Spring as the time the web server waits for in-flight
 * requests after it stopped accepting new ones ({@code
 * spring.lifecycle.timeout-per-shutdown-phase}; registered in {@code META-INF/spring.factories}). A
 * bad value is reported with every other problem by {@link SwitchboardConfig}; here it just falls
 * back to the default.
 */
public final class ShutdownGraceProperty implements EnvironmentPostProcessor {

  static final String PROPERTY = "spring.lifecycle.timeout-per-shutdown-phase";

  @Override
  public void postProcessEnvironment(
      ConfigurableEnvironment environment, SpringApplication application) {
    ConfigReader reader = new ConfigReader(environment::getProperty);
    long millis = CoreConfig.shutdownGrace(reader).toMillis();
    environment
        .getPropertySources()
        .addLast(
            new MapPropertySource("switchboardShutdownGrace", Map.of(PROPERTY, millis + "ms")));
  }
}
