package dev.switchboard.payments;

import dev.switchboard.platform.http.Caller;
import dev.switchboard.platform.http.IdempotencyFilter;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/payments/*} for a signed-in user (access JWT); API keys and anonymous callers get
 * 401.
 */
@RestController
public class PaymentRoutes {

  private final PaymentService payments;

  public PaymentRoutes(PaymentService payments) {
    this.payments = payments;
  }

  /** The body of {@code POST /api/payments/portal}. */
  public record PortalBody(String returnUrl) {}

  @PostMapping("/api/payments/checkout")
  public Map<String, String> checkout(
      @RequestBody(required = false) PaymentService.CheckoutBody body, HttpServletRequest request) {
    PaymentGateway.CheckoutSession session =
        payments.checkout(
            Caller.of(request),
            body,
            Optional.ofNullable(request.getHeader(IdempotencyFilter.HEADER)));
    return Map.of("id", session.id(), "url", session.url());
  }

  @PostMapping("/api/payments/portal")
  public Map<String, String> portal(
      @RequestBody(required = false) PortalBody body, HttpServletRequest request) {
    return Map.of(
        "url", payments.portal(Caller.of(request), body == null ? null : body.returnUrl()));
  }

  @GetMapping("/api/payments/subscription")
  public Map<String, Object> subscription(HttpServletRequest request) {
    Subscription s = payments.subscription(Caller.of(request));
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("status", s.status().id());
    view.put("plan", s.plan().orElse(null));
    view.put("currentPeriodEnd", s.currentPeriodEnd().map(Object::toString).orElse(null));
    view.put("cancelAtPeriodEnd", s.cancelAtPeriodEnd());
    view.put("provider", s.status() == SubscriptionStatus.NONE ? null : s.provider());
    return view;
  }
}
