package dev.switchboard.monitoring;

import dev.switchboard.platform.integrations.Integration;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The public status page's content: each integration's state now, its uptime per day over the last
 * 90 days from {@code health_daily}, and the titles of open incidents. Nothing else: no details,
 * providers, hosts or settings.
 */
public final class StatusPage {

  public static final int DAYS = 90;

  /**
   * One day's bar: {@code uptime} is null when there were no checks that day; {@code label} for
   * people.
   */
  public record Day(String date, Double uptime, String level, String label) {}

  /** One integration's row; {@code uptimeLabel} is the 90-day uptime for people. */
  public record Row(String id, String state, Double uptime90, String uptimeLabel, List<Day> days) {}

  /** The whole page. */
  public record View(String state, List<Row> integrations, List<String> incidents) {}

  private final HealthMonitor monitor;
  private final AlertStore store;
  private final Clock clock;
  private final Set<String> hidden;

  /**
   * @param hidden integration ids not shown (the alert channels and the secrets box are about
   *     Switchboard's setup)
   */
  public StatusPage(HealthMonitor monitor, AlertStore store, Clock clock, Set<String> hidden) {
    this.monitor = monitor;
    this.store = store;
    this.clock = clock;
    this.hidden = Set.copyOf(hidden);
  }

  public View view() {
    LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    LocalDate first = today.minusDays(DAYS - 1);
    Map<String, Map<LocalDate, AlertStore.DailyHealth>> history = new HashMap<>();
    List<String> incidents = new ArrayList<>();
    try {
      for (AlertStore.DailyHealth d : store.dailyHealth(first)) {
        history.computeIfAbsent(d.integrationId(), k -> new HashMap<>()).put(d.day(), d);
      }
      store.openIncidents().forEach(i -> incidents.add(i.title()));
    } catch (RuntimeException e) {
      // The database is down: the page still shows the live states.
    }
    List<Row> rows = new ArrayList<>();
    boolean anyDown = false;
    for (Integration integration : monitor.integrations()) {
      if (hidden.contains(integration.id())) {
        continue;
      }
      String state = monitor.health(integration.id()).status().id();
      anyDown |= state.equals("down");
      Map<LocalDate, AlertStore.DailyHealth> days =
          history.getOrDefault(integration.id(), Map.of());
      List<Day> bars = new ArrayList<>();
      long checks = 0;
      long up = 0;
      for (LocalDate day = first; !day.isAfter(today); day = day.plusDays(1)) {
        AlertStore.DailyHealth d = days.get(day);
        Double uptime = d == null || d.checks() == 0 ? null : (double) d.upChecks() / d.checks();
        bars.add(new Day(day.toString(), uptime, level(uptime), day + ": " + percent(uptime)));
        if (d != null) {
          checks += d.checks();
          up += d.upChecks();
        }
      }
      Double uptime90 = checks == 0 ? null : (double) up / checks;
      rows.add(
          new Row(
              integration.id(),
              state,
              uptime90,
              uptime90 == null
                  ? "no checks recorded yet"
                  : "uptime " + percent(uptime90) + " over 90 days",
              bars));
    }
    String overall = anyDown ? "outage" : incidents.isEmpty() ? "operational" : "incident";
    return new View(overall, rows, incidents);
  }

  private static String percent(Double uptime) {
    return uptime == null ? "no data" : String.format(Locale.ROOT, "%.2f %%", 100 * uptime);
  }

  private static String level(Double uptime) {
    if (uptime == null) {
      return "none";
    }
    return uptime >= 0.999 ? "good" : uptime >= 0.95 ? "partial" : "bad";
  }
}
