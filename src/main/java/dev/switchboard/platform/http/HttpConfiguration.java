package dev.switchboard.platform.http;

import dev.switchboard.platform.config.SecretScrubber;
import dev.switchboard.platform.config.SwitchboardConfig;
import java.time.Clock;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/** The HTTP layer's filters, error answers, idempotency store and redirect checks. */
@Configuration(proxyBeanMethods = false)
public class HttpConfiguration {

  @Bean
  BodySizeLimit bodySizeLimit(List<BodySizeLimit.Rule> rules, ErrorResponses errors) {
    return new BodySizeLimit(rules, errors);
  }

  @Bean
  ContainerErrorPages containerErrorPages() {
    return new ContainerErrorPages();
  }

  @Bean
  ContentTypeCheck contentTypeCheck(ErrorResponses errors) {
    return new ContentTypeCheck(errors);
  }

  @Bean
  ErrorResponses errorResponses(
      JsonMapper json, List<UnhandledErrorListener> listeners, SecretScrubber scrubber) {
    return new ErrorResponses(json, listeners, scrubber);
  }

  @Bean
  IdempotencyCleanup idempotencyCleanup(IdempotencyStore store, Clock clock) {
    return new IdempotencyCleanup(store, clock);
  }

  @Bean
  IdempotencyFilter idempotencyFilter(
      IdempotencyStore store, ErrorResponses errors, Clock clock, IdempotencyHeartbeat heartbeat) {
    return new IdempotencyFilter(store, errors, clock, heartbeat);
  }

  @Bean
  IdempotencyHeartbeat idempotencyHeartbeat(IdempotencyStore store, Clock clock) {
    return new IdempotencyHeartbeat(store, clock);
  }

  @Bean
  JdbcIdempotencyStore jdbcIdempotencyStore(JdbcClient jdbc) {
    return new JdbcIdempotencyStore(jdbc);
  }

  @Bean
  static JsonCorsRejection jsonCorsRejection() {
    return new JsonCorsRejection();
  }

  @Bean
  RedirectTargets redirectTargets(SwitchboardConfig config) {
    return new RedirectTargets(config);
  }

  @Bean
  RequestIds requestIds() {
    return new RequestIds();
  }
}
