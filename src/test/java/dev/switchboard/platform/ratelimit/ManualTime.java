package dev.switchboard.platform.ratelimit;

import io.github.bucket4j.BlockingStrategy;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A time source tests move by hand; waiting on it moves it, so blocking acquires finish at once and
 * exactly.
 */
final class ManualTime implements TimeMeter, BlockingStrategy {

  private final AtomicLong nanos = new AtomicLong(Duration.ofDays(1).toNanos());
  private final AtomicLong parked = new AtomicLong();

  void advance(Duration duration) {
    nanos.addAndGet(duration.toNanos());
  }

  /** Total time waited in {@link #park}. */
  Duration parked() {
    return Duration.ofNanos(parked.get());
  }

  @Override
  public long currentTimeNanos() {
    return nanos.get();
  }

  @Override
  public boolean isWallClockBased() {
    return true;
  }

  @Override
  public void park(long nanosToPark) {
    parked.addAndGet(nanosToPark);
    nanos.addAndGet(nanosToPark);
  }
}
