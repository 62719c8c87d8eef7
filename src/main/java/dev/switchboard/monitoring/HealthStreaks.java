package dev.switchboard.monitoring;

import dev.switchboard.platform.integrations.HealthStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.context.event.EventListener;

/**
 * {@code integration_down}: counts each integration's consecutive results. N failed checks in a row
 * latch the integration as down; M good ones in a row release it. Anything in between (flapping,
 * degraded) changes neither, so an integration that flaps inside the thresholds never pages and one
 * that is paged is not resolved by one lucky check. The latch holds even while the database is
 * unreachable, so the incident is written once it answers.
 */
public final class HealthStreaks implements AlertSource {

  private final int downAfter;
  private final int upAfter;
  private final Set<String> watched;
  private final Map<String, Streak> streaks = new ConcurrentHashMap<>();

  /**
   * @param watched the integrations this rule pages for; an open incident about any other id (an
   *     integration removed from the configuration) counts as cleared
   */
  public HealthStreaks(int downAfter, int upAfter, Set<String> watched) {
    this.downAfter = downAfter;
    this.upAfter = upAfter;
    this.watched = Set.copyOf(watched);
  }

  @Override
  public AlertRule rule() {
    return AlertRule.INTEGRATION_DOWN;
  }

  @EventListener
  public void onCheck(IntegrationChecked checked) {
    if (watched.contains(checked.integrationId())) {
      streaks
          .computeIfAbsent(checked.integrationId(), id -> new Streak())
          .add(checked.health(), downAfter, upAfter);
    }
  }

  @Override
  public List<AlertSignal> firing(Instant now) {
    List<AlertSignal> firing = new ArrayList<>();
    streaks.forEach(
        (id, streak) -> {
          synchronized (streak) {
            if (streak.latched) {
              firing.add(
                  new AlertSignal(
                      rule(),
                      id,
                      "Integration " + id + " is down",
                      streak.detail
                          + " ("
                          + streak.downs
                          + " failed checks in a row, threshold "
                          + downAfter
                          + ")"));
            }
          }
        });
    return firing;
  }

  @Override
  public boolean cleared(String subject, Instant now) {
    if (!watched.contains(subject)) {
      return true;
    }
    Streak streak = streaks.get(subject);
    if (streak == null) {
      return false;
    }
    synchronized (streak) {
      return !streak.latched && streak.ups >= upAfter;
    }
  }

  /** Whether this integration is currently counted as down (for inhibiting other rules). */
  public boolean down(String integrationId) {
    Streak streak = streaks.get(integrationId);
    if (streak == null) {
      return false;
    }
    synchronized (streak) {
      return streak.latched;
    }
  }

  private static final class Streak {
    int downs;
    int ups;
    boolean latched;
    String detail = "";

    synchronized void add(IntegrationHealth health, int downAfter, int upAfter) {
      if (health.status() == HealthStatus.DOWN) {
        downs++;
        ups = 0;
        detail = health.detail();
        if (downs >= downAfter) {
          latched = true;
        }
      } else if (health.status() == HealthStatus.UP) {
        ups++;
        downs = 0;
        if (ups >= upAfter) {
          latched = false;
        }
      } else {
        downs = 0;
        ups = 0;
      }
    }
  }
}
