package dev.switchboard.platform.http;

import dev.switchboard.platform.config.SwitchboardConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import jakarta.servlet.DispatcherType;
import java.time.Clock;
import java.util.EnumSet;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.web.filter.RequestContextFilter;
import org.springframework.web.filter.ServerHttpObservationFilter;

/** The HTTP layer's filters, error answers, idempotency store and redirect checks. */
@Import({
  BodySizeLimit.class,
  ContainerErrorPages.class,
  ContentTypeCheck.class,
  ErrorResponses.class,
  IdempotencyCleanup.class,
  IdempotencyFilter.class,
  JdbcIdempotencyStore.class,
  RequestIds.class
})
@Configuration(proxyBeanMethods = false)
public class HttpConfiguration {

  @Bean
  IdempotencyHeartbeat idempotencyHeartbeat(IdempotencyStore store, Clock clock) {
    return new IdempotencyHeartbeat(store, clock);
  }

  @Bean
  static ApplicationMappingsFirst applicationMappingsFirst() {
    return new ApplicationMappingsFirst();
  }

  @Bean
  static JsonCorsRejection jsonCorsRejection() {
    return new JsonCorsRejection();
  }

  /** The {@code http.server.requests} timer, recorded by our own filter. */
  @Bean
  RequestMetrics requestMetrics(MeterRegistry registry) {
    return new RequestMetrics(registry);
  }

  /**
   * Keeps Spring Boot from adding its observation filter, whose only product here was the {@code
   * http.server.requests} timer that {@link RequestMetrics} records for much less (nothing traces).
   */
  @Bean
  FilterRegistrationBean<ServerHttpObservationFilter> httpObservationFilterReplaced() {
    FilterRegistrationBean<ServerHttpObservationFilter> registration =
        new FilterRegistrationBean<>(new ServerHttpObservationFilter(ObservationRegistry.NOOP));
    registration.setEnabled(false);
    return registration;
  }

  /** Folds the filters into {@link RequestFilters} before the container is configured. */
  @Bean
  static RequestFiltersRegistrar requestFiltersRegistrar() {
    return new RequestFiltersRegistrar();
  }

  /**
   * All the filters as the container's one filter, for every dispatch type (each filter still
   * decides which dispatches it works on, as when it was registered on its own).
   */
  @Bean
  FilterRegistrationBean<RequestFilters> requestFilters(RequestFiltersRegistrar registrar) {
    FilterRegistrationBean<RequestFilters> registration =
        new FilterRegistrationBean<>(registrar.filters());
    registration.setName(RequestFiltersRegistrar.NAME);
    registration.addUrlPatterns("/*");
    registration.setDispatcherTypes(EnumSet.allOf(DispatcherType.class));
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
    return registration;
  }

  /**
   * Keeps Spring Boot from adding its {@link RequestContextFilter}: it exposed the request to code
   * running in filters after it, and none runs after it; {@code DispatcherServlet} exposes the
   * request to the controllers and error handling itself, as it does without the filter.
   */
  @Bean
  FilterRegistrationBean<RequestContextFilter> requestContextFilterNotNeeded() {
    FilterRegistrationBean<RequestContextFilter> registration =
        new FilterRegistrationBean<>(new RequestContextFilter());
    registration.setEnabled(false);
    return registration;
  }

  @Bean
  RedirectTargets redirectTargets(SwitchboardConfig config) {
    return new RedirectTargets(config);
  }
}
