package dev.switchboard.platform.http;

import dev.switchboard.platform.config.SwitchboardConfig;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

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
  static JsonCorsRejection jsonCorsRejection() {
    return new JsonCorsRejection();
  }

  @Bean
  RedirectTargets redirectTargets(SwitchboardConfig config) {
    return new RedirectTargets(config);
  }
}
