package dev.switchboard.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

class FunnelsTest {

  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  static final List<String> STEPS = List.of("page_viewed", "signed_up", "subscription_started");

  final List<AnalyticsEvent> events = new ArrayList<>();

  void at(String person, String event, long minutes) {
    Instant t = T0.plus(Duration.ofMinutes(minutes));
    events.add(
        new AnalyticsEvent(
            events.size() + 1, "s", "m" + events.size(), "track", event, person, null, t, t, "{}"));
  }

  List<Funnels.Step> compute(Duration window) {
    events.sort(Comparator.comparing(AnalyticsEvent::timestamp));
    return Funnels.compute(STEPS, window, events, AnalyticsEvent::userId);
  }

  @Test
  void computeWhenStepsInOrderWithinWindowThenCountedWithMedianGaps() {
    at("a", "page_viewed", 0);
    at("a", "signed_up", 10);
    at("a", "subscription_started", 70);
    at("b", "page_viewed", 0);
    at("b", "signed_up", 30);
    at("c", "page_viewed", 5);

    List<Funnels.Step> steps = compute(Duration.ofDays(1));

    assertThat(steps).extracting(Funnels.Step::people).containsExactly(3L, 2L, 1L);
    assertThat(steps.get(1).conversion()).isEqualTo(2.0 / 3);
    assertThat(steps.get(2).conversionFromPrevious()).isEqualTo(0.5);
    assertThat(steps.get(1).medianFromPrevious()).isEqualTo(Duration.ofMinutes(20));
    assertThat(steps.get(2).medianFromPrevious()).isEqualTo(Duration.ofMinutes(60));
    assertThat(steps.get(0).medianFromPrevious()).isNull();
  }

  @Test
  void computeWhenOutOfOrderOrOutsideWindowThenNotCounted() {
    at("a", "signed_up", 0);
    at("a", "page_viewed", 5);
    at("b", "page_viewed", 0);
    at("b", "signed_up", 120);

    List<Funnels.Step> steps = compute(Duration.ofHours(1));

    assertThat(steps).extracting(Funnels.Step::people).containsExactly(2L, 0L, 0L);
  }

  @Test
  void computeWhenALaterStartGetsFurtherThenThatStartCounts() {
    at("a", "page_viewed", 0);
    at("a", "page_viewed", 200);
    at("a", "signed_up", 210);

    List<Funnels.Step> steps = compute(Duration.ofHours(1));

    assertThat(steps).extracting(Funnels.Step::people).containsExactly(1L, 1L, 0L);
    assertThat(steps.get(1).medianFromPrevious()).isEqualTo(Duration.ofMinutes(10));
  }
}
