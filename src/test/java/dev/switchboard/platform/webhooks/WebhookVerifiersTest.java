package dev.switchboard.platform.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.platform.http.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

class WebhookVerifiersTest {

  /** Reads a body that says "ok"; refuses anything else, and keeps the headers it was given. */
  static final class FakeVerifier implements WebhookVerifier<String> {
    final String provider;
    Map<String, String> headers;

    FakeVerifier(String provider) {
      this.provider = provider;
    }

    @Override
    public String provider() {
      return provider;
    }

    @Override
    public String verify(Map<String, String> headers, byte[] body) {
      this.headers = headers;
      if (!new String(body, StandardCharsets.UTF_8).equals("ok")) {
        throw new ApiException(400, "invalid_signature", "no");
      }
      return provider + " event";
    }
  }

  final FakeVerifier resend = new FakeVerifier("resend");
  final WebhookVerifiers<String> verifiers =
      new WebhookVerifiers<>(
          List.of(resend, new FakeVerifier("resend")), p -> p + " is not configured");

  @Test
  void verifyWhenProviderHasAVerifierThenItsReadingWithTheRequestHeaders() {
    MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/webhooks/x");
    request.addHeader("Svix-Id", "first");
    request.addHeader("Svix-Id", "second");

    assertThat(
            verifiers.verify(
                "resend", WebhookHeaders.of(request), "ok".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo("resend event");
    assertThat(resend.headers).containsExactly(Map.entry("svix-id", "first"));
    assertThat(verifiers.accepts("resend")).isTrue();
  }

  @Test
  void verifyWhenNoBodyThenCheckedAsEmptyAndRefused() {
    assertThatThrownBy(() -> verifiers.verify("resend", Map.of(), null))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.code()).isEqualTo("invalid_signature"));
  }

  @Test
  void verifyWhenProviderHasNoVerifierThenNotConfiguredWithTheAreasMessage() {
    assertThatThrownBy(
            () -> verifiers.verify("postmark", Map.of(), "ok".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(404);
              assertThat(e.code()).isEqualTo("webhook_not_configured");
              assertThat(e.getMessage()).isEqualTo("postmark is not configured");
            });
    assertThat(verifiers.accepts("postmark")).isFalse();
  }
}
