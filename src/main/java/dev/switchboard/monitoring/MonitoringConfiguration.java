package dev.switchboard.monitoring;

import dev.switchboard.platform.config.EnvironmentVariables;
import dev.switchboard.platform.config.SwitchboardConfig;
import dev.switchboard.platform.instances.InstanceRegistry;
import dev.switchboard.platform.integrations.Integration;
import dev.switchboard.platform.readiness.StartupReadiness;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;

/** Declares the database integration and the monitor that checks every {@link Integration} bean. */
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

  @Bean
  HealthArchitectureSection healthArchitectureSection(SwitchboardConfig config) {
    return new HealthArchitectureSection(config);
  }

  @Bean
  IntegrationMap integrationMap(HealthMonitor monitor, InstanceRegistry instances) {
    return new IntegrationMap(monitor, instances);
  }

  @Bean
  IntegrationMetrics integrationMetrics(HealthMonitor monitor) {
    return new IntegrationMetrics(monitor);
  }

  @Bean
  IntegrationsHealthIndicator integrationsHealthIndicator(HealthMonitor monitor) {
    return new IntegrationsHealthIndicator(monitor);
  }

  @Bean
  OverviewArchitectureSection overviewArchitectureSection(
      SwitchboardConfig config, StartupReadiness readiness) {
    return new OverviewArchitectureSection(config, readiness);
  }

  @Bean
  SecurityArchitectureSection securityArchitectureSection(SwitchboardConfig config) {
    return new SecurityArchitectureSection(config);
  }
}
