package dev.switchboard.platform.jobs;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Wakes the local worker when a job was enqueued or a worker thread became free, so it need not
 * wait for a poll.
 */
public final class JobSignal {

  private final Semaphore permits = new Semaphore(0);

  /** Wakes a waiting worker, or makes its next wait return at once. */
  public void signal() {
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
    boolean signalled = permits.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS);
    permits.drainPermits();
    return signalled;
  }
}
