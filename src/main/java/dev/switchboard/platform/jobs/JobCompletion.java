package dev.switchboard.platform.jobs;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Lets a handler mark its job done inside its own transaction, so the job's completion commits with
 * the handler's state change, or not at all: one statement and one commit less per job than the
 * worker's separate {@code markDone} after the handler returns (on the webhook path, a fifth of the
 * job's database work), and a job whose work committed can no longer run again because its
 * completion was lost.
 *
 * <p>The worker sets up the run on the thread that calls {@link JobHandler#handle}; outside such a
 * run (a handler called directly) or outside a transaction, {@link #inTransaction} does nothing and
 * the worker marks the job done afterwards, as before.
 */
public final class JobCompletion {

  private static final ThreadLocal<Run> CURRENT = new ThreadLocal<>();

  private JobCompletion() {}

  /** One job's run on the calling thread, as the worker started it. */
  static final class Run {
    private final Job job;
    private final String worker;
    private final JdbcJobStore store;
    private final Clock clock;

    /** Set once the transaction that marked the job done has committed. */
    private volatile boolean done;

    Run(Job job, String worker, JdbcJobStore store, Clock clock) {
      this.job = job;
      this.worker = worker;
      this.store = store;
      this.clock = clock;
    }

    boolean done() {
      return done;
    }
  }

  static Run start(Job job, String worker, JdbcJobStore store, Clock clock) {
    Run run = new Run(job, worker, store, clock);
    CURRENT.set(run);
    return run;
  }

  /**
   * The runs of several jobs that the calling thread runs together ({@link JobHandler#handleAll}).
   */
  private static final ThreadLocal<Map<String, Run>> TOGETHER = new ThreadLocal<>();

  static List<Run> startAll(List<Job> jobs, String worker, JdbcJobStore store, Clock clock) {
    Map<String, Run> runs = new HashMap<>();
    List<Run> list = new ArrayList<>(jobs.size());
    for (Job job : jobs) {
      Run run = new Run(job, worker, store, clock);
      runs.put(job.id(), run);
      list.add(run);
    }
    TOGETHER.set(runs);
    return list;
  }

  static void end() {
    CURRENT.remove();
    TOGETHER.remove();
  }

  /** The calling thread's run of {@code job}, or null outside a worker's run of it. */
  static Run of(Job job) {
    Run run = CURRENT.get();
    if (run != null && run.job.id().equals(job.id())) {
      return run;
    }
    Map<String, Run> together = TOGETHER.get();
    return together == null ? run : together.getOrDefault(job.id(), run);
  }

  /** The run of the job the calling thread handles, or null outside a worker's run. */
  static Run current() {
    return CURRENT.get();
  }

  /**
   * Runs {@code work} on the calling thread on behalf of {@code run}'s thread, which waits for it:
   * a group writer ({@link JobCommits}) doing the transactional part of another thread's job, so
   * that {@link #inTransaction} marks that job done in the shared transaction.
   */
  static <T> T actingFor(Run run, Supplier<T> work) {
    Run own = CURRENT.get();
    CURRENT.set(run);
    try {
      return work.get();
    } finally {
      if (own == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(own);
      }
    }
  }

  /**
   * Marks a group's jobs done in the caller's transaction, as one statement batch per worker: for a
   * group writer ({@link JobCommits}) that does the transactional part of several threads' jobs. A
   * job is marked only when its run is the worker's run of that job and attempt, as with {@link
   * #inTransaction(Job)}; its run learns after the commit that it is done.
   *
   * @param runs the runs the jobs belong to (null for a job handled outside a worker's run)
   * @param jobs the jobs, in the order their rows are to be locked
   */
  static void inTransaction(List<Run> runs, List<Job> jobs) {
    if (!TransactionSynchronizationManager.isActualTransactionActive()
        || !TransactionSynchronizationManager.isSynchronizationActive()) {
      return;
    }
    Map<List<Object>, List<Run>> byWorker = new LinkedHashMap<>();
    for (int i = 0; i < runs.size(); i++) {
      Run run = runs.get(i);
      Job job = jobs.get(i);
      if (run != null && run.job.id().equals(job.id()) && run.job.attempt() == job.attempt()) {
        byWorker.computeIfAbsent(List.of(run.store, run.worker), k -> new ArrayList<>()).add(run);
      }
    }
    for (List<Run> same : byWorker.values()) {
      Run first = same.get(0);
      boolean[] marked =
          first.store.markAllDone(
              same.stream().map(r -> r.job).toList(), first.worker, first.clock.instant());
      List<Run> done = new ArrayList<>(same.size());
      for (int i = 0; i < same.size(); i++) {
        if (marked[i]) {
          done.add(same.get(i));
        }
      }
      if (!done.isEmpty()) {
        TransactionSynchronizationManager.registerSynchronization(
            new TransactionSynchronization() {
              @Override
              public void afterCompletion(int status) {
                boolean committed = status == STATUS_COMMITTED;
                done.forEach(r -> r.done = committed);
              }
            });
      }
    }
  }

  /**
   * Marks {@code job} done in the caller's transaction. If that transaction rolls back, so does the
   * mark, and the worker records the outcome as it would otherwise.
   *
   * @return whether the mark was written (false outside a worker's run of this job, outside a
   *     transaction, or when the job is no longer this worker's)
   */
  public static boolean inTransaction(Job job) {
    Run run = of(job);
    if (run == null
        || !run.job.id().equals(job.id())
        || run.job.attempt() != job.attempt()
        || !TransactionSynchronizationManager.isActualTransactionActive()
        || !TransactionSynchronizationManager.isSynchronizationActive()) {
      return false;
    }
    if (!run.store.markDone(run.job, run.worker, run.clock.instant())) {
      return false;
    }
    TransactionSynchronizationManager.registerSynchronization(
        new TransactionSynchronization() {
          @Override
          public void afterCompletion(int status) {
            run.done = status == STATUS_COMMITTED;
          }
        });
    return true;
  }
}
