package dev.switchboard.payments;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Collections;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/webhooks/stripe} and {@code POST /api/webhooks/paypal}. No API key: the provider's signature,
 * checked on the raw bytes (the body is taken as {@code byte[]}, never bound to an object), authenticates the call.
 * A duplicate is answered 200 like the first delivery, so the provider stops retrying it.
 */
@RestController
public class PaymentWebhookRoutes {

  private final WebhookIngest ingest;

  public PaymentWebhookRoutes(WebhookIngest ingest) {
    this.ingest = ingest;
  }

  @PostMapping("/api/webhooks/stripe")
  public WebhookIngest.Received stripe(@RequestBody(required = false) byte[] body, HttpServletRequest request) {
    return ingest.receive("stripe", headers(request), body == null ? new byte[0] : body);
  }

  @PostMapping("/api/webhooks/paypal")
  public WebhookIngest.Received paypal(@RequestBody(required = false) byte[] body, HttpServletRequest request) {
    return ingest.receive("paypal", headers(request), body == null ? new byte[0] : body);
  }

  private static Map<String, String> headers(HttpServletRequest request) {
    Map<String, String> headers = new HashMap<>();
    for (String name : Collections.list(request.getHeaderNames())) {
      headers.putIfAbsent(name.toLowerCase(Locale.ROOT), request.getHeader(name));
    }
    return headers;
  }
}
