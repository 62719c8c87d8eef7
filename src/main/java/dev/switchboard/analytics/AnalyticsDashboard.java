package dev.switchboard.analytics;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What the dashboard's analytics page shows: a chart per event over the last 24 hours (from the
 * hourly rollups), the funnel of the four product events over the last 30 days, the newest events,
 * the write key with a snippet, and where forwarding stands.
 */
public final class AnalyticsDashboard {

  /** The seed's four events, in the order a customer meets them. */
  public static final List<String> FUNNEL =
      List.of("page_viewed", "signed_up", "feature_used", "subscription_started");

  static final Duration FUNNEL_RANGE = Duration.ofDays(30);
  static final Duration FUNNEL_WINDOW = Duration.ofDays(7);
  static final int HOURS = 24;
  static final int LIVE = 50;

  private final AnalyticsQueries queries;
  private final AnalyticsEventStore store;
  private final WriteKeys keys;
  private final EventDestinations destinations;
  private final JdbcForwardingStore forwarding;
  private final Clock clock;

  public AnalyticsDashboard(
      AnalyticsQueries queries,
      AnalyticsEventStore store,
      WriteKeys keys,
      EventDestinations destinations,
      JdbcForwardingStore forwarding,
      Clock clock) {
    this.queries = queries;
    this.store = store;
    this.keys = keys;
    this.destinations = destinations;
    this.forwarding = forwarding;
    this.clock = clock;
  }

  /** The page's model; {@code publicUrl} goes into the snippet. */
  public Map<String, Object> model(String publicUrl) {
    Instant now = clock.instant();
    Instant to = now.truncatedTo(ChronoUnit.HOURS).plus(1, ChronoUnit.HOURS);
    Instant from = to.minus(HOURS, ChronoUnit.HOURS);
    List<Instant> hours = new ArrayList<>();
    for (Instant h = from; h.isBefore(to); h = h.plus(1, ChronoUnit.HOURS)) {
      hours.add(h);
    }
    List<Map<String, Object>> charts = new ArrayList<>();
    for (AnalyticsQueries.Series series :
        queries.counts(List.of(), from, to, ChronoUnit.HOURS, Optional.empty()).series()) {
      List<Long> counts = hours.stream().map(h -> series.counts().getOrDefault(h, 0L)).toList();
      Map<String, Object> chart = new LinkedHashMap<>();
      chart.put("event", series.event());
      chart.put("total", counts.stream().mapToLong(Long::longValue).sum());
      chart.put("svg", SvgCharts.hourly(series.event(), hours, counts));
      charts.add(chart);
    }
    AnalyticsQueries.Funnel funnel =
        queries.funnel(FUNNEL, FUNNEL_WINDOW, now.minus(FUNNEL_RANGE), now);
    List<Long> people = funnel.steps().stream().map(Funnels.Step::people).toList();
    List<Double> conversion = funnel.steps().stream().map(Funnels.Step::conversion).toList();
    List<Map<String, Object>> steps = new ArrayList<>();
    for (Funnels.Step step : funnel.steps()) {
      steps.add(
          Map.of(
              "event",
              step.event(),
              "people",
              step.people(),
              "conversion",
              String.format(Locale.ROOT, "%.1f%%", step.conversion() * 100)));
    }
    List<Map<String, Object>> live = new ArrayList<>();
    for (AnalyticsEvent e : store.latest(LIVE)) {
      live.add(liveRow(e));
    }
    Map<String, Object> model = new LinkedHashMap<>();
    model.put("charts", charts);
    model.put("hasCharts", !charts.isEmpty());
    model.put("funnelSvg", SvgCharts.funnel(FUNNEL, people, conversion));
    model.put("funnelSteps", steps);
    model.put("live", live);
    model.put("lastId", live.isEmpty() ? 0 : live.get(0).get("id"));
    String key = keys.shown().map(k -> keys.generated() ? k.reveal() : k.masked()).orElse("");
    model.put("writeKey", key);
    model.put("writeKeyGenerated", keys.generated());
    model.put("snippet", snippet(publicUrl, keys.generated() ? key : "YOUR_WRITE_KEY"));
    model.put("destinations", destinations());
    model.put("hasDestinations", !destinations.byId().isEmpty());
    return model;
  }

  /** Events after {@code afterId}, newest first, for the live stream's polling. */
  public List<Map<String, Object>> liveAfter(long afterId) {
    return store.latest(LIVE).stream()
        .filter(e -> e.id() > afterId)
        .map(AnalyticsDashboard::liveRow)
        .toList();
  }

  private List<Map<String, Object>> destinations() {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (EventDestination d : destinations.byId().values()) {
      Optional<DestinationState> state = forwarding.state(d.id());
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("id", d.id());
      row.put("pending", state.map(s -> forwarding.pending(s.cursor())).orElse(0L));
      row.put("forwarded", state.map(DestinationState::forwarded).orElse(0L));
      row.put("failed", state.map(DestinationState::failed).orElse(0L));
      row.put("skipped", state.map(DestinationState::skipped).orElse(0L));
      row.put(
          "lastError",
          state
              .flatMap(s -> s.failingSince().isPresent() ? s.lastError() : Optional.empty())
              .orElse(""));
      rows.add(row);
    }
    return rows;
  }

  private static Map<String, Object> liveRow(AnalyticsEvent e) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("id", e.id());
    row.put("timestamp", e.timestamp().toString());
    row.put("type", e.type());
    row.put("event", e.event() == null ? "" : e.event());
    row.put("userId", e.userId() == null ? "" : e.userId());
    row.put("anonymousId", e.anonymousId() == null ? "" : e.anonymousId());
    return row;
  }

  static String snippet(String publicUrl, String writeKey) {
    String host = publicUrl.replaceAll("/+$", "");
    return "<script src=\""
        + host
        + "/sdk/analytics.js\"></script>\n<script>\n"
        + "  switchboard.analytics.init({ writeKey: '"
        + writeKey
        + "', host: '"
        + host
        + "' });\n"
        + "  switchboard.analytics.page();\n</script>";
  }
}
