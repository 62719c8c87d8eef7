package dev.switchboard.platform.readiness;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.platform.config.EnvironmentVariables;
import dev.switchboard.platform.config.SwitchboardConfig;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

class StartupReadinessTest {

  static StartupReadiness readiness(MockEnvironment environment) {
    SwitchboardConfig config =
        SwitchboardConfig.load(name -> EnvironmentVariables.get(environment, name));
    return new StartupReadiness(config, environment);
  }

  @Test
  void startupWhenDevelopmentWithTypoThenOnlyTheTypoIsWarned() {
    MockEnvironment env =
        new MockEnvironment()
            .withProperty("EMAIL_PROVDER", "sendgrid")
            .withProperty("SENDGRID_APIKEY", "SG.value-never-logged")
            .withProperty("spring.main.banner-mode", "off");

    assertThat(readiness(env).startupWarnings())
        .containsExactly(
            "EMAIL_PROVDER is not a Switchboard variable and is ignored; did you mean EMAIL_PROVIDER?",
            "SENDGRID_APIKEY is not a Switchboard variable and is ignored; did you mean SENDGRID_API_KEY?");
  }

  @Test
  void startupWhenProductionOnOneBoxWithTestKeyThenWarnsSingleBoxAndTestMode() {
    MockEnvironment env =
        new MockEnvironment()
            .withProperty("SWITCHBOARD_ENV", "production")
            .withProperty("SWITCHBOARD_PUBLIC_URL", "https://api.example.com")
            .withProperty("EMAIL_PROVIDER", "postmark")
            .withProperty("POSTMARK_SERVER_TOKEN", "token")
            .withProperty("EMAIL_FROM", "no-reply@example.com")
            .withProperty("AUTH_OAUTH_PROVIDERS", "none")
            .withProperty("STRIPE_SECRET_KEY", "sk_test_abc123")
            .withProperty("STRIPE_WEBHOOK_SECRET", "whsec_SigningSecretValueAbcdEfgh12345678")
            .withProperty("SWITCHBOARD_DATA_DIR", "target/startup-readiness");

    assertThat(readiness(env).startupWarnings())
        .anySatisfy(
            l ->
                assertThat(l)
                    .startsWith("Production warning: STRIPE_SECRET_KEY is a test-mode key"))
        .anySatisfy(
            l ->
                assertThat(l)
                    .startsWith("Single box: DATABASE_URL: H2 file database")
                    .contains("one instance only")
                    .contains("back up"))
        .anySatisfy(
            l -> assertThat(l).startsWith("Single box: STORAGE_PROVIDER: uploads are files"))
        .noneSatisfy(l -> assertThat(l).contains("abc123"));
  }
}
