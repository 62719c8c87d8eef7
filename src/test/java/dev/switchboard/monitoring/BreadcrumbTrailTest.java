package dev.switchboard.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.platform.config.SecretScrubber;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class BreadcrumbTrailTest {

  static final String SECRET = "re_live_abcdefghijklmnop";
  static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");

  final BreadcrumbTrail trail =
      new BreadcrumbTrail(Clock.fixed(NOW, ZoneOffset.UTC), SecretScrubber.of(List.of(SECRET)));

  @Test
  void addWhenMessageAndDataHoldSecretThenStoredScrubbedWithClockTime() {
    trail.add(
        "http.resend",
        "POST /emails key " + SECRET,
        Map.of("auth", "Bearer " + SECRET, "status", "200"));

    assertThat(trail.snapshot())
        .containsExactly(
            new Breadcrumb(
                NOW,
                "http.resend",
                "POST /emails key ****",
                Map.of("auth", "Bearer ****", "status", "200")));
  }

  @Test
  void addWhenMoreThanTheLimitThenOldestAreDropped() {
    for (int i = 0; i < BreadcrumbTrail.MAX_BREADCRUMBS + 5; i++) {
      trail.add("http", "call " + i, Map.of());
    }

    List<Breadcrumb> crumbs = trail.snapshot();
    assertThat(crumbs).hasSize(BreadcrumbTrail.MAX_BREADCRUMBS);
    assertThat(crumbs.get(0).message()).isEqualTo("call 5");
  }

  @Test
  void snapshotWhenAnotherThreadAddedThenItIsNotSeenAndClearEmpties() throws InterruptedException {
    trail.add("http", "mine", null);
    AtomicReference<List<Breadcrumb>> other = new AtomicReference<>();
    Thread thread =
        new Thread(
            () -> {
              trail.add("http", "theirs", Map.of());
              other.set(trail.snapshot());
            });
    thread.start();
    thread.join();

    assertThat(trail.snapshot()).extracting(Breadcrumb::message).containsExactly("mine");
    assertThat(other.get()).extracting(Breadcrumb::message).containsExactly("theirs");
    trail.clear();
    assertThat(trail.snapshot()).isEmpty();
  }
}
