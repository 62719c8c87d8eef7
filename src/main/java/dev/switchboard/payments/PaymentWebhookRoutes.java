package dev.switchboard.payments;

import dev.switchboard.platform.webhooks.WebhookHeaders;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/webhooks/stripe} and {@code POST /api/webhooks/paypal}. No API key: the
 * provider's signature, checked on the raw bytes (the body is taken as {@code byte[]}, never bound
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
  public WebhookIngest.Received stripe(
      @RequestBody(required = false) byte[] body, HttpServletRequest request) {
    return ingest.receive("stripe", WebhookHeaders.of(request), body == null ? new byte[0] : body);
  }

  @PostMapping("/api/webhooks/paypal")
  public WebhookIngest.Received paypal(
      @RequestBody(required = false) byte[] body, HttpServletRequest request) {
    return ingest.receive("paypal", WebhookHeaders.of(request), body == null ? new byte[0] : body);
  }
}
