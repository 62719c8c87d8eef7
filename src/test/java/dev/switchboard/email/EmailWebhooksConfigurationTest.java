package dev.switchboard.email;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.switchboard.email.resend.ResendTestSigner;
import dev.switchboard.email.sendgrid.SendGridTestSigner;
import dev.switchboard.platform.config.InvalidConfigurationException;
import dev.switchboard.platform.config.SwitchboardConfig;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class EmailWebhooksConfigurationTest {

  final EmailWebhooksConfiguration configuration = new EmailWebhooksConfiguration();
  final JsonMapper json = JsonMapper.builder().build();

  static SwitchboardConfig config(Map<String, String> env) {
    return SwitchboardConfig.load(env::get);
  }

  @Test
  void verifiersWhenSecretsUsableThenOnePerProvider() {
    SwitchboardConfig config =
        config(
            Map.of(
                "SENDGRID_WEBHOOK_PUBLIC_KEY",
                new SendGridTestSigner().publicKey(),
                "POSTMARK_WEBHOOK_CREDENTIALS",
                "hooks:webhook-password-1",
                "RESEND_WEBHOOK_SECRET",
                new ResendTestSigner("a").secret() + "," + new ResendTestSigner("b").secret()));

    assertThat(configuration.sendGridWebhookVerifier(config, Clock.systemUTC(), json).provider())
        .isEqualTo("sendgrid");
    assertThat(configuration.postmarkWebhookVerifier(config, Clock.systemUTC(), json).provider())
        .isEqualTo("postmark");
    assertThat(configuration.resendWebhookVerifier(config, Clock.systemUTC(), json).provider())
        .isEqualTo("resend");
  }

  @Test
  void sendGridVerifierWhenKeyIsNotP256ThenStartupProblemNamesVariableNotValue() {
    SwitchboardConfig config =
        config(Map.of("SENDGRID_WEBHOOK_PUBLIC_KEY", "bm90LWEta2V5LWF0LWFsbA"));

    InvalidConfigurationException e =
        catchThrowableOfType(
            InvalidConfigurationException.class,
            () -> configuration.sendGridWebhookVerifier(config, Clock.systemUTC(), json));

    assertThat(e.problems())
        .singleElement()
        .asString()
        .startsWith("SENDGRID_WEBHOOK_PUBLIC_KEY: ")
        .doesNotContain("bm90LWEta2V5LWF0LWFsbA");
  }

  @Test
  void resendVerifierWhenSecretNotBase64ThenStartupProblemNamesVariableNotValue() {
    SwitchboardConfig config = config(Map.of("RESEND_WEBHOOK_SECRET", "whsec_not*base64*secret"));

    InvalidConfigurationException e =
        catchThrowableOfType(
            InvalidConfigurationException.class,
            () -> configuration.resendWebhookVerifier(config, Clock.systemUTC(), json));

    assertThat(e.problems())
        .singleElement()
        .asString()
        .startsWith("RESEND_WEBHOOK_SECRET: ")
        .doesNotContain("not*base64*secret");
  }

  @Test
  void resendSecretWhenSetToOnlySeparatorsThenStartupProblemInsteadOfNoVerifier() {
    InvalidConfigurationException e =
        catchThrowableOfType(
            InvalidConfigurationException.class,
            () -> config(Map.of("RESEND_WEBHOOK_SECRET", " , ")));

    assertThat(e.problems()).singleElement().asString().startsWith("RESEND_WEBHOOK_SECRET: ");
  }
}
