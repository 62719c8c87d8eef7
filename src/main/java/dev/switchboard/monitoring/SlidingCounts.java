package dev.switchboard.monitoring;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts per second for one key over a bounded window; thread-safe. Used for error shares and
 * rate-limit usage.
 */
final class SlidingCounts {

  private final Duration keep;
  private final TreeMap<Long, long[]> seconds = new TreeMap<>();
  private long firstSecond = Long.MAX_VALUE;

  /** The slot of the second counted last: most adds land in it (one per request on some keys). */
  private long lastSecond = Long.MIN_VALUE;

  private long[] lastSlot;

  SlidingCounts(Duration keep) {
    this.keep = keep;
  }

  /** Adds to the counters of the second {@code at} falls in. */
  synchronized void add(Instant at, long total, long marked) {
    long second = at.getEpochSecond();
    if (second != lastSecond || lastSlot == null) {
      firstSecond = Math.min(firstSecond, second);
      lastSlot = seconds.computeIfAbsent(second, s -> new long[2]);
      lastSecond = second;
      // Older seconds go once per new second, not on every add; the current one is never among
      // them.
      seconds.headMap(second - keep.toSeconds() - 1).clear();
    }
    lastSlot[0] += total;
    lastSlot[1] += marked;
  }

  /**
   * Totals over the {@code window} ending at the last completed second before {@code now}.
   *
   * @return {total, marked, whether counting started at least a full window ago (1) or not (0)}
   */
  synchronized long[] sum(Instant now, Duration window) {
    long end = now.getEpochSecond();
    long start = end - window.toSeconds();
    long total = 0;
    long marked = 0;
    for (Map.Entry<Long, long[]> e : seconds.subMap(start, true, end, false).entrySet()) {
      total += e.getValue()[0];
      marked += e.getValue()[1];
    }
    return new long[] {total, marked, firstSecond <= start ? 1 : 0};
  }

  /** Whether nothing was counted at or after {@code since}: such a counter can be dropped. */
  synchronized boolean idleSince(Instant since) {
    return seconds.ceilingKey(since.getEpochSecond()) == null;
  }
}
