package dev.switchboard.platform.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProductionSafetyTest {

  static final String GOOD_KEY = "Xq3vR8tLm2Pz7KwN9bYc4HdJ6fGs1AeU";
  static final String GOOD_WEBHOOK = "whsec_Mx7Qp2Lr9Tz4Vb8Nc3Kd6Hf1Gj5Ws0Ya";

  /** A production environment that starts: every refusal test changes one variable of it. */
  static Map<String, String> production() {
    Map<String, String> env =
        new HashMap<>(
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
                "none",
                "SWITCHBOARD_ADMIN_API_KEY",
                "sk_" + GOOD_KEY,
                "SWITCHBOARD_AUTH_KEY_SECRET",
                GOOD_KEY));
    env.put("STRIPE_SECRET_KEY", "sk_live_abc123DEF456");
    env.put("STRIPE_WEBHOOK_SECRET", GOOD_WEBHOOK);
    return env;
  }

  static SwitchboardConfig load(Map<String, String> env) {
    return SwitchboardConfig.load(env::get);
  }

  static void assertRefused(Map<String, String> env, String variable, String fragment) {
    assertThatThrownBy(() -> load(env))
        .isInstanceOfSatisfying(
            InvalidConfigurationException.class,
            e ->
                assertThat(e.problems())
                    .anySatisfy(p -> assertThat(p).startsWith(variable + ": ").contains(fragment)));
  }

  static Map<String, String> with(String name, String value) {
    Map<String, String> env = production();
    env.put(name, value);
    return env;
  }

  @Test
  void loadWhenSafeProductionThenStartsWithoutFindings() {
    assertThat(ProductionSafety.findings(load(production()))).isEmpty();
  }

  @Test
  void loadWhenAdminKeyIsOneRepeatedCharacterThenRefusedNamingIt() {
    assertRefused(
        with("SWITCHBOARD_ADMIN_API_KEY", "a".repeat(40)),
        "SWITCHBOARD_ADMIN_API_KEY",
        "one repeated character");
  }

  @Test
  void loadWhenAuthKeySecretHasLowEntropyThenRefusedNamingIt() {
    assertRefused(
        with("SWITCHBOARD_AUTH_KEY_SECRET", "abababababababababababababababab"),
        "SWITCHBOARD_AUTH_KEY_SECRET",
        "only 2 different characters");
    assertRefused(
        with("SWITCHBOARD_AUTH_KEY_SECRET", "passwordpasswordpasswordpassword"),
        "SWITCHBOARD_AUTH_KEY_SECRET",
        "different characters");
  }

  @Test
  void loadWhenStripeWebhookSecretIsWhsecXThenRefused() {
    assertRefused(
        with("STRIPE_WEBHOOK_SECRET", "whsec_x"), "STRIPE_WEBHOOK_SECRET", "not one Stripe issued");
    assertRefused(
        with("STRIPE_WEBHOOK_SECRET", GOOD_WEBHOOK + ",whsec_x"),
        "STRIPE_WEBHOOK_SECRET",
        "too short");
  }

  @Test
  void loadWhenPublicUrlIsLocalhostThenRefused() {
    assertRefused(
        with("SWITCHBOARD_PUBLIC_URL", "https://localhost"),
        "SWITCHBOARD_PUBLIC_URL",
        "points at this machine");
    assertRefused(
        with("SWITCHBOARD_PUBLIC_URL", "https://127.0.0.1:8443"),
        "SWITCHBOARD_PUBLIC_URL",
        "points at this machine");
  }

  @Test
  void loadWhenHttpOriginInAllowlistThenRefusedUnlessLoopbackWhichWarns() {
    assertRefused(
        with("SWITCHBOARD_REDIRECT_ALLOWLIST", "https://app.example.com,http://app.example.com"),
        "SWITCHBOARD_REDIRECT_ALLOWLIST",
        "unencrypted");
    SwitchboardConfig local = load(with("SWITCHBOARD_REDIRECT_ALLOWLIST", "http://localhost:3000"));
    assertThat(ProductionSafety.findings(local))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.kind()).isEqualTo(ConfigFinding.Kind.WARNING);
              assertThat(f.variable()).isEqualTo("SWITCHBOARD_REDIRECT_ALLOWLIST");
            });
  }

  @Test
  void loadWhenStripeTestKeyInProductionThenStartsWithWarning() {
    SwitchboardConfig config = load(with("STRIPE_SECRET_KEY", "sk_test_abc123DEF456"));
    assertThat(ProductionSafety.findings(config))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.kind()).isEqualTo(ConfigFinding.Kind.WARNING);
              assertThat(f.variable()).isEqualTo("STRIPE_SECRET_KEY");
              assertThat(f.message()).contains("test-mode").doesNotContain("abc123DEF456");
            });
  }

  @Test
  void loadWhenSmtpWithoutTlsThenStartsWithWarningAndAuthenticatedOrSmtpsOrLocalRelayDoNot() {
    Map<String, String> env = production();
    env.put("EMAIL_PROVIDER", "smtp");
    env.put("SMTP_URL", "smtp://mail.example.com:25");
    assertThat(ProductionSafety.findings(load(env)))
        .singleElement()
        .satisfies(f -> assertThat(f.variable()).isEqualTo("SMTP_URL"));
    for (String safe :
        List.of(
            "smtps://u:pw-secret@mail.example.com:465",
            "smtp://u:pw-secret@mail.example.com:587",
            "smtp://localhost:25")) {
      env.put("SMTP_URL", safe);
      assertThat(ProductionSafety.findings(load(env)))
          .as(safe.replaceAll("pw-secret", "****"))
          .isEmpty();
    }
  }

  @Test
  void loadWhenDevelopmentThenNothingRefusedButFindingsReported() {
    Map<String, String> env =
        new HashMap<>(
            Map.of(
                "SWITCHBOARD_ADMIN_API_KEY",
                "a".repeat(40),
                "STRIPE_SECRET_KEY",
                "sk_test_abc",
                "STRIPE_WEBHOOK_SECRET",
                "whsec_x"));
    SwitchboardConfig config = load(env);
    assertThat(ProductionSafety.findings(config))
        .extracting(ConfigFinding::variable)
        .contains(
            "SWITCHBOARD_ADMIN_API_KEY",
            "STRIPE_WEBHOOK_SECRET",
            "SWITCHBOARD_PUBLIC_URL",
            "STRIPE_SECRET_KEY");
  }

  @Test
  void findingsWhenWeakSecretsThenValueNeverQuoted() {
    Map<String, String> env =
        with("SWITCHBOARD_AUTH_KEY_SECRET", "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz");
    env.put("STRIPE_WEBHOOK_SECRET", "whsec_shortsecret");
    assertThatThrownBy(() -> load(env))
        .isInstanceOfSatisfying(
            InvalidConfigurationException.class,
            e ->
                assertThat(e.getMessage())
                    .doesNotContain("zzzzzzzz")
                    .doesNotContain("shortsecret"));
  }

  @Test
  void weaknessWhenRandomKeysThenNone() {
    assertThat(ProductionSafety.weakness(GOOD_KEY)).isEmpty();
    assertThat(ProductionSafety.weakness("3f9a1c7e5b2d8046af13c9e7b5d2f8a0")).isEmpty();
  }
}
