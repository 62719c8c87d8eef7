package dev.switchboard.admin;

import dev.switchboard.auth.AccountDirectory;
import dev.switchboard.payments.PaymentService;
import dev.switchboard.payments.StoredEvent;
import dev.switchboard.payments.Subscription;
import dev.switchboard.payments.TestEventSender;
import dev.switchboard.platform.http.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import tools.jackson.databind.json.JsonMapper;

/**
 * The payments page: subscriptions, webhook events with their processing status, "reprocess" for
 * events that failed or found no account, and (dev checkout only) a button that sends {@code
 * customer.subscription.deleted} for an account through the real webhook path.
 */
@Controller
class AdminPaymentsRoutes {

  static final int SHOWN = 100;

  private final AdminPages pages;
  private final AdminSession session;
  private final PaymentService payments;
  private final ObjectProvider<TestEventSender> devEvents;
  private final AccountDirectory directory;
  private final JsonMapper json;

  AdminPaymentsRoutes(
      AdminPages pages,
      AdminSession session,
      PaymentService payments,
      ObjectProvider<TestEventSender> devEvents,
      AccountDirectory directory,
      JsonMapper json) {
    this.directory = directory;
    this.json = json;
    this.pages = pages;
    this.session = session;
    this.payments = payments;
    this.devEvents = devEvents;
  }

  @GetMapping("/admin/payments")
  Object overview(
      HttpServletRequest request, @RequestParam(name = "notice", required = false) String notice) {
    return pages.render(
        request,
        "admin/payments",
        "Payments",
        "navPayments",
        () -> {
          Map<String, Object> model = new LinkedHashMap<>();
          List<Map<String, Object>> subscriptions =
              payments.subscriptions(SHOWN).stream().map(AdminPaymentsRoutes::row).toList();
          List<Map<String, Object>> events =
              payments.recentEvents(SHOWN).stream().map(AdminPaymentsRoutes::row).toList();
          // People, not ids: the address where the account still exists, the id as its tooltip.
          Map<String, String> emails =
              directory.emails(
                  Stream.concat(subscriptions.stream(), events.stream())
                      .map(r -> (String) r.get("account"))
                      .toList());
          Stream.concat(subscriptions.stream(), events.stream())
              .forEach(
                  r ->
                      r.put(
                          "accountShown",
                          emails.getOrDefault(
                              (String) r.get("account"), (String) r.get("account"))));
          model.put("subscriptions", subscriptions);
          model.put("events", events);
          TestEventSender sender = devEvents.getIfAvailable();
          model.put("dev", sender != null);
          if (sender != null) {
            model.put("triggerable", sender.triggerable());
            model.put(
                "accounts",
                directory.recent(SHOWN).stream()
                    .map(a -> Map.of("id", a.account().id(), "email", a.account().email()))
                    .toList());
          }
          model.put("notice", notice == null ? "" : notice);
          model.put("hasNotice", notice != null && !notice.isBlank());
          return model;
        });
  }

  /**
   * One stored event: its fields and the payload exactly as verified, indented for reading. The
   * stored payload is the provider's signed body; signature headers and secrets are never stored,
   * so there is nothing secret to hide.
   */
  @GetMapping("/admin/payments/events/{provider}/{id}")
  Object event(HttpServletRequest request, @PathVariable String provider, @PathVariable String id) {
    return pages.render(
        request,
        "admin/payment-event",
        "Payment event",
        "navPayments",
        () -> {
          StoredEvent event =
              payments
                  .event(provider, id)
                  .orElseThrow(() -> ApiException.notFound("Payment event"));
          Map<String, Object> model = row(event);
          model.put("attempts", event.attempts());
          model.put("payload", pretty(event.payload()));
          model.put(
              "accountShown",
              event
                  .accountId()
                  .map(a -> directory.emails(List.of(a)).getOrDefault(a, a))
                  .orElse(""));
          return model;
        });
  }

  @PostMapping("/admin/payments/test/trigger")
  ResponseEntity<Void> trigger(
      HttpServletRequest request,
      @RequestParam(name = "type", required = false) String type,
      @RequestParam(name = "account", required = false) String account) {
    signedIn(request);
    TestEventSender sender = sender();
    if (account != null
        && !account.isBlank()
        && !directory.emails(List.of(account)).containsKey(account)) {
      throw new ApiException(404, "unknown_account", "No account has this id.");
    }
    return back("sent+" + sender.trigger(type, account));
  }

  @PostMapping("/admin/payments/events/{provider}/{id}/reprocess")
  ResponseEntity<Void> reprocess(
      HttpServletRequest request, @PathVariable String provider, @PathVariable String id) {
    signedIn(request);
    boolean queued = payments.reprocess(provider, id);
    return back(queued ? "queued+" + id : "nothing+to+reprocess+for+" + id);
  }

  @PostMapping("/admin/payments/test/subscription-deleted")
  ResponseEntity<Void> sendDeleted(
      HttpServletRequest request, @RequestParam("account") String account) {
    signedIn(request);
    return back("sent+" + sender().subscriptionDeleted(account));
  }

  private TestEventSender sender() {
    TestEventSender sender = devEvents.getIfAvailable();
    if (sender == null) {
      throw new ApiException(
          404,
          "dev_checkout_disabled",
          "Test events are only sent by the dev checkout (development, no STRIPE_SECRET_KEY).");
    }
    return sender;
  }

  /** Indented JSON; a payload that does not parse (it was verified, so unlikely) is shown as is. */
  private String pretty(String payload) {
    try {
      return json.writerWithDefaultPrettyPrinter().writeValueAsString(json.readTree(payload));
    } catch (RuntimeException e) {
      return payload;
    }
  }

  private void signedIn(HttpServletRequest request) {
    if (session.current(request).isEmpty()) {
      throw new ApiException(401, "unauthenticated", "Sign in to the dashboard first.");
    }
  }

  private static ResponseEntity<Void> back(String notice) {
    return ResponseEntity.status(HttpStatus.SEE_OTHER)
        .header(HttpHeaders.LOCATION, "/admin/payments?notice=" + notice)
        .build();
  }

  private static Map<String, Object> row(Subscription s) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("account", s.accountId());
    row.put("provider", s.provider());
    row.put("plan", s.plan().orElse(""));
    row.put("status", s.status().id());
    row.put("periodEnd", s.currentPeriodEnd().map(Object::toString).orElse(""));
    row.put("cancelAtPeriodEnd", s.cancelAtPeriodEnd());
    row.put("customer", s.customerId().orElse(""));
    row.put("updatedAt", s.updatedAt().toString());
    row.put("entitled", s.entitled());
    return row;
  }

  private static Map<String, Object> row(StoredEvent e) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("provider", e.provider());
    row.put("id", e.id());
    row.put("type", e.type());
    row.put("status", e.status());
    row.put("detail", e.detail().orElse(""));
    row.put("account", e.accountId().orElse(""));
    row.put("created", e.created().toString());
    row.put("receivedAt", e.receivedAt().toString());
    row.put(
        "reprocessable",
        e.status().equals(StoredEvent.FAILED) || e.status().equals(StoredEvent.UNMATCHED));
    return row;
  }
}
