package dev.switchboard.platform.readiness;

import dev.switchboard.platform.config.SwitchboardConfig;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;

/** The production-readiness checklist. */
@Configuration(proxyBeanMethods = false)
public class ReadinessConfiguration {

  @Bean
  StartupReadiness startupReadiness(SwitchboardConfig config, ConfigurableEnvironment environment) {
    return new StartupReadiness(config, environment);
  }
}
