package dev.switchboard.platform.redis;

import dev.switchboard.platform.config.EnvironmentVariables;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * True when {@code REDIS_URL} (or {@code REDIS_URL_FILE}) is set, looked up the way the
 * configuration reads it: by variable name in Spring's property sources, without placeholder
 * resolution. Validation stays in the configuration.
 */
public class RedisUrlIsSet implements Condition {

  @Override
  public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
    if (!(context.getEnvironment() instanceof ConfigurableEnvironment environment)) {
      return false;
    }
    return EnvironmentVariables.isSet(environment, "REDIS_URL");
  }
}
