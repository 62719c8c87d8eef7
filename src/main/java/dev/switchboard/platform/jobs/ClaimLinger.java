package dev.switchboard.platform.jobs;

import java.time.Duration;

/**
 * When the worker claims the types that give way to requests ({@link JobHandler#yieldsToRequests})
 * again after a claim of theirs came back short. During a webhook burst the one thread they run on
 * keeps up with intake, so without a pause every claim found only the few events committed since
 * the last one, and that claim statement, the group's reads and marks and its commit were each paid
 * for a handful of events. After a short claim the next one waits until {@link #pause} has passed
 * since it, so each carries what arrived meanwhile; after a full claim (a backlog) the next one
 * comes at once, and a lone job after a quiet spell is claimed at once too. Processing is therefore
 * never delayed by more than the pause. Times are {@link System#nanoTime} values, passed in so the
 * rule can be tested without waiting.
 */
final class ClaimLinger {

  private final long pauseNanos;
  private boolean cameBackShort;
  private long claimedAt;

  ClaimLinger(Duration pause) {
    if (pause.isNegative()) {
      throw new IllegalArgumentException("pause must not be negative, got " + pause);
    }
    this.pauseNanos = pause.toNanos();
  }

  /** A claim ran at {@code nanos}, asking for {@code asked} jobs and getting {@code got}. */
  void claimed(long nanos, int asked, int got) {
    claimedAt = nanos;
    cameBackShort = got < asked;
  }

  /** Whether a claim at {@code nanos} should wait. */
  boolean holds(long nanos) {
    return cameBackShort && nanos - claimedAt < pauseNanos;
  }

  /** How long from {@code nanos} until a claim may run; zero when it may now. */
  Duration left(long nanos) {
    return holds(nanos) ? Duration.ofNanos(pauseNanos - (nanos - claimedAt)) : Duration.ZERO;
  }
}
