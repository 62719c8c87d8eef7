package dev.switchboard.payments;

import static dev.switchboard.payments.PaymentsTestKit.CLOCK;
import static dev.switchboard.payments.PaymentsTestKit.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.payments.PaymentsTestKit.CountingTransactions;
import dev.switchboard.platform.db.GroupCommits;
import dev.switchboard.platform.http.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Intake: verify, store by event id, queue the job, in one transaction; a verifier stand-in decides
 * validity.
 */
class WebhookIngestTest {

  final FakePaymentStore store = new FakePaymentStore();
  final CountingTransactions transactions = new CountingTransactions();
  final List<String> queued = new ArrayList<>();

  /** Accepts a body {@code ok:<id>}; refuses anything else as Stripe's verifier does. */
  final WebhookVerifier verifier =
      new WebhookVerifier() {
        @Override
        public String provider() {
          return "stripe";
        }

        @Override
        public ReceivedEvent verify(Map<String, String> headers, byte[] body) {
          String text = new String(body, StandardCharsets.UTF_8);
          if (!text.startsWith("ok:")) {
            throw new ApiException(400, "invalid_signature", "No v1 signature matches.");
          }
          String id = text.substring(3);
          return new ReceivedEvent(
              "stripe", id, "invoice.paid", T0, text, Optional.of("cus_of_" + id));
        }
      };

  final WebhookIngest ingest =
      new WebhookIngest(
          Map.of("stripe", verifier),
          store,
          (provider, id, reason) -> queued.add(provider + ":" + id),
          GroupCommits.of(transactions),
          CLOCK);

  WebhookIngest.Received receive(String provider, String body) {
    return ingest.receive(provider, Map.of(), body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void receiveWhenVerifiedThenStoredWithItsCustomerAndQueuedInOneCommit() {
    WebhookIngest.Received answer = receive("stripe", "ok:evt_1");

    assertThat(answer).isEqualTo(new WebhookIngest.Received(true, "evt_1", false));
    assertThat(store.event("stripe", "evt_1"))
        .hasValueSatisfying(e -> assertThat(e.status()).isEqualTo(StoredEvent.RECEIVED));
    assertThat(store.customerOfEvent("stripe", "evt_1")).contains("cus_of_evt_1");
    assertThat(queued).containsExactly("stripe:evt_1");
    assertThat(transactions.commits).isEqualTo(1);
  }

  @Test
  void receiveWhenRedeliveredThenDuplicateAndNotQueuedAgain() {
    receive("stripe", "ok:evt_1");

    WebhookIngest.Received again = receive("stripe", "ok:evt_1");

    assertThat(again.duplicate()).isTrue();
    assertThat(queued).containsExactly("stripe:evt_1");
  }

  @Test
  void receiveWhenSignatureRefusedThenNothingStoredOrQueued() {
    assertThatThrownBy(() -> receive("stripe", "forged"))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.code()).isEqualTo("invalid_signature"));

    assertThat(store.recentEvents(10)).isEmpty();
    assertThat(queued).isEmpty();
    assertThat(transactions.commits).isZero();
  }

  @Test
  void receiveWhenProviderNotConfiguredThen404AndNothingStored() {
    assertThatThrownBy(() -> receive("paypal", "ok:WH-1"))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(404);
              assertThat(e.code()).isEqualTo("webhook_not_configured");
            });
    assertThat(ingest.accepts("paypal")).isFalse();
    assertThat(ingest.accepts("stripe")).isTrue();
    assertThat(store.recentEvents(10)).isEmpty();
  }
}
