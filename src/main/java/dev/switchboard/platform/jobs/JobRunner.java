package dev.switchboard.platform.jobs;

import dev.switchboard.platform.outbound.OutboundException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one claimed job through its handler and records the outcome: done, ready again later, or
 * dead.
 */
final class JobRunner {

  private static final Logger log = LoggerFactory.getLogger(JobRunner.class);

  private final JdbcJobStore store;
  private final Map<String, JobHandler> handlers;
  private final JobWorkerSettings settings;
  private final Clock clock;
  private final RandomGenerator random;
  private final MeterRegistry meters;
  private final UnaryOperator<String> scrub;
  private final List<JobListener> listeners;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();

  JobRunner(
      JdbcJobStore store,
      Map<String, JobHandler> handlers,
      JobWorkerSettings settings,
      Clock clock,
      RandomGenerator random,
      MeterRegistry meters,
      UnaryOperator<String> scrub,
      List<JobListener> listeners) {
    this.scrub = scrub;
    this.listeners = List.copyOf(listeners);
    this.store = store;
    this.handlers = Map.copyOf(handlers);
    this.settings = settings;
    this.clock = clock;
    this.random = random;
    this.meters = meters;
  }

  void run(Job job) {
    try {
      tell(job, true);
      attempt(job);
    } finally {
      tell(job, false);
    }
  }

  private void tell(Job job, boolean before) {
    for (JobListener listener : listeners) {
      try {
        if (before) {
          listener.beforeJob(job);
        } else {
          listener.afterJob(job);
        }
      } catch (VirtualMachineError e) {
        throw e;
      } catch (Throwable e) {
        // A listener is bookkeeping; it must not decide the fate of the job, not even with an Error
        // (a linkage
        // error in a listener would otherwise skip the handler and leave the job running until its
        // lease lapses).
        log.warn(
            "Job listener {} failed around job {}: {}",
            listener.getClass().getName(),
            job.id(),
            e.toString());
      }
    }
  }

  private void attempt(Job job) {
    if (job.attempt() > job.maxAttempts()) {
      // The previous holder's lease lapsed on the last attempt: the instance died mid-run, maybe in
      // this handler.
      bury(job, "lease expired during the last attempt");
      return;
    }
    JobHandler handler = handlers.get(job.type());
    try {
      handler.handle(job);
    } catch (JobFailure failure) {
      if (failure.deferred()) {
        defer(job, summary(failure), failure.retryAfter().orElse(Duration.ZERO));
      } else if (failure.retryable()) {
        retryOrBury(job, failure, failure.retryAfter());
      } else {
        bury(job, summary(failure));
      }
      return;
    } catch (OutboundException failure) {
      if ("interrupted".equals(failure.code())) {
        // Cut off by a shutdown in the middle of a call: not the job's fault, so it keeps its
        // attempts.
        defer(job, summary(failure), Duration.ZERO);
      } else if (failure.retryable()) {
        retryOrBury(job, failure, failure.retryAfter());
      } else {
        bury(job, summary(failure));
      }
      return;
    } catch (InterruptedException failure) {
      // Shutting down: the attempt did not finish, so let it run again soon, here or on another
      // instance.
      Thread.currentThread().interrupt();
      defer(job, summary(failure), Duration.ZERO);
      return;
    } catch (Exception failure) {
      retryOrBury(job, failure, Optional.empty());
      return;
    }
    if (store.markDone(job, settings.workerId(), clock.instant())) {
      count(job, "done");
    } else {
      log.warn(
          "Job {} ({}) finished after its lease was lost; another run may have taken it",
          job.id(),
          job.type());
    }
  }

  private void retryOrBury(Job job, Exception failure, Optional<Duration> retryAfter) {
    String error = summary(failure);
    if (job.lastAttempt()) {
      bury(job, error);
      return;
    }
    Duration delay =
        retryAfter
            .map(d -> d.compareTo(settings.maxRetryAfter()) > 0 ? settings.maxRetryAfter() : d)
            .orElseGet(() -> settings.backoff().delay(job.attempt(), random));
    Instant now = clock.instant();
    if (store.reschedule(job, settings.workerId(), now.plus(delay), error, now)) {
      count(job, "retry");
      log.info(
          "Job {} ({}) attempt {}/{} failed, retrying in {}: {}",
          job.id(),
          job.type(),
          job.attempt(),
          job.maxAttempts(),
          delay,
          error);
    }
  }

  /**
   * The error as stored and logged: short, without URL credentials, and without any configured
   * secret.
   */
  private String summary(Throwable failure) {
    return scrub.apply(ErrorSummary.of(failure));
  }

  private void defer(Job job, String note, Duration delay) {
    Duration capped =
        delay.compareTo(settings.maxRetryAfter()) > 0 ? settings.maxRetryAfter() : delay;
    Instant now = clock.instant();
    if (store.defer(job, settings.workerId(), now.plus(capped), note, now)) {
      count(job, "deferred");
    }
  }

  private void bury(Job job, String error) {
    if (store.bury(job, settings.workerId(), error, clock.instant())) {
      count(job, "dead");
      log.warn(
          "Job {} ({}) is dead after attempt {}/{}: {}",
          job.id(),
          job.type(),
          job.attempt(),
          job.maxAttempts(),
          error);
    }
  }

  private void count(Job job, String outcome) {
    if (meters != null) {
      counters
          .computeIfAbsent(
              job.type() + '\n' + outcome,
              k ->
                  Counter.builder("switchboard.jobs")
                      .description("Job attempts by type and outcome (done, retry, deferred, dead)")
                      .tag("type", job.type())
                      .tag("outcome", outcome)
                      .register(meters))
          .increment();
    }
  }
}
