package dev.switchboard.email;

import dev.switchboard.platform.http.ApiException;
import dev.switchboard.platform.webhooks.WebhookHeaders;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Set;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/webhooks/email/{provider}}: delivery events from SendGrid, Postmark and Resend.
 * No API key (the provider cannot send one): the provider's signature or credentials, checked on
 * the raw bytes (the body is taken as {@code byte[]}, never bound to an object), authenticate the
 * call. The {@link DeliveryEventIngest} stores the events and queues their jobs before the answer,
 * so a failure makes the provider retry and nothing is lost.
 */
@RestController
public class EmailWebhookRoutes {

  /**
   * Providers that send delivery webhooks; the other email providers ({@code smtp}, {@code outbox})
   * have none.
   */
  static final Set<String> PROVIDERS = Set.of("sendgrid", "postmark", "resend");

  private final DeliveryEventIngest ingest;

  public EmailWebhookRoutes(DeliveryEventIngest ingest) {
    this.ingest = ingest;
  }

  @PostMapping("/api/webhooks/email/{provider}")
  public DeliveryEventIngest.Received receive(
      @PathVariable String provider, HttpServletRequest request) {
    if (!PROVIDERS.contains(provider)) {
      throw ApiException.notFound("Email webhook provider");
    }
    return ingest.receive(provider, WebhookHeaders.of(request), WebhookHeaders.body(request));
  }
}
