package dev.switchboard.platform.jobs;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Where areas put work that must happen exactly once even if the process dies: sending an email,
 * calling a provider, processing a stored webhook. A job enqueued inside a Spring transaction is
 * part of it: it exists if and only if the caller's own rows were committed, and the local worker
 * is woken after the commit.
 */
public final class JobQueue {

  public static final int MAX_TYPE_LENGTH = 100;

  /** Jobs per {@link #enqueueAll} call: as many as the largest bulk email send. */
  public static final int MAX_BATCH = 10_000;

  private final JdbcJobStore store;
  private final Clock clock;
  private final JobSignal signal;
  private final JsonMapper json;
  private final Supplier<String> ids;

  JobQueue(
      JdbcJobStore store, Clock clock, JobSignal signal, JsonMapper json, Supplier<String> ids) {
    this.store = store;
    this.clock = clock;
    this.signal = signal;
    this.json = json;
    this.ids = ids;
  }

  /**
   * Enqueues a job to run now with the default attempts.
   *
   * @return the new job's id
   * @throws IllegalArgumentException when the type is blank or too long, or the payload is not JSON
   */
  public String enqueue(String type, String payloadJson) {
    return enqueue(type, payloadJson, JobOptions.defaults());
  }

  /**
   * Enqueues a job.
   *
   * @param type the {@link JobHandler#type()} that runs it
   * @param payloadJson the job's input as JSON text; keep secrets out, it is stored as is
   * @param options dedupe key, earliest run time, attempts
   * @return the new job's id, or the existing job's id when the dedupe key is already taken
   *     (nothing is inserted)
   * @throws IllegalArgumentException when the type, payload or options are invalid; nothing is
   *     inserted
   */
  public String enqueue(String type, String payloadJson, JobOptions options) {
    validate(type, payloadJson, options);
    Instant now = clock.instant();
    String id = ids.get();
    boolean inserted =
        store.insert(
            id,
            type,
            payloadJson,
            options.dedupeKey(),
            options.maxAttempts(),
            options.runAt().orElse(now),
            now);
    if (!inserted) {
      String key =
          options
              .dedupeKey()
              .orElseThrow(() -> new IllegalStateException("job id collision: " + id));
      return store
          .idForDedupeKey(key)
          .orElseThrow(() -> new IllegalStateException("dedupe key vanished: " + key));
    }
    wakeWorker(() -> signal.signal(Set.of(type)));
    return id;
  }

  /**
   * Enqueues several jobs at once: one batched insert in one transaction, so either all of them
   * exist or none (inside a Spring transaction they join it, as with {@link #enqueue}). Much faster
   * than one {@link #enqueue} per job for bulk work.
   *
   * @param jobs the jobs, at most {@value #MAX_BATCH}
   * @return the new jobs' ids in the order given; for a job whose dedupe key is already taken (by
   *     an existing job or an earlier job of this batch), the id of the job holding it
   * @throws IllegalArgumentException when any job is invalid or there are too many; nothing is
   *     inserted
   */
  public List<String> enqueueAll(List<NewJob> jobs) {
    Objects.requireNonNull(jobs, "jobs cannot be null");
    if (jobs.size() > MAX_BATCH) {
      throw new IllegalArgumentException(
          "at most " + MAX_BATCH + " jobs per batch, got " + jobs.size());
    }
    Instant now = clock.instant();
    List<JdbcJobStore.Insert> rows = new ArrayList<>(jobs.size());
    for (int i = 0; i < jobs.size(); i++) {
      NewJob job = jobs.get(i);
      Objects.requireNonNull(job, "a job of the batch is null");
      validate(job.type(), job.payloadJson(), job.options());
      // Claims take jobs by run_at then id, and ids are random: one microsecond apart, a batch runs
      // in list order.
      // Counted back from now, so every job is due at once; a run time the caller chose is kept
      // exactly.
      Instant runAt =
          job.options().runAt().orElse(now.minus(jobs.size() - 1 - i, ChronoUnit.MICROS));
      rows.add(
          new JdbcJobStore.Insert(
              ids.get(),
              job.type(),
              job.payloadJson(),
              job.options().dedupeKey(),
              job.options().maxAttempts(),
              runAt));
    }
    if (rows.isEmpty()) {
      return List.of();
    }
    List<String> result = store.insertAll(rows, now);
    Set<String> types = rows.stream().map(JdbcJobStore.Insert::type).collect(Collectors.toSet());
    wakeWorker(() -> signal.signal(types));
    return result;
  }

  private void validate(String type, String payloadJson, JobOptions options) {
    Objects.requireNonNull(options, "options cannot be null");
    if (type == null || type.isBlank() || type.length() > MAX_TYPE_LENGTH) {
      throw new IllegalArgumentException(
          "job type must be 1 to " + MAX_TYPE_LENGTH + " characters");
    }
    if (options.maxAttempts() < 1) {
      throw new IllegalArgumentException(
          "maxAttempts must be at least 1, got " + options.maxAttempts());
    }
    if (options
        .dedupeKey()
        .filter(k -> k.isBlank() || k.length() > JobOptions.MAX_DEDUPE_KEY_LENGTH)
        .isPresent()) {
      throw new IllegalArgumentException(
          "dedupe key must be 1 to " + JobOptions.MAX_DEDUPE_KEY_LENGTH + " characters");
    }
    if (payloadJson == null) {
      throw new IllegalArgumentException("payload must be JSON, got null");
    }
    boolean valid;
    try {
      valid = !json.readTree(payloadJson).isMissingNode();
    } catch (JacksonException e) {
      valid = false;
    }
    if (!valid) {
      throw new IllegalArgumentException("payload of job type " + type + " is not valid JSON");
    }
  }

  /** Wakes the worker ({@code wake}), after the caller's commit when it has one. */
  private void wakeWorker(Runnable wake) {
    if (TransactionSynchronizationManager.isSynchronizationActive()) {
      // Before the commit the worker could not see the row; waking it now would only cost a query.
      TransactionSynchronizationManager.registerSynchronization(
          new TransactionSynchronization() {
            @Override
            public void afterCommit() {
              wake.run();
            }
          });
    } else {
      wake.run();
    }
  }

  /** Jobs ready, running and dead per type, and the age of the oldest due job. */
  public JobStats stats() {
    Instant now = clock.instant();
    return new JobStats(store.counts(), store.oldestDue(now).map(at -> Duration.between(at, now)));
  }

  /**
   * The most recently buried jobs.
   *
   * @param limit at most this many, 1 to 1000
   */
  public List<DeadJob> dead(int limit) {
    if (limit < 1 || limit > 1000) {
      throw new IllegalArgumentException("limit must be 1 to 1000, got " + limit);
    }
    return store.dead(limit);
  }

  /**
   * Makes a dead job ready to run now, with its attempts reset.
   *
   * @return false when no dead job has this id (unknown, or not dead); nothing changes then
   */
  public boolean retryDead(String id) {
    boolean revived = id != null && store.revive(id, clock.instant());
    if (revived) {
      // Of a type only the row knows.
      wakeWorker(signal::signal);
    }
    return revived;
  }
}
