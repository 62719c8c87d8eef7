package dev.switchboard.platform.crypto;

import dev.switchboard.platform.integrations.HealthResult;
import dev.switchboard.platform.integrations.Integration;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The platform box that says which cryptography is in use, and the one log line at startup. */
@Configuration(proxyBeanMethods = false)
public class CryptoConfiguration {

  private static final Logger log = LoggerFactory.getLogger(CryptoConfiguration.class);

  @Bean
  Integration cryptoIntegration() {
    NativeCrypto.Status status = NativeCrypto.install();
    log.info("Cryptography: {}", status.describe());
    String provider = status.nativeInUse() ? "accp" : "jdk";
    HealthResult result =
        status.nativeInUse()
            ? HealthResult.up(status.provider())
            : HealthResult.up(status.provider() + "; " + status.reason());
    return new Integration(
        "platform.crypto",
        "platform",
        provider,
        Integration.Mode.LIVE,
        false,
        Map.of(
            "provider", status.provider(), NativeCrypto.ENV, status.nativeInUse() ? "on" : "off"),
        Map.of(),
        () -> result,
        Duration.ofMinutes(10),
        Integration.DEFAULT_TIMEOUT);
  }
}
