package dev.switchboard.monitoring;

import dev.switchboard.platform.jobs.JobQueue;
import dev.switchboard.platform.jobs.JobStats;
import dev.switchboard.platform.jobs.JobStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code jobs_dead}: job types with jobs in the dead state (attempts used up or a permanent
 * failure). The incident stays open until those jobs are retried or purged. Alert deliveries
 * themselves are left out: a dead Slack delivery cannot be announced on Slack, and it already shows
 * on the channel's box.
 */
public final class DeadJobsSource implements AlertSource {

  private final JobQueue jobs;

  public DeadJobsSource(JobQueue jobs) {
    this.jobs = jobs;
  }

  @Override
  public AlertRule rule() {
    return AlertRule.JOBS_DEAD;
  }

  @Override
  public List<AlertSignal> firing(Instant now) {
    JobStats stats = jobs.stats();
    List<AlertSignal> firing = new ArrayList<>();
    stats.counts().keySet().stream()
        .sorted()
        .forEach(
            type -> {
              long dead = stats.count(type, JobStatus.DEAD);
              if (dead > 0 && !AlertNotifyJob.TYPE.equals(type)) {
                firing.add(
                    new AlertSignal(
                        rule(),
                        type,
                        "Dead jobs of type " + type,
                        dead
                            + (dead == 1 ? " job" : " jobs")
                            + " of type "
                            + type
                            + " gave up; retry them from the dashboard"));
              }
            });
    return firing;
  }

  @Override
  public boolean cleared(String subject, Instant now) {
    return jobs.stats().count(subject, JobStatus.DEAD) == 0;
  }
}
