package dev.switchboard.platform.crypto;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Registers the native provider before any bean is created (registered in {@code
 * META-INF/spring.factories}), so the first key, MAC or random number of the process already comes
 * from it; tests get it the same way.
 */
public final class NativeCryptoInstaller implements EnvironmentPostProcessor {

  @Override
  public void postProcessEnvironment(
      ConfigurableEnvironment environment, SpringApplication application) {
    NativeCrypto.install(environment.getProperty(NativeCrypto.ENV));
  }
}
