package dev.switchboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.email.resend.ResendTestSigner;
import dev.switchboard.email.sendgrid.SendGridTestSigner;
import dev.switchboard.testing.HttpTestClient;
import dev.switchboard.testing.JarProcess;
import dev.switchboard.testing.TestKeys;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The providers that environment variables switch on, in the packaged jar started as {@code
 * scripts/run.sh} starts it: with the build's Spring AOT bean definitions, which were written in an
 * environment where none of these variables was set. A provider whose choice had been made at build
 * time (a condition) would be missing here.
 */
class ProviderSwitchJarIT {

  /** Nothing listens there: the health checks fail fast instead of calling the providers. */
  static final String NOWHERE = "http://127.0.0.1:9";

  static Map<String, String> everyProvider() {
    return Map.ofEntries(
        Map.entry("SWITCHBOARD_ADMIN_API_KEY", TestKeys.ADMIN),
        Map.entry("REDIS_URL", "redis://127.0.0.1:6379"),
        Map.entry("STRIPE_SECRET_KEY", "sk_test_providerswitch123456"),
        Map.entry("STRIPE_WEBHOOK_SECRET", "whsec_provider_switch_123456"),
        Map.entry("STRIPE_API_BASE", NOWHERE),
        Map.entry("PAYPAL_CLIENT_ID", "paypal-client"),
        Map.entry("PAYPAL_CLIENT_SECRET", "paypal-secret-123456"),
        Map.entry("PAYPAL_WEBHOOK_ID", "WH-123456"),
        Map.entry("PAYPAL_API_BASE", NOWHERE),
        Map.entry("SEGMENT_WRITE_KEY", "segment-write-key"),
        Map.entry("SEGMENT_API_URL", NOWHERE),
        Map.entry("POSTHOG_API_KEY", "phc_provider_switch"),
        Map.entry("POSTHOG_HOST", NOWHERE),
        Map.entry("SENDGRID_WEBHOOK_PUBLIC_KEY", new SendGridTestSigner().publicKey()),
        Map.entry("POSTMARK_WEBHOOK_CREDENTIALS", "postmark:hook-password-123"),
        Map.entry("RESEND_WEBHOOK_SECRET", new ResendTestSigner("switch").secret()));
  }

  @Test
  void startWhenEveryProviderConfiguredThenEachIsSwitchedOnAndTheDevCheckoutOff() throws Exception {
    try (JarProcess app = startAsRunShStartsIt("providers", everyProvider())) {
      HttpTestClient http = new HttpTestClient(app.port()).authorized(TestKeys.ADMIN);
      assertThat(http.get("/api/integrations").body())
          .contains("\"id\":\"redis\"")
          .contains("\"id\":\"payments.paypal\"")
          .contains("\"id\":\"analytics.segment\"")
          .contains("\"id\":\"analytics.posthog\"")
          .containsPattern("\"id\":\"payments\\.stripe\",[^}]*\"provider\":\"stripe\"");
      assertThat(http.get("/payments/dev/checkout/cs_dev_none").body())
          .contains("dev_checkout_disabled");
      for (String provider : new String[] {"sendgrid", "postmark", "resend"}) {
        assertThat(http.post("/api/webhooks/email/" + provider, "[]").body())
            .as(provider)
            .doesNotContain("webhook_not_configured");
      }
    }
  }

  @Test
  void startWhenNoProviderConfiguredThenEmbeddedDefaults() throws Exception {
    try (JarProcess app =
        startAsRunShStartsIt("no-providers", Map.of("SWITCHBOARD_ADMIN_API_KEY", TestKeys.ADMIN))) {
      HttpTestClient http = new HttpTestClient(app.port()).authorized(TestKeys.ADMIN);
      assertThat(http.get("/api/integrations").body())
          .doesNotContain("\"id\":\"redis\"")
          .doesNotContain("\"id\":\"payments.paypal\"")
          .doesNotContain("\"id\":\"analytics.segment\"")
          .doesNotContain("\"id\":\"analytics.posthog\"")
          .containsPattern("\"id\":\"payments\\.stripe\",[^}]*\"provider\":\"dev\"");
      assertThat(http.get("/payments/dev/checkout/cs_dev_none").body())
          .doesNotContain("dev_checkout_disabled");
      assertThat(http.post("/api/webhooks/email/postmark", "[]").body())
          .contains("webhook_not_configured");
    }
  }

  /**
   * Starts the jar and waits for ready. With the class cache (the build's integration tests), the
   * AOT bean definitions run too.
   */
  private static JarProcess startAsRunShStartsIt(String name, Map<String, String> environment)
      throws Exception {
    JarProcess app = JarProcess.start(name, environment).awaitReady(Duration.ofSeconds(180));
    if (Boolean.getBoolean(JarProcess.CLASS_CACHE_PROPERTY) && Runtime.version().feature() >= 25) {
      try {
        assertThat(JarProcess.springAot())
            .as("the jar holds Spring AOT's bean definitions")
            .isTrue();
        assertThat(app.output()).contains("Starting AOT-processed Switchboard");
      } catch (AssertionError | Exception e) {
        app.close();
        throw e;
      }
    }
    return app;
  }
}
