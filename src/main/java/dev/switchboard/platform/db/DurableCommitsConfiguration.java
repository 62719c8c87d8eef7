package dev.switchboard.platform.db;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * Registers {@link DurableAnswersFilter} first, around every other filter (some of them write:
 * idempotency keys).
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
}
