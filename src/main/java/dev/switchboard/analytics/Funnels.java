package dev.switchboard.analytics;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Ordered funnels per person, as PostHog's {@code windowFunnel}: a person reaches step n when they
 * did steps 1..n in that order, each after the previous, all within {@code window} of step 1. Of a
 * person's step-1 occurrences, the one that gets furthest counts. People are identity-stitched
 * before counting.
 */
final class Funnels {

  /**
   * One step's figures. {@code medianFromPrevious} is empty for step 1 and for steps nobody
   * reached.
   */
  record Step(
      String event,
      long people,
      double conversion,
      double conversionFromPrevious,
      Duration medianFromPrevious) {}

  private Funnels() {}

  /**
   * @param occurrences the steps' events, oldest first
   * @param person the stitched person key of an event
   */
  static List<Step> compute(
      List<String> steps,
      Duration window,
      List<AnalyticsEvent> occurrences,
      Function<AnalyticsEvent, String> person) {
    Map<String, List<AnalyticsEvent>> byPerson = new HashMap<>();
    for (AnalyticsEvent e : occurrences) {
      byPerson.computeIfAbsent(person.apply(e), k -> new ArrayList<>()).add(e);
    }
    long[] reached = new long[steps.size()];
    List<List<Long>> gaps = new ArrayList<>();
    for (int i = 0; i < steps.size(); i++) {
      gaps.add(new ArrayList<>());
    }
    for (List<AnalyticsEvent> events : byPerson.values()) {
      Instant[] best = null;
      int bestDepth = 0;
      for (int start = 0; start < events.size(); start++) {
        if (!events.get(start).event().equals(steps.get(0))) {
          continue;
        }
        Instant[] times = walk(steps, window, events, start);
        int depth = depth(times);
        if (depth > bestDepth) {
          best = times;
          bestDepth = depth;
        }
        if (bestDepth == steps.size()) {
          break;
        }
      }
      for (int i = 0; i < bestDepth; i++) {
        reached[i]++;
        if (i > 0) {
          gaps.get(i).add(Duration.between(best[i - 1], best[i]).toMillis());
        }
      }
    }
    List<Step> result = new ArrayList<>();
    for (int i = 0; i < steps.size(); i++) {
      double conversion = reached[0] == 0 ? 0 : (double) reached[i] / reached[0];
      double fromPrevious =
          i == 0
              ? (reached[0] == 0 ? 0 : 1)
              : reached[i - 1] == 0 ? 0 : (double) reached[i] / reached[i - 1];
      result.add(new Step(steps.get(i), reached[i], conversion, fromPrevious, median(gaps.get(i))));
    }
    return result;
  }

  private static Instant[] walk(
      List<String> steps, Duration window, List<AnalyticsEvent> events, int start) {
    Instant[] times = new Instant[steps.size()];
    times[0] = events.get(start).timestamp();
    Instant deadline = times[0].plus(window);
    int next = 1;
    for (int j = start + 1; j < events.size() && next < steps.size(); j++) {
      AnalyticsEvent e = events.get(j);
      if (e.timestamp().isAfter(deadline)) {
        break;
      }
      if (e.event().equals(steps.get(next)) && !e.timestamp().isBefore(times[next - 1])) {
        times[next++] = e.timestamp();
      }
    }
    return times;
  }

  private static int depth(Instant[] times) {
    int n = 0;
    while (n < times.length && times[n] != null) {
      n++;
    }
    return n;
  }

  private static Duration median(List<Long> millis) {
    if (millis.isEmpty()) {
      return null;
    }
    List<Long> sorted = millis.stream().sorted().toList();
    int mid = sorted.size() / 2;
    long value =
        sorted.size() % 2 == 1 ? sorted.get(mid) : (sorted.get(mid - 1) + sorted.get(mid)) / 2;
    return Duration.ofMillis(value);
  }
}
