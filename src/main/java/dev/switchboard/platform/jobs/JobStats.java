package dev.switchboard.platform.jobs;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * A snapshot of the queue: what waits, runs and gave up. Done jobs are history (kept until the
 * purge) and are not counted.
 *
 * @param counts job type to status (ready, running, dead) to number of jobs
 * @param oldestReadyAge how long the longest-waiting due job has waited past its run time; empty
 *     when none is due
 */
public record JobStats(
    Map<String, Map<JobStatus, Long>> counts, Optional<Duration> oldestReadyAge) {

  public JobStats {
    counts = Map.copyOf(counts);
  }

  /** Jobs in a status, over all types. */
  public long total(JobStatus status) {
    return counts.values().stream().mapToLong(byStatus -> byStatus.getOrDefault(status, 0L)).sum();
  }

  /** Jobs of one type in one status. */
  public long count(String type, JobStatus status) {
    return counts.getOrDefault(type, Map.of()).getOrDefault(status, 0L);
  }
}
