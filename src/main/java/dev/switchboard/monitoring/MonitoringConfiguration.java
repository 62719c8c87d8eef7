package dev.switchboard.monitoring;

import dev.switchboard.platform.config.EnvironmentVariables;
import dev.switchboard.platform.config.SwitchboardConfig;
import dev.switchboard.platform.instances.InstanceRegistry;
import dev.switchboard.platform.integrations.Integration;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.ConfigurableEnvironment;

/** Declares the database integration and the monitor that checks every {@link Integration} bean. */
@Import({
  HealthArchitectureSection.class,
  IntegrationMap.class,
  IntegrationMetrics.class,
  OverviewArchitectureSection.class,
  SecurityArchitectureSection.class
})
@Configuration(proxyBeanMethods = false)
public class MonitoringConfiguration {

  @Bean
  Integration databaseIntegration(
      SwitchboardConfig config, DataSource dataSource, ConfigurableEnvironment environment) {
    boolean configured = EnvironmentVariables.isSet(environment, "DATABASE_URL");
    return DatabaseIntegration.of(config.core(), dataSource, configured);
  }

  /**
   * Every integration bean; the storage and database boxes through the instance registry, which
   * degrades them while their single-machine defaults are shared by several instances.
   */
  @Bean
  HealthMonitor healthMonitor(
      List<Integration> integrations,
      InstanceRegistry instances,
      SwitchboardConfig config,
      Clock clock,
      ApplicationEventPublisher events) {
    return new HealthMonitor(
        integrations.stream().map(instances::watch).toList(),
        Set.of(DatabaseIntegration.ID),
        config.core().healthInterval(),
        clock,
        events);
  }

  /** A bean method, not an import: the actuator names the health component after the bean. */
  @Bean
  IntegrationsHealthIndicator integrationsHealthIndicator(HealthMonitor monitor) {
    return new IntegrationsHealthIndicator(monitor);
  }
}
