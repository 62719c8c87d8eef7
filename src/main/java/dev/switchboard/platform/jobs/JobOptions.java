package dev.switchboard.platform.jobs;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * How a job is enqueued. Start from {@link #defaults()} and change what differs.
 *
 * @param dedupeKey when given, a second enqueue with the same key returns the first job's id and
 *     adds nothing; keys stay taken until the finished job is purged (see {@link
 *     JobWorkerSettings#retention()})
 * @param runAt the earliest time to run; empty means now
 * @param maxAttempts attempts before the job is dead, at least 1
 */
public record JobOptions(Optional<String> dedupeKey, Optional<Instant> runAt, int maxAttempts) {

  public static final int DEFAULT_MAX_ATTEMPTS = 12;
  public static final int MAX_DEDUPE_KEY_LENGTH = 255;

  public JobOptions {
    Objects.requireNonNull(dedupeKey, "dedupeKey cannot be null");
    Objects.requireNonNull(runAt, "runAt cannot be null");
  }

  /** No dedupe key, run now, {@value #DEFAULT_MAX_ATTEMPTS} attempts. */
  public static JobOptions defaults() {
    return new JobOptions(Optional.empty(), Optional.empty(), DEFAULT_MAX_ATTEMPTS);
  }

  public JobOptions dedupeKey(String key) {
    return new JobOptions(Optional.of(key), runAt, maxAttempts);
  }

  public JobOptions runAt(Instant at) {
    return new JobOptions(dedupeKey, Optional.of(at), maxAttempts);
  }

  public JobOptions maxAttempts(int attempts) {
    return new JobOptions(dedupeKey, runAt, attempts);
  }
}
