package dev.switchboard.monitoring;

import java.time.Duration;
import java.time.Instant;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts per second for one key over a bounded window; thread-safe. Used for error shares and
 * rate-limit usage.
 */
final class SlidingCounts {

  private final Duration keep;
  private final TreeMap<Long, Slot> seconds = new TreeMap<>();
  private long firstSecond = Long.MAX_VALUE;

  /**
   * The slot of the newest second counted: most adds land in it (one per request on some keys), and
   * they add to it without the lock, which request threads queued on when it was taken per add.
   */
  private volatile Slot last;

  SlidingCounts(Duration keep) {
    this.keep = keep;
  }

  /** Adds to the counters of the second {@code at} falls in. */
  void add(Instant at, long total, long marked) {
    long second = at.getEpochSecond();
    Slot slot = last;
    if (slot == null || slot.second != second) {
      slot = slotOf(second);
    }
    if (total != 0) {
      slot.total.addAndGet(total);
    }
    if (marked != 0) {
      slot.marked.addAndGet(marked);
    }
  }

  private synchronized Slot slotOf(long second) {
    firstSecond = Math.min(firstSecond, second);
    Slot slot = seconds.computeIfAbsent(second, Slot::new);
    Slot newest = last;
    if (newest == null || second > newest.second) {
      last = slot;
      // Older seconds go once per new second, not on every add; the current one is never among
      // them.
      seconds.headMap(second - keep.toSeconds() - 1).clear();
    }
    return slot;
  }

  /** One second's counters. */
  private static final class Slot {
    final long second;
    final AtomicLong total = new AtomicLong();
    final AtomicLong marked = new AtomicLong();

    Slot(long second) {
      this.second = second;
    }
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
    for (Slot slot : seconds.subMap(start, true, end, false).values()) {
      total += slot.total.get();
      marked += slot.marked.get();
    }
    return new long[] {total, marked, firstSecond <= start ? 1 : 0};
  }

  /** Whether nothing was counted at or after {@code since}: such a counter can be dropped. */
  synchronized boolean idleSince(Instant since) {
    return seconds.ceilingKey(since.getEpochSecond()) == null;
  }
}
