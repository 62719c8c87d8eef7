package dev.switchboard.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.platform.config.SecretScrubber;
import dev.switchboard.platform.jobs.Job;
import dev.switchboard.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Monitoring's job listener with the local reporter: jobs on one pooled thread, one after another,
 * as the worker runs them (that the worker tells listeners around each job on its thread is {@code
 * platform.jobs.JobListenerIT}).
 */
class JobErrorContextTest {

  final ManualClock clock = new ManualClock(Instant.parse("2026-03-01T10:00:00Z"));
  final BreadcrumbTrail trail = new BreadcrumbTrail(clock, SecretScrubber.of(List.of()));
  final JdbcErrorReporterTest.GatedStore store = new JdbcErrorReporterTest.GatedStore();
  final List<ErrorOccurrence> reports = store.occurrences;
  final JdbcErrorReporter reporter =
      new JdbcErrorReporter(store, SecretScrubber.of(List.of()), trail, clock);

  {
    store.open.countDown();
  }

  final JobErrorContext listener = new JobErrorContext(trail);

  @AfterEach
  void closeReporter() {
    reporter.close();
  }

  @Test
  void errorReportWhenEarlierWorkOnTheThreadLeftBreadcrumbsThenTheJobsReportCarriesOnlyItsOwn() {
    reporter.breadcrumb(
        "http", "POST api.first.example/v1/charges → 200", Map.of("integration", "first"));

    Job second = job("test.second");
    listener.beforeJob(second);
    reporter.breadcrumb(
        "http", "POST api.second.example/v1/send → 500", Map.of("integration", "second"));
    reporter.report(
        new IllegalStateException("second failed"), ErrorContext.task(second.type(), second.id()));
    listener.afterJob(second);
    reporter.flush(Duration.ofSeconds(10));

    assertThat(reports).hasSize(1);
    assertThat(reports.get(0).breadcrumbs())
        .extracting(Breadcrumb::message)
        .containsExactly("POST api.second.example/v1/send → 500");
  }

  @Test
  void afterJobWhenTheJobRecordedBreadcrumbsThenTheThreadIsLeftWithNone() {
    Job job = job("test.first");
    listener.beforeJob(job);
    reporter.breadcrumb(
        "http", "POST api.first.example/v1/charges → 200", Map.of("integration", "first"));

    listener.afterJob(job);

    assertThat(trail.snapshot()).isEmpty();
  }

  private static Job job(String type) {
    return new Job(
        "job_" + type, type, "{}", Optional.empty(), 1, 5, Instant.parse("2026-03-01T09:59:00Z"));
  }
}
