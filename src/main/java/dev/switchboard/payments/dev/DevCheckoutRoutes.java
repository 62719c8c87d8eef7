package dev.switchboard.payments.dev;

import dev.switchboard.payments.PaymentStore;
import dev.switchboard.platform.http.ApiException;
import dev.switchboard.platform.http.RedirectTargets;
import java.net.URI;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;

/**
 * The dev checkout and portal pages. Pay emits {@code checkout.session.completed} and {@code
 * invoice.paid}, delivered through the real webhook before the browser is sent on. Decline does
 * what a declined card does on Stripe Checkout: the page says so and stays open, and nothing is
 * created or sent (Stripe creates no subscription until the first payment succeeds). Cancel emits
 * nothing. A session is closed once, so a second click or a reload changes nothing. The portal can
 * cancel the subscription or fail its next renewal ({@code invoice.payment_failed}, as {@code
 * stripe trigger} would). Outside development, or with {@code STRIPE_SECRET_KEY} set, every page
 * answers 404 {@code dev_checkout_disabled}.
 */
@Controller
public class DevCheckoutRoutes {

  private final ObjectProvider<DevCheckoutSessions> sessions;
  private final ObjectProvider<DevStripeEvents> events;
  private final PaymentStore store;
  private final RedirectTargets redirects;

  DevCheckoutRoutes(
      ObjectProvider<DevCheckoutSessions> sessions,
      ObjectProvider<DevStripeEvents> events,
      PaymentStore store,
      RedirectTargets redirects) {
    this.sessions = sessions;
    this.events = events;
    this.store = store;
    this.redirects = redirects;
  }

  @GetMapping("/payments/dev/checkout/{id}")
  ModelAndView page(
      @PathVariable String id, @RequestParam(defaultValue = "false") boolean declined) {
    DevCheckoutSessions.DevSession session = session(id);
    return new ModelAndView(
        "payments/dev-checkout",
        Map.of(
            "id",
            session.id(),
            "plan",
            session.plan(),
            "price",
            session.price(),
            "mode",
            session.mode(),
            "open",
            session.status().equals("open"),
            "status",
            session.status(),
            "amount",
            "10.00 USD",
            "declined",
            declined));
  }

  @PostMapping("/payments/dev/checkout/{id}/pay")
  ResponseEntity<Void> pay(@PathVariable String id) {
    DevStripeEvents events = events();
    DevCheckoutSessions.DevSession session = close(id, "paid");
    deliverOrReopen(session, "paid", () -> events.paid(session));
    return seeOther(session.successUrl().replace("{CHECKOUT_SESSION_ID}", session.id()));
  }

  @PostMapping("/payments/dev/checkout/{id}/decline")
  ResponseEntity<Void> decline(@PathVariable String id) {
    DevCheckoutSessions.DevSession session = session(id);
    if (!session.status().equals("open")) {
      throw new ApiException(
          409, "session_closed", "This checkout session was already " + session.status() + ".");
    }
    return seeOther("/payments/dev/checkout/" + session.id() + "?declined=true");
  }

  @PostMapping("/payments/dev/checkout/{id}/cancel")
  ResponseEntity<Void> cancel(@PathVariable String id) {
    return seeOther(close(id, "cancelled").cancelUrl());
  }

  @GetMapping("/payments/dev/portal/{token}")
  ModelAndView portal(@PathVariable String token) {
    DevCheckoutSessions.DevSession visit = portalVisit(token);
    var subscription =
        store
            .subscription(visit.accountId())
            .orElseThrow(() -> ApiException.notFound("Subscription"));
    return new ModelAndView(
        "payments/dev-portal",
        Map.of(
            "token",
            visit.id(),
            "customer",
            visit.customerId(),
            "returnUrl",
            visit.cancelUrl(),
            "plan",
            subscription.plan().orElse(""),
            "status",
            subscription.status().id(),
            "active",
            subscription.entitled()));
  }

  @PostMapping("/payments/dev/portal/{token}/fail-renewal")
  ResponseEntity<Void> portalFailRenewal(@PathVariable String token) {
    DevCheckoutSessions.DevSession visit = portalVisit(token);
    events().renewalFailed(visit.accountId());
    return seeOther("/payments/dev/portal/" + visit.id());
  }

  @PostMapping("/payments/dev/portal/{token}/cancel")
  ResponseEntity<Void> portalCancel(@PathVariable String token) {
    DevCheckoutSessions.DevSession visit = portalVisit(token);
    URI back = redirects.check(visit.cancelUrl(), "return");
    events().subscriptionDeleted(visit.accountId());
    return seeOther(back.toString());
  }

  /**
   * Closed first so a double click sends nothing twice; opened again when the webhook did not take
   * the events.
   */
  private void deliverOrReopen(
      DevCheckoutSessions.DevSession session, String status, Runnable delivery) {
    try {
      delivery.run();
    } catch (RuntimeException e) {
      sessions().reopen(session.id(), status);
      throw e;
    }
  }

  private DevCheckoutSessions.DevSession portalVisit(String token) {
    return sessions()
        .find(token)
        .filter(DevCheckoutSessions.DevSession::portal)
        .orElseThrow(() -> ApiException.notFound("Portal session"));
  }

  private DevCheckoutSessions.DevSession session(String id) {
    return sessions()
        .find(id)
        .filter(s -> !s.portal())
        .orElseThrow(() -> ApiException.notFound("Checkout session"));
  }

  private DevCheckoutSessions.DevSession close(String id, String status) {
    DevCheckoutSessions.DevSession session = session(id);
    if (!sessions().close(id, status)) {
      throw new ApiException(
          409, "session_closed", "This checkout session was already " + session.status() + ".");
    }
    return session;
  }

  private DevCheckoutSessions sessions() {
    DevCheckoutSessions s = sessions.getIfAvailable();
    if (s == null) {
      throw disabled();
    }
    return s;
  }

  private DevStripeEvents events() {
    DevStripeEvents e = events.getIfAvailable();
    if (e == null) {
      throw disabled();
    }
    return e;
  }

  private static ApiException disabled() {
    return new ApiException(
        404,
        "dev_checkout_disabled",
        "The dev checkout only runs in development mode without"
            + " STRIPE_SECRET_KEY; in production use Stripe (docs/payments.md).");
  }

  private static ResponseEntity<Void> seeOther(String url) {
    return ResponseEntity.status(HttpStatus.SEE_OTHER).location(URI.create(url)).build();
  }
}
