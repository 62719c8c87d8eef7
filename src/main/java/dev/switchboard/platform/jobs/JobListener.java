package dev.switchboard.platform.jobs;

/**
 * Told when a worker thread starts and ends a job, so that per-thread state of other areas (the
 * breadcrumb trail of error monitoring) belongs to one job and never leaks into the next job on the
 * same pooled thread. Declare implementations as Spring beans; the worker picks them all up.
 */
public interface JobListener {

  /**
   * Called on the worker thread right before the job's handler runs. Must be fast and must not
   * throw; an exception is logged and ignored so that it cannot fail the job.
   *
   * @param job the job about to run
   */
  void beforeJob(Job job);

  /**
   * Called on the worker thread after the job's outcome (done, retry, deferred or dead) was
   * recorded, whether or not the handler threw. Same rules as {@link #beforeJob}.
   *
   * @param job the job that ran
   */
  void afterJob(Job job);
}
