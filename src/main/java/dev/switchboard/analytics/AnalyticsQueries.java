package dev.switchboard.analytics;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Counts, funnels and the live stream, read through {@link AnalyticsEventStore}. */
public final class AnalyticsQueries {

  /**
   * Raw rows read at most by one property-filtered count or funnel; the answer says when it was
   * cut.
   */
  static final int MAX_SCAN = 200_000;

  private final AnalyticsEventStore store;
  private final JsonMapper json;

  public AnalyticsQueries(AnalyticsEventStore store, JsonMapper json) {
    this.store = store;
    this.json = json;
  }

  /** Counts per event per bucket, oldest bucket first. */
  public record Series(String event, Map<Instant, Long> counts) {}

  public record Counts(List<Series> series, boolean truncated) {}

  /**
   * Counts per event per hour or day. Without a property filter from the hourly rollups; with one,
   * from the raw events of the range (at most {@value #MAX_SCAN}).
   */
  public Counts counts(
      List<String> events,
      Instant from,
      Instant to,
      ChronoUnit bucket,
      Optional<Map.Entry<String, String>> property) {
    Map<String, Map<Instant, Long>> series = new TreeMap<>();
    boolean truncated = false;
    if (property.isEmpty()) {
      for (AnalyticsEventStore.HourlyCount row : store.hourlyCounts(events, from, to)) {
        series
            .computeIfAbsent(row.event(), k -> new TreeMap<>())
            .merge(row.hour().truncatedTo(bucket), row.count(), Long::sum);
      }
    } else {
      List<AnalyticsEvent> rows = store.occurrences(events, from, to, MAX_SCAN);
      truncated = rows.size() == MAX_SCAN;
      for (AnalyticsEvent e : rows) {
        JsonNode value =
            json.readTree(e.payloadJson()).path("properties").path(property.get().getKey());
        if (!value.isMissingNode()
            && !value.isNull()
            && !value.isContainer()
            && value.asString().equals(property.get().getValue())) {
          series
              .computeIfAbsent(e.event(), k -> new TreeMap<>())
              .merge(e.timestamp().truncatedTo(bucket), 1L, Long::sum);
        }
      }
    }
    List<Series> result = new ArrayList<>();
    series.forEach((event, counts) -> result.add(new Series(event, counts)));
    return new Counts(result, truncated);
  }

  public record Funnel(
      List<Funnels.Step> steps, Instant from, Instant to, Duration window, boolean truncated) {}

  /**
   * The ordered funnel of people who did the first step in [from, to) (later steps may follow until
   * {@code to + window}).
   */
  public Funnel funnel(List<String> steps, Duration window, Instant from, Instant to) {
    List<String> distinct = new ArrayList<>(new LinkedHashSet<>(steps));
    List<AnalyticsEvent> rows = store.occurrences(distinct, from, to.plus(window), MAX_SCAN);
    List<String> anonymous =
        rows.stream()
            .filter(e -> e.userId() == null)
            .map(AnalyticsEvent::anonymousId)
            .distinct()
            .toList();
    Map<String, String> users = anonymous.isEmpty() ? Map.of() : store.usersOf(anonymous);
    List<AnalyticsEvent> starting = new ArrayList<>();
    for (AnalyticsEvent e : rows) {
      // A first step after the range starts nobody's funnel; later steps may come up to the
      // window's end.
      if (!(e.event().equals(steps.get(0)) && !e.timestamp().isBefore(to))) {
        starting.add(e);
      }
    }
    List<Funnels.Step> result =
        Funnels.compute(
            steps,
            window,
            starting,
            e ->
                e.userId() != null
                    ? "u:" + e.userId()
                    : users.containsKey(e.anonymousId())
                        ? "u:" + users.get(e.anonymousId())
                        : "a:" + e.anonymousId());
    return new Funnel(result, from, to, window, rows.size() == MAX_SCAN);
  }

  /** The latest events, newest first, with their stored message. */
  public List<Map<String, Object>> live(int limit) {
    List<Map<String, Object>> result = new ArrayList<>();
    for (AnalyticsEvent e : store.latest(limit)) {
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("id", e.id());
      item.put("type", e.type());
      item.put("event", e.event());
      item.put("userId", e.userId());
      item.put("anonymousId", e.anonymousId());
      item.put("timestamp", e.timestamp().toString());
      item.put("receivedAt", e.receivedAt().toString());
      item.put("message", json.readTree(e.payloadJson()));
      result.add(item);
    }
    return result;
  }
}
