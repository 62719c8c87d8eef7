package dev.switchboard.payments;

import dev.switchboard.platform.http.JsonAnswer;
import dev.switchboard.platform.webhooks.WebhookHeaders;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /api/webhooks/stripe} and {@code POST /api/webhooks/paypal}. No API key: the
 * provider's signature, checked on the raw bytes (read from the request as they came, never bound
 * to an object), authenticates the call. A duplicate is answered 200 like the first delivery, so
 * the provider stops retrying it. The answer is written by a writer built once ({@link JsonAnswer}:
 * the bytes and headers of a returned body, without the converter lookup per request; this path
 * carries traffic).
 */
@RestController
public class PaymentWebhookRoutes {

  private final WebhookIngest ingest;
  private final ObjectWriter answer;

  public PaymentWebhookRoutes(WebhookIngest ingest, JsonMapper json) {
    this.ingest = ingest;
    this.answer = json.writerFor(WebhookIngest.Received.class);
  }

  @PostMapping("/api/webhooks/stripe")
  public void stripe(HttpServletRequest request, HttpServletResponse response)
      throws IOException, HttpMediaTypeNotAcceptableException {
    receive("stripe", request, response);
  }

  @PostMapping("/api/webhooks/paypal")
  public void paypal(HttpServletRequest request, HttpServletResponse response)
      throws IOException, HttpMediaTypeNotAcceptableException {
    receive("paypal", request, response);
  }

  private void receive(String provider, HttpServletRequest request, HttpServletResponse response)
      throws IOException, HttpMediaTypeNotAcceptableException {
    WebhookIngest.Received received =
        ingest.receive(provider, WebhookHeaders.of(request), WebhookHeaders.body(request));
    JsonAnswer.write(request, response, answer, received);
  }
}
