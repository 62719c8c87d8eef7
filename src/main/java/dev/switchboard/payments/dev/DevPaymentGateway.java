package dev.switchboard.payments.dev;

import dev.switchboard.payments.PaymentGateway;
import dev.switchboard.payments.PaymentStore;
import dev.switchboard.platform.http.ApiException;
import dev.switchboard.platform.integrations.HealthResult;
import java.net.URI;
import java.util.Optional;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * The embedded default in development when {@code STRIPE_SECRET_KEY} is unset: checkout returns the
 * URL of a local page ({@link DevCheckoutRoutes}) that shows the plan with Pay, Decline and Cancel,
 * and the buttons emit signed Stripe-format events through the real {@code /api/webhooks/stripe}.
 * Nothing leaves the machine. Customers are {@code cus_dev_…}, one per account, reused like
 * Stripe's.
 */
public final class DevPaymentGateway implements PaymentGateway {

  public static final String ID = "dev";

  private final DevCheckoutSessions sessions;
  private final PaymentStore store;
  private final URI publicUrl;

  public DevPaymentGateway(DevCheckoutSessions sessions, PaymentStore store, URI publicUrl) {
    this.sessions = sessions;
    this.store = store;
    this.publicUrl = publicUrl;
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public CheckoutSession checkout(CheckoutRequest request) {
    String customer =
        request
            .customerId()
            .orElse("cus_dev_" + request.accountId().replaceAll("[^A-Za-z0-9]", ""));
    DevCheckoutSessions.DevSession session =
        sessions.create(
            request.accountId(),
            customer,
            request.plan().name(),
            request.plan().price(),
            request.plan().oneTime(),
            request.successUrl(),
            request.cancelUrl());
    return new CheckoutSession(session.id(), base() + "/payments/dev/checkout/" + session.id());
  }

  /**
   * A random token names the visit: customer ids are derived from account ids, so they are
   * guessable.
   */
  @Override
  public String portal(String customerId, URI returnUrl, String idempotencyKey) {
    String account =
        store
            .accountFor("stripe", Optional.of(customerId), Optional.empty())
            .orElseThrow(() -> ApiException.notFound("Customer"));
    return base()
        + "/payments/dev/portal/"
        + sessions.createPortal(account, customerId, returnUrl.toString()).id();
  }

  @Override
  public HealthResult health() {
    return HealthResult.up("dev checkout page; events signed with the dev webhook secret");
  }

  /**
   * The address the caller reached us at, so the page opens on this server even behind a random
   * test port.
   */
  private String base() {
    return Optional.ofNullable(RequestContextHolder.getRequestAttributes())
        .map(a -> ServletUriComponentsBuilder.fromCurrentContextPath().build().toUriString())
        .orElse(publicUrl.toString().replaceAll("/+$", ""));
  }
}
