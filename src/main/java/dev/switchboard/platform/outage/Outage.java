package dev.switchboard.platform.outage;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * Whether a dependency is known to be unreachable. After a failure, callers skip it; once per probe
 * interval one caller (the probe) tries it again, and a success ends the outage for all. So an
 * outage costs callers nothing beyond the probe's own attempt. The users log the start and the end
 * of an outage, each told exactly once by {@link #failed()} and {@link #recovered()}.
 */
public final class Outage {

  /** A caller's way this time: to the dependency, to it as the probe, or around it. */
  public enum Route {
    THROUGH,
    PROBE,
    SKIP
  }

  private final Duration probeEvery;
  private final LongSupplier nanoTime;
  private final AtomicBoolean probing = new AtomicBoolean();
  private volatile boolean down;
  private volatile long downSince;
  private volatile long nextProbe;

  /**
   * @param probeEvery how long after a failure the next probe goes
   * @param nanoTime the monotonic time source (a manual one in tests)
   */
  public Outage(Duration probeEvery, LongSupplier nanoTime) {
    this.probeEvery = probeEvery;
    this.nanoTime = nanoTime;
  }

  /** Decides this caller's way; a {@link Route#PROBE} must call {@link #probeDone()} after. */
  public Route route() {
    if (!down) {
      return Route.THROUGH;
    }
    if (nanoTime.getAsLong() - nextProbe >= 0 && probing.compareAndSet(false, true)) {
      return Route.PROBE;
    }
    return Route.SKIP;
  }

  /** Lets the next probe go when its time comes. */
  public void probeDone() {
    probing.set(false);
  }

  /**
   * The dependency answered: ends the outage, returning how long it lasted to the one caller that
   * ended it.
   */
  public Optional<Duration> recovered() {
    if (!down) {
      return Optional.empty();
    }
    synchronized (this) {
      if (!down) {
        return Optional.empty();
      }
      down = false;
      return Optional.of(downFor());
    }
  }

  /**
   * The dependency failed: starts an outage or schedules the next probe of one.
   *
   * @return true for the one call that started the outage
   */
  public boolean failed() {
    long now = nanoTime.getAsLong();
    synchronized (this) {
      nextProbe = now + probeEvery.toNanos();
      if (down) {
        return false;
      }
      down = true;
      downSince = now;
      return true;
    }
  }

  /** Whether callers are skipping the dependency now. */
  public boolean down() {
    return down;
  }

  /** How long the current (or last) outage has lasted. */
  public Duration downFor() {
    return Duration.ofNanos(nanoTime.getAsLong() - downSince);
  }
}
