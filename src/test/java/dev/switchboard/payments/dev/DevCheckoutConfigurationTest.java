package dev.switchboard.payments.dev;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.payments.PaymentsConfiguration;
import dev.switchboard.payments.stripe.StripeWebhookSecrets;
import dev.switchboard.platform.config.EnvironmentVariables;
import dev.switchboard.platform.config.SwitchboardConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.env.MockEnvironment;

class DevCheckoutConfigurationTest {

  @TempDir Path dir;

  static MockEnvironment production() {
    return new MockEnvironment()
        .withProperty("SWITCHBOARD_PUBLIC_URL", "https://api.example.com")
        .withProperty("EMAIL_PROVIDER", "postmark")
        .withProperty("POSTMARK_SERVER_TOKEN", "pm-token-123456789")
        .withProperty("EMAIL_FROM", "no-reply@example.com")
        .withProperty("AUTH_OAUTH_PROVIDERS", "none");
  }

  @Test
  void devCheckoutWhenProductionSetThroughEnvFileThenInactiveAndNoWebhookSecretGenerated()
      throws IOException {
    Path env = Files.writeString(dir.resolve("env"), "production\n");
    MockEnvironment environment =
        production()
            .withProperty("SWITCHBOARD_ENV_FILE", env.toString())
            .withProperty("SWITCHBOARD_DATA_DIR", dir.resolve("data").toString());

    SwitchboardConfig config =
        SwitchboardConfig.load(name -> EnvironmentVariables.get(environment, name));
    assertThat(sessions(config)).isNull();
    assertThat(new PaymentsConfiguration().stripeWebhookSecrets(config).secrets()).isEmpty();
  }

  @Test
  void devCheckoutWhenDevelopmentWithoutStripeKeyThenActiveWithAGeneratedSecret() {
    MockEnvironment environment =
        new MockEnvironment().withProperty("SWITCHBOARD_DATA_DIR", dir.resolve("data").toString());

    SwitchboardConfig config =
        SwitchboardConfig.load(name -> EnvironmentVariables.get(environment, name));
    assertThat(sessions(config)).isNotNull();
    StripeWebhookSecrets secrets = new PaymentsConfiguration().stripeWebhookSecrets(config);
    assertThat(secrets.secrets()).hasSize(1);
    assertThat(secrets.generated()).isTrue();
  }

  @Test
  void devCheckoutWhenStripeKeySetThenInactive() {
    MockEnvironment environment =
        new MockEnvironment()
            .withProperty("SWITCHBOARD_DATA_DIR", dir.resolve("data").toString())
            .withProperty("STRIPE_SECRET_KEY", "sk_test_123456789")
            .withProperty("STRIPE_WEBHOOK_SECRET", "whsec_123456789");

    assertThat(
            sessions(SwitchboardConfig.load(name -> EnvironmentVariables.get(environment, name))))
        .isNull();
  }

  /** The dev checkout's sessions bean as the configuration decides it: null means no dev beans. */
  private static DevCheckoutSessions sessions(SwitchboardConfig config) {
    return new DevCheckoutConfiguration().devCheckoutSessions(config, null, Clock.systemUTC());
  }
}
