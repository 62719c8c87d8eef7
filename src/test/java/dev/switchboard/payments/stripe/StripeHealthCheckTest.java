package dev.switchboard.payments.stripe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.switchboard.payments.PaymentGateway;
import dev.switchboard.payments.PaymentStore;
import dev.switchboard.platform.integrations.HealthResult;
import dev.switchboard.platform.integrations.HealthStatus;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StripeHealthCheckTest {

  static final Instant NOW = Instant.parse("2026-05-01T12:00:00Z");
  final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  // A store answers many questions; the check asks one, so a mock is the cheap seam here.
  final PaymentStore store = mock(PaymentStore.class);

  static PaymentGateway gateway(HealthResult health) {
    return new PaymentGateway() {
      @Override
      public String id() {
        return "stripe";
      }

      @Override
      public CheckoutSession checkout(CheckoutRequest request) {
        throw new UnsupportedOperationException();
      }

      @Override
      public String portal(String customerId, URI returnUrl, String idempotencyKey) {
        throw new UnsupportedOperationException();
      }

      @Override
      public HealthResult health() {
        return health;
      }
    };
  }

  @Test
  void checkWhenApiUpAndSecretSetThenUpWithLastWebhookAge() throws Exception {
    when(store.lastReceived("stripe")).thenReturn(Optional.of(NOW.minusSeconds(90)));

    HealthResult result =
        new StripeHealthCheck(
                Optional.of(gateway(HealthResult.up("API reachable"))), true, store, clock)
            .check();

    assertThat(result.status()).isEqualTo(HealthStatus.UP);
    assertThat(result.detail())
        .contains("API reachable")
        .contains("webhook verification configured")
        .contains("last webhook 90 s ago");
  }

  @Test
  void checkWhenNoWebhookSecretThenDegraded() throws Exception {
    when(store.lastReceived("stripe")).thenReturn(Optional.empty());

    HealthResult result =
        new StripeHealthCheck(
                Optional.of(gateway(HealthResult.up("API reachable"))), false, store, clock)
            .check();

    assertThat(result.status()).isEqualTo(HealthStatus.DEGRADED);
    assertThat(result.detail())
        .contains("webhook secret missing: set STRIPE_WEBHOOK_SECRET")
        .contains("last webhook never");
  }

  @Test
  void checkWhenNoGatewayThenDegradedNamingTheVariable() throws Exception {
    HealthResult result = new StripeHealthCheck(Optional.empty(), false, store, clock).check();

    assertThat(result.status()).isEqualTo(HealthStatus.DEGRADED);
    assertThat(result.detail()).contains("STRIPE_SECRET_KEY");
  }
}
