package dev.switchboard.platform.jobs;

import dev.switchboard.platform.outbound.Backoff;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;

/**
 * How a {@link JobWorker} runs.
 *
 * @param workerId this worker's name in {@code jobs.locked_by}; unique per process
 * @param pollInterval how often the database is asked for due jobs when nothing woke the worker
 * @param batchSize jobs claimed per query
 * @param threads jobs run at once
 * @param lease how long a claimed job is reserved; extended while it runs, so only a dead instance
 *     lets it lapse
 * @param backoff delays between attempts when the failure names none
 * @param maxRetryAfter the longest delay a handler or provider may ask for
 * @param retention how long done jobs with a dedupe key (and so their keys) are kept; those without
 *     one leave no row
 * @param shutdownGrace how long stopping waits for running jobs, counted from the moment the
 *     instance began to stop ({@code SWITCHBOARD_SHUTDOWN_GRACE})
 */
public record JobWorkerSettings(
    String workerId,
    Duration pollInterval,
    int batchSize,
    int threads,
    Duration lease,
    Backoff backoff,
    Duration maxRetryAfter,
    Duration retention,
    Duration shutdownGrace) {

  public JobWorkerSettings {
    Objects.requireNonNull(workerId, "workerId cannot be null");
    if (batchSize < 1 || threads < 1) {
      throw new IllegalArgumentException("batchSize and threads must be at least 1");
    }
    if (pollInterval.compareTo(lease.dividedBy(3)) > 0) {
      throw new IllegalArgumentException(
          "pollInterval must be at most a third of the lease, so leases are renewed");
    }
  }

  /**
   * Poll every second, 10 jobs per claim, 4 threads, 5 min lease, backoff 5 s up to 1 h, keep done
   * jobs 7 days.
   */
  public static JobWorkerSettings defaults() {
    String id =
        ManagementFactory.getRuntimeMXBean().getName()
            + "-"
            + UUID.randomUUID().toString().substring(0, 8);
    return new JobWorkerSettings(
        id.length() > 100 ? id.substring(id.length() - 100) : id,
        Duration.ofSeconds(1),
        10,
        4,
        Duration.ofMinutes(5),
        new Backoff(Duration.ofSeconds(5), Duration.ofHours(1)),
        Duration.ofHours(6),
        Duration.ofDays(7),
        Duration.ofSeconds(30));
  }

  public JobWorkerSettings withWorkerId(String id) {
    return new JobWorkerSettings(
        id,
        pollInterval,
        batchSize,
        threads,
        lease,
        backoff,
        maxRetryAfter,
        retention,
        shutdownGrace);
  }

  public JobWorkerSettings withPollInterval(Duration interval) {
    return new JobWorkerSettings(
        workerId,
        interval,
        batchSize,
        threads,
        lease,
        backoff,
        maxRetryAfter,
        retention,
        shutdownGrace);
  }

  public JobWorkerSettings withBatch(int size, int threadCount) {
    return new JobWorkerSettings(
        workerId,
        pollInterval,
        size,
        threadCount,
        lease,
        backoff,
        maxRetryAfter,
        retention,
        shutdownGrace);
  }

  public JobWorkerSettings withShutdownGrace(Duration grace) {
    return new JobWorkerSettings(
        workerId,
        pollInterval,
        batchSize,
        threads,
        lease,
        backoff,
        maxRetryAfter,
        retention,
        grace);
  }

  public JobWorkerSettings withLease(Duration newLease) {
    return new JobWorkerSettings(
        workerId,
        pollInterval,
        batchSize,
        threads,
        newLease,
        backoff,
        maxRetryAfter,
        retention,
        shutdownGrace);
  }
}
