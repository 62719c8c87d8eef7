package dev.switchboard.platform.ratelimit;

/**
 * For integration tests of a limit: the in-memory limiter on a time that stands still, so a bucket
 * a test empties stays empty however slowly the machine serves the requests that empty it (a
 * limit's refill is {@link InMemoryRateLimiterTest}'s subject, not theirs). Only a blocking
 * acquire's wait moves the time, by exactly the wait.
 */
public final class StoppedTimeRateLimiter {

  private StoppedTimeRateLimiter() {}

  public static RateLimiter create() {
    ManualTime time = new ManualTime();
    return new InMemoryRateLimiter(time, time);
  }
}
