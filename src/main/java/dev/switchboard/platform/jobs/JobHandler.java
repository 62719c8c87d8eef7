package dev.switchboard.platform.jobs;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs the jobs of one type. Declare implementations as Spring beans; the worker routes jobs by
 * {@link #type()} and only claims types it has a handler for. Two handlers for one type stop
 * startup.
 *
 * <p>Delivery is at least once: a job whose instance died mid-run is run again once its lease
 * expires. Make the side effect idempotent, for example by sending {@link Job#id()} as the
 * provider's idempotency key.
 */
public interface JobHandler {

  /**
   * The job type this handler runs.
   *
   * @return a stable dotted name such as {@code email.send} or {@code webhook.stripe}, at most 100
   *     characters
   */
  String type();

  /**
   * Runs one job. Returning normally marks it done.
   *
   * @param job the job, with its JSON payload
   * @throws JobFailure to say whether to retry ({@link JobFailure#retryable}, optionally after a
   *     delay) or give up ({@link JobFailure#permanent})
   * @throws dev.switchboard.platform.outbound.OutboundException retried (after its {@code
   *     Retry-After} when given) when retryable, otherwise the job is dead
   * @throws Exception anything else is retried with backoff until the attempts run out
   */
  void handle(Job job) throws Exception;

  /**
   * How many claimed jobs of this type one worker thread may run together through {@link
   * #handleAll}; 1 (the default) runs each job on a thread of its own.
   */
  default int jobsPerThread() {
    return 1;
  }

  /**
   * Whether this type's jobs give way to ingest requests ({@link Foreground}): while one is in
   * flight, they run on one worker thread at most, and on every thread again once none is. For
   * processing whose requests were answered already (stored webhook events), not for work someone
   * waits on. Honoured for types that run several jobs per thread ({@link #jobsPerThread}).
   */
  default boolean yieldsToRequests() {
    return false;
  }

  /**
   * Runs several jobs of this type on the calling thread, for handlers whose jobs share their work
   * (one transaction and batched statements for all of them). The worker calls it only when {@link
   * #jobsPerThread()} is above 1; each job's outcome is then recorded as if {@link #handle} had
   * returned or thrown it.
   *
   * @return per job, in order: null when it is done, otherwise what {@link #handle} would have
   *     thrown
   */
  default List<Exception> handleAll(List<Job> jobs) {
    List<Exception> failures = new ArrayList<>(jobs.size());
    for (Job job : jobs) {
      try {
        handle(job);
        failures.add(null);
      } catch (Exception e) {
        failures.add(e);
      }
    }
    return failures;
  }
}
