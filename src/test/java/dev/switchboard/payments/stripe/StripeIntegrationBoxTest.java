package dev.switchboard.payments.stripe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.payments.FakePaymentStore;
import dev.switchboard.payments.PaymentGateway;
import dev.switchboard.platform.config.IntegrationStatus;
import dev.switchboard.platform.config.SwitchboardConfig;
import dev.switchboard.platform.integrations.Integration;
import dev.switchboard.platform.readiness.Readiness;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

/** The map's {@code payments.stripe} box and {@code switchboard status} say the same mode. */
class StripeIntegrationBoxTest {

  @TempDir Path dataDir;

  Map<String, String> env(String mode) {
    Map<String, String> env = new HashMap<>();
    env.put("SWITCHBOARD_DATA_DIR", dataDir.toString());
    if (mode.equals("production")) {
      env.putAll(
          Map.of(
              "SWITCHBOARD_ENV",
              "production",
              "SWITCHBOARD_PUBLIC_URL",
              "https://api.example.com",
              "EMAIL_PROVIDER",
              "postmark",
              "POSTMARK_SERVER_TOKEN",
              "pm-token",
              "EMAIL_FROM",
              "no-reply@example.com",
              "AUTH_OAUTH_PROVIDERS",
              "none"));
    }
    return env;
  }

  Integration box(SwitchboardConfig config, List<PaymentGateway> gateways) {
    StaticListableBeanFactory beans = new StaticListableBeanFactory();
    for (int i = 0; i < gateways.size(); i++) {
      beans.addBean("gateway" + i, gateways.get(i));
    }
    return new StripeConfiguration()
        .stripeIntegration(
            config,
            beans.getBeanProvider(PaymentGateway.class),
            new StripeWebhookSecrets(List.of(), false),
            new FakePaymentStore(),
            Clock.systemUTC());
  }

  IntegrationStatus statusRow(Map<String, String> env) {
    return new Readiness(SwitchboardConfig.load(env::get), env.keySet())
        .integrations().stream()
            .filter(r -> r.integration().equals("payments.stripe"))
            .findFirst()
            .orElseThrow();
  }

  @Test
  void boxWhenProductionWithoutStripeKeyThenOffLikeStatus() {
    Map<String, String> env = env("production");
    Integration box = box(SwitchboardConfig.load(env::get), List.of());

    assertThat(statusRow(env).mode()).isEqualTo("off");
    assertThat(box.mode()).isEqualTo(Integration.Mode.OFF);
    assertThat(box.mode().id()).isEqualTo(statusRow(env).mode());
    assertThat(box.provider()).isEqualTo("none").isEqualTo(statusRow(env).provider());
  }

  @Test
  void boxWhenDevelopmentWithoutStripeKeyThenDevLikeStatus() {
    Map<String, String> env = env("development");

    assertThat(statusRow(env).mode()).isEqualTo("dev");
    assertThat(Integration.Mode.of(statusRow(env).mode())).isEqualTo(Integration.Mode.DEV);
  }
}
