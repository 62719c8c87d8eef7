package dev.switchboard.monitoring;

import dev.switchboard.platform.jobs.Job;
import dev.switchboard.platform.jobs.JobListener;

/**
 * Starts every job with an empty breadcrumb trail and clears it afterwards, the job-side twin of
 * {@link ErrorContextFilter}: worker threads are pooled, so without this an error reported by one
 * job would carry the outbound calls of the jobs that ran on the same thread before it.
 */
public class JobErrorContext implements JobListener {

  private final BreadcrumbTrail trail;

  public JobErrorContext(BreadcrumbTrail trail) {
    this.trail = trail;
  }

  @Override
  public void beforeJob(Job job) {
    trail.clear();
  }

  @Override
  public void afterJob(Job job) {
    trail.clear();
  }
}
