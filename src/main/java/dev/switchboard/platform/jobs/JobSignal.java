package dev.switchboard.platform.jobs;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Wakes the local worker when a job was enqueued or a worker thread became free, so it need not
 * wait for a poll, and tells it which job types the wake-ups were about: a burst of webhook events
 * wakes the worker once per group commit, and a claim for the other types after each of those found
 * nothing (one statement per group; on PostgreSQL the most frequent statement of the burst).
 */
public final class JobSignal {

  private final Semaphore permits = new Semaphore(0);

  /** The types named by wake-ups since the worker last took them ({@link #mayBeDue}). */
  private final Set<String> types = new HashSet<>();

  /** Whether a wake-up since then was about any type. */
  private boolean anyType;

  /** Wakes a waiting worker: jobs of any type may have become due. */
  public void signal() {
    synchronized (this) {
      anyType = true;
    }
    wake();
  }

  /**
   * Wakes a waiting worker: jobs of these types may have become due (committed, or a thread that
   * ran them is free).
   */
  public void signal(Collection<String> jobTypes) {
    synchronized (this) {
      types.addAll(jobTypes);
    }
    wake();
  }

  private void wake() {
    // Several signals before the worker wakes mean the same thing as one.
    if (permits.availablePermits() == 0) {
      permits.release();
    }
  }

  /**
   * Waits for a signal.
   *
   * @return whether a signal arrived before the timeout
   */
  boolean await(Duration timeout) throws InterruptedException {
    // In nanoseconds: whole milliseconds would wake the worker up to one before a poll it waits
    // for.
    boolean signalled = permits.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS);
    permits.drainPermits();
    return signalled;
  }

  /**
   * Whether a wake-up since the last call was about any type or one of {@code of}; forgets the
   * wake-ups' types.
   */
  synchronized boolean mayBeDue(Set<String> of) {
    boolean due = anyType;
    for (String type : types) {
      due |= of.contains(type);
    }
    anyType = false;
    types.clear();
    return due;
  }
}
