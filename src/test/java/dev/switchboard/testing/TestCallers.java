package dev.switchboard.testing;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * The one way an integration test gets distinct callers without real keys or tokens:
 * {@code @Import(TestCallers.class)} on the test class, then send {@link HeaderCallerFilter#HEADER}
 * (an API key id) or {@link HeaderCallerFilter#USER_HEADER} (an account id), or list the requests
 * as {@link ApiScenario}s.
 */
@TestConfiguration(proxyBeanMethods = false)
public class TestCallers {

  @Bean
  HeaderCallerFilter headerCallerFilter() {
    return new HeaderCallerFilter();
  }
}
