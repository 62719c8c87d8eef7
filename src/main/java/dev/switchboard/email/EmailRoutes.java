package dev.switchboard.email;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.switchboard.platform.apikeys.RequiresScope;
import dev.switchboard.platform.apikeys.Scopes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/email/send}, {@code POST /api/email/bulk}, {@code GET /api/email/messages/{id}}
 * and {@code GET /api/email/batches/{id}}, all with scope {@code email:send}. {@code
 * Idempotency-Key} on the POSTs is handled by the platform's filter.
 */
@RestController
@RequiresScope(Scopes.EMAIL_SEND)
public class EmailRoutes {

  private final EmailService email;

  public EmailRoutes(EmailService email) {
    this.email = email;
  }

  record SendRequest(String template, String to, Map<String, Object> variables, String locale) {}

  record BulkRequest(String template, List<BulkRecipient> recipients, String locale) {}

  record Queued(String id, String status) {}

  record HistoryView(String status, String at, String detail) {}

  record MessageView(
      String id,
      String status,
      String template,
      String locale,
      String to,
      String batchId,
      int attempts,
      String provider,
      String providerMessageId,
      String lastError,
      String createdAt,
      String updatedAt,
      List<HistoryView> history,
      @JsonInclude(JsonInclude.Include.NON_NULL) String subject,
      @JsonInclude(JsonInclude.Include.NON_NULL) String text,
      @JsonInclude(JsonInclude.Include.NON_NULL) String html) {}

  record BatchView(
      String batchId,
      String template,
      int total,
      Map<String, Long> counts,
      long finished,
      String createdAt) {}

  record TemplateView(String name, List<String> requiredVariables) {}

  record TemplateList(List<TemplateView> templates) {}

  @GetMapping("/api/email/templates")
  TemplateList templates() {
    return new TemplateList(
        email.templates().stream()
            .map(t -> new TemplateView(t.id(), t.requiredVariables()))
            .toList());
  }

  @PostMapping("/api/email/send")
  ResponseEntity<Queued> send(@RequestBody SendRequest request) {
    String id =
        email.send(
            request.template(),
            request.to(),
            request.variables(),
            Optional.ofNullable(request.locale()));
    return ResponseEntity.accepted().body(new Queued(id, EmailStatus.QUEUED.id()));
  }

  @PostMapping("/api/email/bulk")
  ResponseEntity<BulkAccepted> bulk(@RequestBody BulkRequest request) {
    return ResponseEntity.accepted()
        .body(
            email.bulk(
                request.template(), request.recipients(), Optional.ofNullable(request.locale())));
  }

  @GetMapping("/api/email/messages/{id}")
  MessageView message(@PathVariable String id) {
    MessageDetails details = email.message(id);
    StoredMessage m = details.message();
    RenderedEmail shown = details.showContent() ? m.content() : new RenderedEmail(null, null, null);
    return new MessageView(
        m.id(),
        m.status().id(),
        m.template(),
        m.locale().orElse(null),
        m.recipient(),
        m.batchId().orElse(null),
        m.attempts(),
        m.provider().orElse(null),
        m.providerMessageId().orElse(null),
        m.lastError().orElse(null),
        m.createdAt().toString(),
        m.updatedAt().toString(),
        details.history().stream()
            .map(h -> new HistoryView(h.status().id(), h.at().toString(), h.detail()))
            .toList(),
        shown.subject(),
        shown.text(),
        shown.html());
  }

  @GetMapping("/api/email/batches/{id}")
  BatchView batch(@PathVariable String id) {
    BatchProgress batch = email.batch(id);
    Map<String, Long> counts = new LinkedHashMap<>();
    long finished = 0;
    for (EmailStatus status : EmailStatus.values()) {
      long n = batch.counts().getOrDefault(status, 0L);
      counts.put(status.id(), n);
      finished += status.rank() >= EmailStatus.SENT.rank() ? n : 0;
    }
    return new BatchView(
        batch.id(),
        batch.template(),
        batch.total(),
        counts,
        finished,
        batch.createdAt().toString());
  }
}
