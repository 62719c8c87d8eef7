package dev.switchboard.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.platform.config.Secret;
import dev.switchboard.platform.config.SwitchboardConfig;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretAgesTest {

  static final Instant T0 = Instant.parse("2026-01-01T09:00:00Z");
  static final String STRIPE = "sk_test_51SecretAgesStripeKey0123456789";

  /** Fingerprints and first-seen days in memory. */
  static final class Fingerprints extends InMemoryAlertStore {
    final Map<String, LocalDate> seen = new HashMap<>();

    @Override
    public byte[] fingerprintKey() {
      return new byte[] {1, 2, 3, 4, 5, 6, 7, 8};
    }

    @Override
    public LocalDate firstSeen(String name, String fingerprint, LocalDate today) {
      return seen.computeIfAbsent(name + "/" + fingerprint, k -> today);
    }
  }

  final Fingerprints store = new Fingerprints();
  final AlertsConfig.Rules rules = AlertsConfig.Rules.defaults();

  SecretAges ages(String stripeKey) {
    return new SecretAges(
        store,
        SwitchboardConfig.load(
            Map.of(
                    "STRIPE_SECRET_KEY",
                    stripeKey,
                    "STRIPE_WEBHOOK_SECRET",
                    "whsec_SecretAgesWebhook0123456789",
                    "PAGERDUTY_ROUTING_KEY",
                    "R0ut1ngKeyR0ut1ngKeyR0ut1ngKey32")
                ::get),
        rules);
  }

  @Test
  void namesWhenConfiguredThenEverySecretByItsVariable() {
    assertThat(ages(STRIPE).names()).contains("STRIPE_SECRET_KEY", "PAGERDUTY_ROUTING_KEY");
  }

  @Test
  void firingWhenFourteenDaysBeforeNinetyThenDueAndAfterRotationNot() {
    assertThat(ages(STRIPE).firing(T0)).isEmpty();
    assertThat(ages(STRIPE).firing(T0.plus(Duration.ofDays(75)))).isEmpty();

    assertThat(ages(STRIPE).firing(T0.plus(Duration.ofDays(76))))
        .extracting(AlertSignal::subject)
        .contains("STRIPE_SECRET_KEY");
    assertThat(ages(STRIPE).firing(T0.plus(Duration.ofDays(76))))
        .first()
        .extracting(AlertSignal::detail)
        .asString()
        .contains("rotate it before 2026-04-01");

    SecretAges rotated = ages("sk_test_51SecretAgesStripeKeyRotated999");
    assertThat(rotated.firing(T0.plus(Duration.ofDays(76))))
        .extracting(AlertSignal::subject)
        .doesNotContain("STRIPE_SECRET_KEY");
    assertThat(rotated.cleared("STRIPE_SECRET_KEY", T0.plus(Duration.ofDays(76)))).isTrue();
  }

  @Test
  void fingerprintWhenComputedThenKeyedAndNeverTheValue() {
    Secret secret = Secret.of(STRIPE);
    String a = SecretAges.fingerprint(new byte[] {1}, secret);
    assertThat(a)
        .hasSize(64)
        .doesNotContain("SecretAges")
        .isNotEqualTo(SecretAges.fingerprint(new byte[] {2}, secret));
    assertThat(store.seen.keySet()).allSatisfy(k -> assertThat(k).doesNotContain(STRIPE));
  }
}
