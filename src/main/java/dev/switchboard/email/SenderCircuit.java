package dev.switchboard.email;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A small circuit on the primary provider: after {@code threshold} consecutive retryable failures
 * it opens and the fallback takes the traffic; after {@code openFor} one trial send goes to the
 * primary again (half-open), and its outcome closes or reopens the circuit. Permanent answers and
 * rate limits are not outages and never open it.
 */
public final class SenderCircuit {

  public static final int DEFAULT_THRESHOLD = 5;
  public static final Duration DEFAULT_OPEN_FOR = Duration.ofSeconds(30);

  private final Clock clock;
  private final int threshold;
  private final Duration openFor;
  private int failures;
  private Instant openedAt;
  private Instant trialSince;

  public SenderCircuit(Clock clock, int threshold, Duration openFor) {
    if (threshold < 1) {
      throw new IllegalArgumentException("threshold must be at least 1");
    }
    this.clock = clock;
    this.threshold = threshold;
    this.openFor = openFor;
  }

  /**
   * Whether this send may go to the primary; in half-open state only one caller gets true until it
   * reports.
   */
  public synchronized boolean allowsPrimary() {
    if (openedAt == null) {
      return true;
    }
    Instant now = clock.instant();
    // A trial that never reported (its job was put back for a permit, its instance died) stops
    // blocking after openFor.
    boolean trialFree = trialSince == null || !now.isBefore(trialSince.plus(openFor));
    if (trialFree && !now.isBefore(openedAt.plus(openFor))) {
      trialSince = now;
      return true;
    }
    return false;
  }

  /**
   * Reports a primary send that failed in a way worth retrying (5xx, timeout, connection failure).
   */
  public synchronized void failure() {
    failures++;
    if (trialSince != null || failures >= threshold) {
      openedAt = clock.instant();
      trialSince = null;
    }
  }

  /**
   * Reports a primary send the provider answered (accepted, or refused for a reason of the message
   * itself).
   */
  public synchronized void success() {
    failures = 0;
    openedAt = null;
    trialSince = null;
  }

  public synchronized boolean open() {
    return openedAt != null;
  }
}
