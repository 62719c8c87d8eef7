package dev.switchboard.monitoring;

import dev.switchboard.platform.apikeys.RequiresScope;
import dev.switchboard.platform.apikeys.Scopes;
import dev.switchboard.platform.http.ApiException;
import dev.switchboard.platform.http.Caller;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /api/alerts} (open and recent incidents, active silences, channels and rules), {@code
 * POST /api/alerts/{id}/ack}, {@code POST /api/alerts/silences} and {@code POST /api/alerts/test}.
 * Admin scope.
 */
@RestController
public class AlertRoutes {

  /** An incident as the API shows it. */
  public record IncidentView(
      String id,
      String rule,
      String subject,
      String severity,
      String state,
      String title,
      String detail,
      String dedupKey,
      Instant openedAt,
      Instant resolvedAt,
      Instant acknowledgedAt,
      String acknowledgedBy,
      int remindersSent) {

    public static IncidentView of(Incident i) {
      return new IncidentView(
          i.id(),
          i.rule(),
          i.subject(),
          i.severity(),
          i.state(),
          i.title(),
          i.detail(),
          i.dedupKey(),
          i.openedAt(),
          i.resolvedAt().orElse(null),
          i.acknowledgedAt().orElse(null),
          i.acknowledgedBy().orElse(null),
          i.remindersSent());
    }
  }

  /** A silence as the API shows it. */
  public record SilenceView(
      String id,
      String rule,
      String subject,
      Instant until,
      String reason,
      String createdBy,
      Instant createdAt) {

    public static SilenceView of(Silence s) {
      return new SilenceView(
          s.id(),
          s.rule().orElse(null),
          s.subject().orElse(null),
          s.until(),
          s.reason(),
          s.createdBy().orElse(null),
          s.createdAt());
    }
  }

  record AlertList(
      List<IncidentView> incidents,
      List<SilenceView> silences,
      List<AlertCatalog.ChannelStatus> channels,
      List<AlertCatalog.RuleDefinition> rules) {}

  record TestSent(List<String> channels) {}

  private final AlertService alerts;

  public AlertRoutes(AlertService alerts) {
    this.alerts = alerts;
  }

  @GetMapping("/api/alerts")
  @RequiresScope(Scopes.ADMIN)
  AlertList list(@RequestParam(required = false) String limit) {
    int size = ErrorRoutes.integer("limit", limit, 50, 1, AlertService.MAX_LIST);
    return new AlertList(
        alerts.incidents(size).stream().map(IncidentView::of).toList(),
        alerts.silences().stream().map(SilenceView::of).toList(),
        alerts.catalog().channels(),
        alerts.catalog().rules());
  }

  @PostMapping("/api/alerts/{id}/ack")
  @RequiresScope(Scopes.ADMIN)
  IncidentView acknowledge(@PathVariable String id, HttpServletRequest request) {
    if (!id.matches("^inc_[0-9a-f]{24}$")) {
      throw ApiException.notFound("incident");
    }
    return IncidentView.of(alerts.acknowledge(id, who(request)));
  }

  /**
   * Body {@code {"rule"?, "subject"?, "until"? (ISO instant), "for"? ("2h"), "reason"}}: exactly
   * one of until and for.
   */
  @PostMapping("/api/alerts/silences")
  @RequiresScope(Scopes.ADMIN)
  ResponseEntity<SilenceView> silence(@RequestBody JsonNode body, HttpServletRequest request) {
    if (body == null || !body.isObject()) {
      throw new ApiException(
          400,
          "validation_failed",
          "The body must be a JSON object like {\"rule\":\"error_rate_high\",\"for\":\"2h\",\"reason\":\"deploy\"}.");
    }
    Optional<String> rule = text(body, "rule");
    Optional<String> subject = text(body, "subject");
    Optional<String> until = text(body, "until");
    Optional<String> duration = text(body, "for");
    if (until.isPresent() == duration.isPresent()) {
      throw ApiException.invalidField(
          "until", "give either until (an ISO-8601 instant) or for (such as 30m or 2h)");
    }
    Instant end =
        until
            .map(AlertRoutes::instant)
            .orElseGet(() -> Instant.now().plus(duration(duration.get())));
    Silence silence =
        alerts.silence(rule, subject, end, text(body, "reason").orElse(null), who(request));
    return ResponseEntity.status(201).body(SilenceView.of(silence));
  }

  @PostMapping("/api/alerts/test")
  @RequiresScope(Scopes.ADMIN)
  ResponseEntity<TestSent> test() {
    return ResponseEntity.accepted()
        .body(new TestSent(alerts.test().stream().map(AlertChannel::id).toList()));
  }

  private static String who(HttpServletRequest request) {
    return Caller.of(request).map(Caller::id).orElse("api");
  }

  private static Optional<String> text(JsonNode body, String field) {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      return Optional.empty();
    }
    if (!node.isString()) {
      throw ApiException.invalidField(field, field + " must be a string");
    }
    return Optional.of(node.stringValue());
  }

  private static Instant instant(String raw) {
    try {
      return Instant.parse(raw);
    } catch (DateTimeParseException e) {
      throw ApiException.invalidField(
          "until", "until must be an ISO-8601 instant such as 2026-01-31T18:00:00Z");
    }
  }

  private static Duration duration(String raw) {
    Matcher m = Pattern.compile("^([1-9][0-9]{0,4})([mhd])$").matcher(raw.trim());
    if (!m.matches()) {
      throw ApiException.invalidField("for", "for must be a duration such as 30m, 2h or 7d");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }
}
