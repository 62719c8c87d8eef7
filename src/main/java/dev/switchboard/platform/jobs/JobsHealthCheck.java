package dev.switchboard.platform.jobs;

import dev.switchboard.platform.integrations.HealthCheck;
import dev.switchboard.platform.integrations.HealthResult;
import java.time.Duration;

/**
 * The queue is degraded when jobs died (someone has to look at them) or when due jobs wait longer
 * than {@code maxWait} (the workers are stuck, too slow, or no instance has a handler for the
 * type).
 */
public final class JobsHealthCheck implements HealthCheck {

  public static final Duration DEFAULT_MAX_WAIT = Duration.ofMinutes(5);

  private final JobQueue queue;
  private final Duration maxWait;

  public JobsHealthCheck(JobQueue queue, Duration maxWait) {
    this.queue = queue;
    this.maxWait = maxWait;
  }

  @Override
  public HealthResult check() {
    JobStats stats = queue.stats();
    long dead = stats.total(JobStatus.DEAD);
    Duration waited = stats.oldestReadyAge().orElse(Duration.ZERO);
    String detail =
        "ready "
            + stats.total(JobStatus.READY)
            + ", running "
            + stats.total(JobStatus.RUNNING)
            + ", dead "
            + dead
            + ", oldest due job waited "
            + waited.toSeconds()
            + " s";
    if (dead > 0 || waited.compareTo(maxWait) > 0) {
      return HealthResult.degraded(detail);
    }
    return HealthResult.up(detail);
  }
}
