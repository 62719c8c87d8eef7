package dev.switchboard.monitoring;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code error_rate_high}: an integration whose outbound calls answered 5xx (or not at all) more
 * often than the threshold over the window, counted only once enough calls were made; or more new
 * error groups in the last minute than the threshold (subject {@code errors}).
 */
public final class ErrorRateSource implements AlertSource {

  static final String ERRORS_SUBJECT = "errors";
  static final int GROUPS_READ = 200;

  private final OutboundTraffic traffic;
  private final ErrorStore errors;
  private final AlertsConfig.Rules rules;

  public ErrorRateSource(OutboundTraffic traffic, ErrorStore errors, AlertsConfig.Rules rules) {
    this.traffic = traffic;
    this.errors = errors;
    this.rules = rules;
  }

  @Override
  public AlertRule rule() {
    return AlertRule.ERROR_RATE_HIGH;
  }

  @Override
  public List<AlertSignal> firing(Instant now) {
    List<AlertSignal> firing = new ArrayList<>();
    traffic
        .failures(now, rules.errorWindow())
        .forEach(
            (id, counts) -> {
              // Failing alert channels show on their own boxes; announcing them on a channel could
              // loop.
              if (!id.startsWith("alerts.") && high(counts)) {
                firing.add(
                    new AlertSignal(
                        rule(),
                        id,
                        "High error rate on " + id,
                        String.format(
                            Locale.ROOT,
                            "%.1f%% of %d calls failed (5xx or no answer) over %s; threshold %.1f%%",
                            100.0 * counts[1] / counts[0],
                            counts[0],
                            CheckRun.human(rules.errorWindow()),
                            100 * rules.errorRate())));
              }
            });
    long fresh = newGroups(now);
    if (fresh >= rules.newErrorGroupsPerMinute()) {
      firing.add(
          new AlertSignal(
              rule(),
              ERRORS_SUBJECT,
              "Many new errors",
              fresh
                  + " new error groups in the last minute; threshold "
                  + rules.newErrorGroupsPerMinute()));
    }
    return firing;
  }

  @Override
  public boolean cleared(String subject, Instant now) {
    if (ERRORS_SUBJECT.equals(subject)) {
      return newGroups(now) < rules.newErrorGroupsPerMinute();
    }
    long[] counts = traffic.failures(now, rules.errorWindow()).get(subject);
    return counts == null || !high(counts);
  }

  private boolean high(long[] counts) {
    return counts[0] >= rules.errorMinRequests() && counts[1] > rules.errorRate() * counts[0];
  }

  private long newGroups(Instant now) {
    Instant since = now.minus(Duration.ofMinutes(1));
    return errors.page(GROUPS_READ, 0).groups().stream()
        .filter(g -> g.firstSeen().isAfter(since))
        .count();
  }

  /** Used by tests and docs: the share as a map of numbers per integration. */
  Map<String, long[]> counts(Instant now) {
    return traffic.failures(now, rules.errorWindow());
  }
}
