package dev.switchboard.analytics;

import dev.switchboard.platform.apikeys.RequiresScope;
import dev.switchboard.platform.apikeys.Scopes;
import dev.switchboard.platform.http.ApiException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The query API (scope {@code analytics:read}): {@code GET /api/analytics/events} (counts per event
 * per hour or day), {@code /funnel} (ordered steps per person within a window) and {@code /live}
 * (the latest events).
 */
@RestController
@RequiresScope(Scopes.ANALYTICS_READ)
class AnalyticsRoutes {

  private static final Pattern WINDOW = Pattern.compile("^(\\d{1,6})(m|h|d)$");
  private static final Duration MAX_RANGE = Duration.ofDays(400);

  private final AnalyticsQueries queries;
  private final Clock clock;

  AnalyticsRoutes(AnalyticsQueries queries, Clock clock) {
    this.queries = queries;
    this.clock = clock;
  }

  @GetMapping("/api/analytics/events")
  Map<String, Object> events(
      @RequestParam(required = false) String event,
      @RequestParam(required = false) String from,
      @RequestParam(required = false) String to,
      @RequestParam(defaultValue = "hour") String interval,
      @RequestParam(required = false) String property,
      @RequestParam(required = false) String value) {
    ChronoUnit bucket =
        switch (interval) {
          case "hour" -> ChronoUnit.HOURS;
          case "day" -> ChronoUnit.DAYS;
          default -> throw ApiException.invalidField("interval", "interval must be hour or day");
        };
    if ((property == null) != (value == null)) {
      throw ApiException.invalidField(
          property == null ? "property" : "value",
          "property and value filter together: property=plan&value=pro");
    }
    Instant end = time("to", to, clock.instant());
    Instant start = time("from", from, end.minus(Duration.ofDays(7)));
    range(start, end);
    AnalyticsQueries.Counts counts =
        queries.counts(
            names(event),
            start,
            end,
            bucket,
            property == null ? Optional.empty() : Optional.of(Map.entry(property, value)));
    List<Map<String, Object>> series = new ArrayList<>();
    for (AnalyticsQueries.Series s : counts.series()) {
      List<Map<String, Object>> points = new ArrayList<>();
      long total = 0;
      for (Map.Entry<Instant, Long> point : s.counts().entrySet()) {
        points.add(Map.of("start", point.getKey().toString(), "count", point.getValue()));
        total += point.getValue();
      }
      series.add(Map.of("event", s.event(), "total", total, "points", points));
    }
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("from", start.toString());
    answer.put("to", end.toString());
    answer.put("interval", interval);
    answer.put("series", series);
    answer.put("truncated", counts.truncated());
    return answer;
  }

  @GetMapping("/api/analytics/funnel")
  Map<String, Object> funnel(
      @RequestParam(required = false) String steps,
      @RequestParam(defaultValue = "7d") String window,
      @RequestParam(required = false) String from,
      @RequestParam(required = false) String to) {
    List<String> names = names(steps);
    if (names.size() < 2 || names.size() > 10) {
      throw ApiException.invalidField(
          "steps", "steps must list 2 to 10 event names: steps=signed_up,subscription_started");
    }
    Duration span = window(window);
    Instant end = time("to", to, clock.instant());
    Instant start = time("from", from, end.minus(Duration.ofDays(30)));
    range(start, end);
    AnalyticsQueries.Funnel funnel = queries.funnel(names, span, start, end);
    List<Map<String, Object>> result = new ArrayList<>();
    for (Funnels.Step step : funnel.steps()) {
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("event", step.event());
      item.put("people", step.people());
      item.put("conversion", step.conversion());
      item.put("conversionFromPrevious", step.conversionFromPrevious());
      item.put(
          "medianSecondsFromPrevious",
          step.medianFromPrevious() == null ? null : step.medianFromPrevious().toMillis() / 1000.0);
      result.add(item);
    }
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("from", start.toString());
    answer.put("to", end.toString());
    answer.put("window", window);
    answer.put("steps", result);
    answer.put("truncated", funnel.truncated());
    return answer;
  }

  @GetMapping("/api/analytics/live")
  Map<String, Object> live(@RequestParam(defaultValue = "50") String limit) {
    int n;
    try {
      n = Integer.parseInt(limit);
    } catch (NumberFormatException e) {
      n = -1;
    }
    if (n < 1 || n > 1000) {
      throw ApiException.invalidField("limit", "limit must be 1 to 1000");
    }
    return Map.of("events", queries.live(n));
  }

  private static List<String> names(String list) {
    if (list == null || list.isBlank()) {
      return List.of();
    }
    List<String> names =
        Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    if (names.size() > 50
        || names.stream().anyMatch(n -> n.length() > TrackingMessages.MAX_EVENT_NAME)) {
      throw ApiException.invalidField("event", "at most 50 event names of at most 200 characters");
    }
    return names;
  }

  private static Duration window(String raw) {
    Matcher m = WINDOW.matcher(raw);
    if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
      throw ApiException.invalidField("window", "window must be like 30m, 24h or 7d");
    }
    long n = Long.parseLong(m.group(1));
    Duration d =
        switch (m.group(2)) {
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          default -> Duration.ofDays(n);
        };
    if (d.compareTo(Duration.ofDays(90)) > 0) {
      throw ApiException.invalidField("window", "window must be at most 90d");
    }
    return d;
  }

  private static Instant time(String field, String raw, Instant fallback) {
    if (raw == null || raw.isBlank()) {
      return fallback;
    }
    try {
      return OffsetDateTime.parse(raw).toInstant();
    } catch (DateTimeParseException e) {
      throw ApiException.invalidField(
          field, field + " must be an ISO-8601 date-time like 2026-12-01T00:00:00Z");
    }
  }

  private static void range(Instant from, Instant to) {
    if (!from.isBefore(to)) {
      throw ApiException.invalidField("from", "from must be before to");
    }
    if (Duration.between(from, to).compareTo(MAX_RANGE) > 0) {
      throw ApiException.invalidField("from", "the range is at most 400 days");
    }
  }
}
