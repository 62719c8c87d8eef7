package dev.switchboard.monitoring;

import dev.switchboard.platform.outbound.OutboundAttempt;
import dev.switchboard.platform.outbound.OutboundCallListener;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every outbound attempt per integration, as the error-rate and rate-limit rules read them: answers
 * with a 5xx status (no answer at all counts as one too) and 429s, per second over the longest
 * window a rule asks for.
 */
public final class OutboundTraffic implements OutboundCallListener {

  private final Clock clock;
  private final Duration keep;
  private final Map<String, SlidingCounts> failures = new ConcurrentHashMap<>();
  private final Map<String, SlidingCounts> throttled = new ConcurrentHashMap<>();

  public OutboundTraffic(Clock clock, Duration keep) {
    this.clock = clock;
    this.keep = keep;
  }

  @Override
  public void onAttempt(OutboundAttempt attempt) {
    Instant now = clock.instant();
    int status = attempt.status().orElse(0);
    boolean failed = status >= 500 || attempt.status().isEmpty();
    failures
        .computeIfAbsent(attempt.integrationId(), id -> new SlidingCounts(keep))
        .add(now, 1, failed ? 1 : 0);
    throttled
        .computeIfAbsent(attempt.integrationId(), id -> new SlidingCounts(keep))
        .add(now, 1, status == 429 ? 1 : 0);
  }

  /** {attempts, failed} per integration over the window. */
  Map<String, long[]> failures(Instant now, Duration window) {
    Map<String, long[]> result = new TreeMap<>();
    failures.forEach((id, counts) -> result.put(id, counts.sum(now, window)));
    return result;
  }

  /** 429 answers per integration over the window (integrations without any left out). */
  Map<String, Long> throttled(Instant now, Duration window) {
    Map<String, Long> result = new TreeMap<>();
    throttled.forEach(
        (id, counts) -> {
          long n = counts.sum(now, window)[1];
          if (n > 0) {
            result.put(id, n);
          }
        });
    return result;
  }
}
