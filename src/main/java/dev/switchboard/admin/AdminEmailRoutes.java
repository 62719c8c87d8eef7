package dev.switchboard.admin;

import dev.switchboard.email.BatchProgress;
import dev.switchboard.email.EmailService;
import dev.switchboard.email.EmailStatus;
import dev.switchboard.email.MessageDetails;
import dev.switchboard.email.StoredMessage;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Dashboard pages of the email area: recent messages, batches with progress, and one message with
 * its history.
 */
@Controller
class AdminEmailRoutes {

  static final int SHOWN = 100;

  private final AdminPages pages;
  private final EmailService email;
  private final AdminSession session;

  AdminEmailRoutes(AdminPages pages, EmailService email, AdminSession session) {
    this.session = session;
    this.pages = pages;
    this.email = email;
  }

  /**
   * One batch as the template draws it: counts and the share already finished, as a whole percent.
   */
  record BatchRow(
      String id,
      String template,
      int total,
      long done,
      long failed,
      long percent,
      String createdAt) {
    static BatchRow of(BatchProgress b) {
      long failed =
          count(b, EmailStatus.FAILED)
              + count(b, EmailStatus.SUPPRESSED)
              + count(b, EmailStatus.BOUNCED);
      long done =
          b.counts().entrySet().stream()
              .filter(e -> e.getKey() != EmailStatus.QUEUED && e.getKey() != EmailStatus.SENDING)
              .mapToLong(Map.Entry::getValue)
              .sum();
      long percent = b.total() == 0 ? 100 : done * 100 / b.total();
      return new BatchRow(
          b.id(), b.template(), b.total(), done, failed, percent, b.createdAt().toString());
    }

    private static long count(BatchProgress b, EmailStatus status) {
      return b.counts().getOrDefault(status, 0L);
    }
  }

  @GetMapping("/admin/email")
  Object overview(HttpServletRequest request) {
    return pages.render(
        request,
        "admin/email",
        "Email",
        "navEmail",
        () -> {
          List<StoredMessage> messages = email.recentMessages(SHOWN);
          return Map.of(
              "messages",
              messages.stream()
                  .map(
                      m ->
                          Map.of(
                              "id",
                              m.id(),
                              "template",
                              m.template(),
                              "to",
                              m.recipient(),
                              "subject",
                              m.content().subject(),
                              "status",
                              m.status().id(),
                              "provider",
                              m.provider().orElse(""),
                              "createdAt",
                              m.createdAt().toString()))
                  .toList(),
              "batches",
              email.recentBatches(20).stream().map(BatchRow::of).toList());
        });
  }

  /**
   * Sends the built-in welcome mail to {@code to} through the configured provider and opens its
   * page.
   */
  @PostMapping("/admin/email/test")
  ResponseEntity<Void> sendTest(HttpServletRequest request, @RequestParam("to") String to) {
    if (session.current(request).isEmpty()) {
      return ResponseEntity.status(303).header("Location", "/admin/login").build();
    }
    String id =
        email.send(
            "welcome",
            to,
            Map.of("name", "Switchboard test", "verifyUrl", "https://example.com/verify"),
            Optional.empty());
    return ResponseEntity.status(303).header("Location", "/admin/email/messages/" + id).build();
  }

  @GetMapping("/admin/email/messages/{id}")
  Object message(HttpServletRequest request, @PathVariable String id) {
    return pages.render(
        request,
        "admin/email-message",
        "Email message",
        "navEmail",
        () -> {
          MessageDetails details = email.message(id);
          StoredMessage m = details.message();
          return Map.of(
              "id",
              m.id(),
              "to",
              m.recipient(),
              "template",
              m.template(),
              "status",
              m.status().id(),
              "attempts",
              m.attempts(),
              "provider",
              m.provider().orElse(""),
              "lastError",
              m.lastError().orElse(""),
              "history",
              details.history().stream()
                  .map(
                      h ->
                          Map.of(
                              "status",
                              h.status().id(),
                              "at",
                              h.at().toString(),
                              "detail",
                              h.detail() == null ? "" : h.detail()))
                  .toList(),
              "content",
              details.showContent()
                  ? List.of(
                      Map.of(
                          "subject",
                          m.content().subject(),
                          "text",
                          m.content().text(),
                          "html",
                          m.content().html()))
                  : List.of());
        });
  }
}
