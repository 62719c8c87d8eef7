package dev.switchboard.payments;

import dev.switchboard.platform.webhooks.WebhookHeaders;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/webhooks/stripe} and {@code POST /api/webhooks/paypal}. No API key: the
 * provider's signature, checked on the raw bytes (read from the request as they came, never bound
 * to an object), authenticates the call. A duplicate is answered 200 like the first delivery, so
 * the provider stops retrying it.
 */
@RestController
public class PaymentWebhookRoutes {

  private final WebhookIngest ingest;

  public PaymentWebhookRoutes(WebhookIngest ingest) {
    this.ingest = ingest;
  }

  @PostMapping("/api/webhooks/stripe")
  public WebhookIngest.Received stripe(HttpServletRequest request) {
    return ingest.receive("stripe", WebhookHeaders.of(request), WebhookHeaders.body(request));
  }

  @PostMapping("/api/webhooks/paypal")
  public WebhookIngest.Received paypal(HttpServletRequest request) {
    return ingest.receive("paypal", WebhookHeaders.of(request), WebhookHeaders.body(request));
  }
}
