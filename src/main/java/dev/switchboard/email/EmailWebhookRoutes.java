package dev.switchboard.email;

import dev.switchboard.platform.http.ApiException;
import dev.switchboard.platform.webhooks.WebhookHeaders;
import dev.switchboard.platform.webhooks.WebhookVerifier;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/webhooks/email/{provider}}: delivery events from SendGrid, Postmark and Resend.
 * No API key (the provider cannot send one): the provider's signature or credentials, checked on
 * the raw bytes, authenticate the call. Events go to the {@link DeliveryEventSink}, which stores
 * them and tells duplicates apart; the answer is sent only after every event is recorded, so a
 * failure makes the provider retry and nothing is lost.
 */
@RestController
public class EmailWebhookRoutes {

  /**
   * Providers that send delivery webhooks; the other email providers ({@code smtp}, {@code outbox})
   * have none.
   */
  static final Set<String> PROVIDERS = Set.of("sendgrid", "postmark", "resend");

  private final Map<String, WebhookVerifier<List<DeliveryEvent>>> verifiers;
  private final ObjectProvider<DeliveryEventSink> sink;

  public EmailWebhookRoutes(
      ObjectProvider<WebhookVerifier<List<DeliveryEvent>>> verifiers,
      ObjectProvider<DeliveryEventSink> sink) {
    this.verifiers =
        verifiers.stream()
            .collect(Collectors.toUnmodifiableMap(WebhookVerifier::provider, Function.identity()));
    this.sink = sink;
  }

  /** What the provider is told: events recorded, and how many of them had been recorded before. */
  public record Received(int received, int duplicates) {}

  @PostMapping("/api/webhooks/email/{provider}")
  public Received receive(
      @PathVariable String provider,
      @RequestBody(required = false) byte[] body,
      HttpServletRequest request) {
    if (!PROVIDERS.contains(provider)) {
      throw ApiException.notFound("Email webhook provider");
    }
    WebhookVerifier<List<DeliveryEvent>> verifier = verifiers.get(provider);
    if (verifier == null) {
      throw new ApiException(
          404,
          "webhook_not_configured",
          "Delivery webhooks from "
              + provider
              + " are not configured; set its webhook secret (docs/email-webhooks.md).");
    }
    List<DeliveryEvent> events =
        verifier.verify(WebhookHeaders.of(request), body == null ? new byte[0] : body);
    DeliveryEventSink recorder = sink.getIfAvailable();
    if (recorder == null) {
      // Only while the email service is not wired in; a 5xx makes the provider deliver the events
      // again later.
      throw new ApiException(
          503,
          "email_events_unavailable",
          "Delivery events cannot be recorded right now.",
          true,
          null,
          Map.of("Retry-After", "60"));
    }
    int duplicates = 0;
    for (DeliveryEvent event : events) {
      if (!recorder.record(event)) {
        duplicates++;
      }
    }
    return new Received(events.size(), duplicates);
  }
}
