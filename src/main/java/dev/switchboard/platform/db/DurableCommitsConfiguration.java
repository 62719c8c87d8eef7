package dev.switchboard.platform.db;

import dev.switchboard.platform.config.SwitchboardConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Registers {@link DurableAnswersFilter} first, around every other filter (some of them write:
 * idempotency keys), and makes the {@link GroupCommits} the hot write paths share commits with.
 */
@Configuration(proxyBeanMethods = false)
public class DurableCommitsConfiguration {

  @Bean
  FilterRegistrationBean<DurableAnswersFilter> durableAnswersFilter() {
    FilterRegistrationBean<DurableAnswersFilter> registration =
        new FilterRegistrationBean<>(new DurableAnswersFilter());
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
    registration.addUrlPatterns("/*");
    return registration;
  }

  @Bean
  GroupCommits groupCommits(
      PlatformTransactionManager transactions,
      ObjectProvider<MeterRegistry> meters,
      SwitchboardConfig config) {
    return new GroupCommits(
        transactions,
        meters.getIfAvailable(CompositeMeterRegistry::new),
        GroupCommits.inFlight(config.core().database().kind(), config.core().databasePoolSize()));
  }
}
