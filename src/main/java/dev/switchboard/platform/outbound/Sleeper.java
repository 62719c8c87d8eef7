package dev.switchboard.platform.outbound;

import java.time.Duration;

/** Waits between attempts. Injected so that tests record the delays instead of waiting them out. */
@FunctionalInterface
public interface Sleeper {

  /** Sleeps on the calling thread. */
  Sleeper THREAD = duration -> Thread.sleep(duration.toMillis());

  /**
   * Blocks the calling thread for the given time.
   *
   * @param duration how long; zero returns at once
   * @throws InterruptedException when the thread is interrupted, for instance at shutdown
   */
  void sleep(Duration duration) throws InterruptedException;
}
