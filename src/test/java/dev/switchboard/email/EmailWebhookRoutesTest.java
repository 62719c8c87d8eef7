package dev.switchboard.email;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.platform.http.ApiException;
import dev.switchboard.platform.webhooks.WebhookVerifier;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.core.ResolvableType;
import org.springframework.mock.web.MockHttpServletRequest;

class EmailWebhookRoutesTest {

  static final DeliveryEvent EVENT =
      new DeliveryEvent(
          "resend",
          "ev_1",
          Optional.of("msg_1"),
          Optional.empty(),
          DeliveryEvent.Type.DELIVERED,
          "a@example.com",
          Instant.parse("2026-05-01T12:00:00Z"),
          "delivered");

  /** Accepts a body that says "ok" and records the headers it was given; refuses anything else. */
  static final class FakeVerifier implements WebhookVerifier<List<DeliveryEvent>> {
    Map<String, String> headers;

    @Override
    public String provider() {
      return "resend";
    }

    @Override
    public List<DeliveryEvent> verify(Map<String, String> headers, byte[] body) {
      this.headers = headers;
      if (!new String(body, StandardCharsets.UTF_8).equals("ok")) {
        throw new ApiException(400, "invalid_signature", "no");
      }
      return List.of(EVENT, EVENT);
    }
  }

  final FakeVerifier verifier = new FakeVerifier();

  EmailWebhookRoutes routes(Map<String, Object> beans) {
    StaticListableBeanFactory factory = new StaticListableBeanFactory(new HashMap<>(beans));
    return new EmailWebhookRoutes(
        factory.getBeanProvider(
            ResolvableType.forClassWithGenerics(
                WebhookVerifier.class,
                ResolvableType.forClassWithGenerics(List.class, DeliveryEvent.class))),
        factory.getBeanProvider(DeliveryEventSink.class));
  }

  static MockHttpServletRequest request() {
    MockHttpServletRequest request =
        new MockHttpServletRequest("POST", "/api/webhooks/email/resend");
    request.addHeader("Svix-Id", "first");
    request.addHeader("Svix-Id", "second");
    return request;
  }

  @Test
  void receiveWhenVerifiedThenEveryEventRecordedAndDuplicatesCounted() {
    EmailWebhooksIT.RecordingSink sink = new EmailWebhooksIT.RecordingSink();

    EmailWebhookRoutes.Received received =
        routes(Map.of("v", verifier, "sink", sink))
            .receive("resend", "ok".getBytes(StandardCharsets.UTF_8), request());

    assertThat(received).isEqualTo(new EmailWebhookRoutes.Received(2, 1));
    assertThat(sink.events()).containsExactly(EVENT, EVENT);
    assertThat(verifier.headers).containsEntry("svix-id", "first");
  }

  @Test
  void receiveWhenNoBodyThenVerifierGetsEmptyBytes() {
    EmailWebhooksIT.RecordingSink sink = new EmailWebhooksIT.RecordingSink();

    assertThatThrownBy(
            () -> routes(Map.of("v", verifier, "sink", sink)).receive("resend", null, request()))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.code()).isEqualTo("invalid_signature"));
    assertThat(sink.events()).isEmpty();
  }

  @Test
  void receiveWhenProviderUnknownOrUnconfiguredThenNotFoundCodes() {
    EmailWebhookRoutes routes =
        routes(Map.of("v", verifier, "sink", new EmailWebhooksIT.RecordingSink()));

    assertThatThrownBy(() -> routes.receive("smtp", new byte[0], request()))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.code()).isEqualTo("not_found"));
    assertThatThrownBy(() -> routes.receive("postmark", new byte[0], request()))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(404);
              assertThat(e.code()).isEqualTo("webhook_not_configured");
            });
  }

  @Test
  void receiveWhenNoSinkThenForgedStill400AndVerifiedIs503ForProviderRetry() {
    EmailWebhookRoutes routes = routes(Map.of("v", verifier));

    assertThatThrownBy(
            () -> routes.receive("resend", "forged".getBytes(StandardCharsets.UTF_8), request()))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(400));
    assertThatThrownBy(
            () -> routes.receive("resend", "ok".getBytes(StandardCharsets.UTF_8), request()))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(503);
              assertThat(e.retryable()).isTrue();
              assertThat(e.headers()).containsKey("Retry-After");
            });
  }
}
