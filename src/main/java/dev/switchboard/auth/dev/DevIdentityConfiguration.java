package dev.switchboard.auth.dev;

import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The dev identity provider's beans (its routes are scanned). */
@Configuration(proxyBeanMethods = false)
public class DevIdentityConfiguration {

  @Bean
  DevGrants devGrants(Clock clock) {
    return new DevGrants(clock);
  }
}
