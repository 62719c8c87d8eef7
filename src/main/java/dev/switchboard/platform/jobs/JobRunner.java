package dev.switchboard.platform.jobs;

import dev.switchboard.platform.db.DatabaseFailures;
import dev.switchboard.platform.db.OutageRetry;
import dev.switchboard.platform.outbound.OutboundException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
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

  /** When a job the database failed under runs again; the attempt is not counted. */
  static final Duration DATABASE_RETRY = Duration.ofSeconds(5);

  /** How often the outcome of a finished job is written again while the database is away. */
  static final Duration STORE_RETRY_EVERY = Duration.ofSeconds(1);

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
      JobCompletion.end();
      tell(job, false);
    }
  }

  /**
   * Runs jobs of one type whose handler runs them together ({@link JobHandler#handleAll}) on the
   * calling thread, and records each one's outcome as {@link #run} would.
   */
  void runAll(List<Job> jobs) {
    if (jobs.size() == 1) {
      run(jobs.get(0));
      return;
    }
    RuntimeException unrecorded = null;
    try {
      jobs.forEach(job -> tell(job, true));
      List<Job> live = new ArrayList<>(jobs.size());
      for (Job job : jobs) {
        if (job.attempt() > job.maxAttempts()) {
          bury(job, "lease expired during the last attempt");
        } else {
          live.add(job);
        }
      }
      if (live.isEmpty()) {
        return;
      }
      JobHandler handler = handlers.get(live.get(0).type());
      List<JobCompletion.Run> runs =
          JobCompletion.startAll(live, settings.workerId(), store, clock);
      List<Exception> failures;
      try {
        failures = handler.handleAll(live);
        if (failures == null || failures.size() != live.size()) {
          throw new IllegalStateException(
              "handler " + handler.getClass().getName() + " returned no outcome per job");
        }
      } catch (RuntimeException e) {
        failures = Collections.nCopies(live.size(), e);
      }
      for (int i = 0; i < live.size(); i++) {
        try {
          settle(live.get(i), runs.get(i), failures.get(i));
        } catch (RuntimeException e) {
          // The others' outcomes are still written; this one runs again when its lease expires.
          unrecorded = unrecorded == null ? e : unrecorded;
        }
      }
    } finally {
      JobCompletion.end();
      jobs.forEach(job -> tell(job, false));
    }
    if (unrecorded != null) {
      throw unrecorded;
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
    JobCompletion.Run run = JobCompletion.start(job, settings.workerId(), store, clock);
    Exception failure = null;
    try {
      handler.handle(job);
    } catch (Exception e) {
      failure = e;
    }
    settle(job, run, failure);
  }

  /**
   * Records how a run ended.
   *
   * @param thrown what the handler threw for this job, null when it returned
   */
  private void settle(Job job, JobCompletion.Run run, Exception thrown) {
    try {
      if (thrown != null) {
        throw thrown;
      }
    } catch (JobFailure failure) {
      if (DatabaseFailures.unavailable(failure)) {
        defer(job, summary(failure), DATABASE_RETRY);
      } else if (failure.deferred()) {
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
      if (DatabaseFailures.unavailable(failure)) {
        // The database went away under the handler (restart, failover): not the job's fault, so it
        // keeps its attempts and runs again once the database is back.
        defer(job, summary(failure), DATABASE_RETRY);
      } else {
        retryOrBury(job, failure, Optional.empty());
      }
      return;
    }
    if (run.done()) {
      // The handler marked the job done in its own transaction (JobCompletion), now committed.
      count(job, "done");
      return;
    }
    if (stored(() -> store.markDone(job, settings.workerId(), clock.instant()))) {
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
    if (stored(() -> store.reschedule(job, settings.workerId(), now.plus(delay), error, now))) {
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
    if (stored(() -> store.defer(job, settings.workerId(), now.plus(capped), note, now))) {
      count(job, "deferred");
    }
  }

  private void bury(Job job, String error) {
    if (stored(() -> store.bury(job, settings.workerId(), error, clock.instant()))) {
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

  /**
   * Writes a job's outcome, trying again every {@link #STORE_RETRY_EVERY} while the database cannot
   * be reached, for at most one lease: the worker keeps renewing the lease of a job whose outcome
   * is not written yet, so a database restart does not make a finished job run again elsewhere.
   * Past the lease (or when interrupted by a shutdown) it gives up; the job is claimed again when
   * its lease expires, as after a crash ({@link OutageRetry}).
   *
   * @return what the store answered: false when the job was no longer this worker's
   */
  private boolean stored(BooleanSupplier write) {
    return OutageRetry.call(write::getAsBoolean, STORE_RETRY_EVERY, settings.lease());
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
