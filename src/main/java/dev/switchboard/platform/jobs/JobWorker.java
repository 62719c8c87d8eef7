package dev.switchboard.platform.jobs;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.ContextClosedEvent;

/**
 * Claims due jobs and runs them on a small pool. One loop thread claims only as many jobs as there
 * are free threads, so nothing claimed waits in memory while its lease runs down, and while jobs
 * run it claims only once at least half the threads are free (a batch per claim), renews the leases
 * of running jobs, and purges old done jobs. It sleeps until the next poll, or until a local
 * enqueue or a freed thread wakes it.
 *
 * <p>Stopping: when the instance begins to stop ({@link ContextClosedEvent}, the moment readiness
 * turns to refusing) the worker stops claiming at once, so other instances take the queue, while
 * the jobs it runs go on and keep renewing their leases. Its own {@link #stop()} comes after the
 * web server has drained its requests ({@link #PHASE}) and waits for running jobs until {@link
 * JobWorkerSettings#shutdownGrace()} after that first moment; then it interrupts them (a handler
 * cut off in a call hands its job back without using up an attempt) and releases the leases of any
 * that still have not returned, so another instance runs them now instead of a lease later.
 */
public final class JobWorker implements SmartLifecycle, ApplicationListener<ContextClosedEvent> {

  /**
   * Stopped after the web server's graceful drain ({@code DEFAULT_PHASE - 1024}) and before the web
   * server itself ({@code DEFAULT_PHASE - 2048}): requests and jobs drain at the same time, and the
   * job queue's database is still open while leases are released.
   */
  static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 1536;

  /** How long interrupted handlers get to record their own outcome before leases are released. */
  static final Duration INTERRUPT_WAIT = Duration.ofSeconds(2);

  private static final Logger log = LoggerFactory.getLogger(JobWorker.class);
  private static final Duration PURGE_EVERY = Duration.ofHours(1);

  private final JdbcJobStore store;
  private final JobWorkerSettings settings;
  private final Clock clock;
  private final JobSignal signal;
  private final JobRunner runner;
  private final Set<String> types;

  /** The types whose handler runs several jobs on one thread, and how many at most. */
  private final Map<String, Integer> together;

  /** The other types: one job per thread. */
  private final Set<String> alone;

  /**
   * The types of {@link #together} whose handler gives way to ingest requests ({@link
   * JobHandler#yieldsToRequests}), and the rest of them.
   */
  private final Set<String> yielding;

  private final Set<String> steady;

  /** Requests in flight that {@link #yielding} types give way to. */
  private final Foreground foreground;

  /** Threads running {@link #yielding} types now. */
  private final AtomicInteger yieldingThreads = new AtomicInteger();

  private final Set<String> running = ConcurrentHashMap.newKeySet();
  private final Semaphore freeThreads;
  private final UnaryOperator<String> scrub;
  private volatile boolean active;
  private volatile boolean claiming;
  private final Object claimLock = new Object();
  private volatile long drainStartNanos;
  private Thread loop;
  private ExecutorService pool;

  /**
   * A claim failed (loop thread only): if its statement committed before the connection broke, the
   * jobs it leased are this worker's in the table but not in {@link #running}.
   */
  private boolean claimLost;

  /**
   * Whether jobs of {@link #alone} types may be due beyond what their last claim saw (loop thread
   * only): one of them was enqueued here or a thread that ran one is free, a wake-up was about any
   * type, or the last claim took as many as it asked for. Wake-ups about other types (a webhook
   * burst wakes the worker once per group commit) do not claim them, so each of those wake-ups
   * costs one claim statement instead of two; jobs of these types that become due otherwise (run
   * time reached, lease expired, enqueued by another instance) are claimed within a poll interval
   * of the last claim, as when nothing wakes the worker.
   */
  private boolean aloneMayBeDue = true;

  /** When {@link #alone} types were last claimed ({@link System#nanoTime}). */
  private long aloneClaimedAt;

  /**
   * Whether the last claim had threads for {@link #alone} types but left them out because their
   * poll had not come yet (loop thread only): the loop then waits only for that poll.
   */
  private boolean aloneWaitsForPoll;

  private Instant lastRenewal = Instant.MIN;
  private Instant nextPurge = Instant.MIN;

  JobWorker(
      JdbcJobStore store,
      List<JobHandler> handlers,
      JobWorkerSettings settings,
      Clock clock,
      JobSignal signal,
      RandomGenerator random,
      MeterRegistry meters) {
    this(
        store,
        handlers,
        settings,
        clock,
        signal,
        random,
        meters,
        UnaryOperator.identity(),
        List.of());
  }

  JobWorker(
      JdbcJobStore store,
      List<JobHandler> handlers,
      JobWorkerSettings settings,
      Clock clock,
      JobSignal signal,
      RandomGenerator random,
      MeterRegistry meters,
      UnaryOperator<String> scrub,
      List<JobListener> listeners) {
    this(
        store,
        handlers,
        settings,
        clock,
        signal,
        random,
        meters,
        scrub,
        listeners,
        new Foreground());
  }

  /**
   * @param scrub removes configured secrets from error text before it is logged or stored
   * @param listeners told before and after every job, on the thread that runs it
   * @param foreground the ingest requests that yielding handlers give way to
   */
  JobWorker(
      JdbcJobStore store,
      List<JobHandler> handlers,
      JobWorkerSettings settings,
      Clock clock,
      JobSignal signal,
      RandomGenerator random,
      MeterRegistry meters,
      UnaryOperator<String> scrub,
      List<JobListener> listeners,
      Foreground foreground) {
    Map<String, JobHandler> byType = new HashMap<>();
    for (JobHandler handler : handlers) {
      JobHandler previous = byType.put(handler.type(), handler);
      if (previous != null) {
        throw new IllegalStateException(
            "two job handlers for type '"
                + handler.type()
                + "': "
                + previous.getClass().getName()
                + " and "
                + handler.getClass().getName());
      }
    }
    this.store = store;
    this.settings = settings;
    this.clock = clock;
    this.signal = signal;
    this.types = Set.copyOf(byType.keySet());
    Map<String, Integer> perThread = new HashMap<>();
    byType.forEach(
        (type, handler) -> {
          if (handler.jobsPerThread() > 1) {
            perThread.put(type, handler.jobsPerThread());
          }
        });
    this.together = Map.copyOf(perThread);
    this.alone =
        types.stream()
            .filter(t -> !together.containsKey(t))
            .collect(java.util.stream.Collectors.toUnmodifiableSet());
    this.yielding =
        together.keySet().stream()
            .filter(t -> byType.get(t).yieldsToRequests())
            .collect(java.util.stream.Collectors.toUnmodifiableSet());
    this.steady =
        together.keySet().stream()
            .filter(t -> !yielding.contains(t))
            .collect(java.util.stream.Collectors.toUnmodifiableSet());
    this.foreground = foreground;
    this.runner = new JobRunner(store, byType, settings, clock, random, meters, scrub, listeners);
    this.scrub = scrub;
    this.freeThreads = new Semaphore(settings.threads());
  }

  @Override
  public synchronized void start() {
    if (active) {
      return;
    }
    active = true;
    claiming = true;
    drainStartNanos = 0;
    AtomicInteger threadNumber = new AtomicInteger();
    pool =
        Executors.newFixedThreadPool(
            settings.threads(),
            task ->
                new Thread(
                    task, "job-" + settings.workerId() + "-" + threadNumber.incrementAndGet()));
    loop = new Thread(this::loop, "job-worker-" + settings.workerId());
    loop.start();
    log.info("Job worker {} started for types {}", settings.workerId(), types);
  }

  /**
   * Stops claiming new jobs; running ones go on and their leases are still renewed. The shutdown
   * grace counts from the first call.
   */
  public void stopClaiming() {
    synchronized (claimLock) {
      if (drainStartNanos == 0) {
        drainStartNanos = System.nanoTime();
      }
      claiming = false;
    }
    signal.signal();
  }

  /** The instance is stopping: from now on other instances take the queue. */
  @Override
  public void onApplicationEvent(ContextClosedEvent event) {
    if (active) {
      stopClaiming();
      log.info(
          "Job worker {} stopped claiming; {} running job(s) get up to {} to finish",
          settings.workerId(),
          running.size(),
          settings.shutdownGrace());
    }
  }

  @Override
  public synchronized void stop() {
    if (!active) {
      return;
    }
    stopClaiming();
    pool.shutdown();
    try {
      long left = drainStartNanos + settings.shutdownGrace().toNanos() - System.nanoTime();
      if (!pool.awaitTermination(Math.max(0, left), TimeUnit.NANOSECONDS)) {
        log.warn(
            "Job worker {}: {} job(s) still running after the shutdown grace of {}; interrupting them",
            settings.workerId(),
            running.size(),
            settings.shutdownGrace());
        pool.shutdownNow();
        pool.awaitTermination(INTERRUPT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        releaseLeftovers();
      }
    } catch (InterruptedException e) {
      pool.shutdownNow();
      releaseLeftovers();
      Thread.currentThread().interrupt();
    } finally {
      active = false;
      loop.interrupt();
    }
    try {
      loop.join(INTERRUPT_WAIT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Hands back the jobs whose handlers ignored the interrupt, so they run elsewhere at once. */
  private void releaseLeftovers() {
    Set<String> left = Set.copyOf(running);
    if (left.isEmpty()) {
      return;
    }
    try {
      int released =
          store.release(settings.workerId(), left, "released at shutdown", clock.instant());
      log.warn(
          "Job worker {} released {} job(s) still running at shutdown; another instance runs them",
          settings.workerId(),
          released);
    } catch (RuntimeException e) {
      log.warn(
          "Job worker {} could not release {} job(s); they run again when their lease expires: {}",
          settings.workerId(),
          left.size(),
          scrub.apply(ErrorSummary.of(e)));
    }
  }

  @Override
  public int getPhase() {
    return PHASE;
  }

  @Override
  public boolean isRunning() {
    return active;
  }

  private void loop() {
    while (active) {
      boolean more = false;
      try {
        maintain();
        releaseLostClaims();
        more = claimAndSubmit() == settings.batchSize();
      } catch (RuntimeException e) {
        // A database outage must not end the loop; the health checks report it.
        log.warn(
            "Job worker {} could not poll: {}",
            settings.workerId(),
            scrub.apply(ErrorSummary.of(e)));
      }
      try {
        if (!more) {
          signal.await(untilNextPoll());
        }
      } catch (InterruptedException e) {
        return;
      }
      aloneMayBeDue |= signal.mayBeDue(alone);
    }
  }

  /**
   * The poll interval, or less when the {@link #alone} types' poll comes sooner: wake-ups about
   * other types do not claim them ({@link #aloneMayBeDue}), so their poll counts from their last
   * claim.
   */
  private Duration untilNextPoll() {
    Duration poll = settings.pollInterval();
    if (alone.isEmpty() || aloneMayBeDue) {
      return poll;
    }
    long left = poll.toNanos() - (System.nanoTime() - aloneClaimedAt);
    if (aloneWaitsForPoll) {
      // Their poll may have come since the claim left them out: then at once.
      return Duration.ofNanos(Math.max(0, left));
    }
    // Overdue: the claim did not run (threads busy); a freed thread wakes the loop.
    return left > 0 && left < poll.toNanos() ? Duration.ofNanos(left) : poll;
  }

  private boolean aloneClaimDue() {
    return aloneMayBeDue || System.nanoTime() - aloneClaimedAt >= settings.pollInterval().toNanos();
  }

  private int claimAndSubmit() {
    // Under the lock that stopClaiming takes: once it returns, no claim is on its way to the pool.
    synchronized (claimLock) {
      if (!claiming) {
        return 0;
      }
      List<List<Job>> claimed;
      try {
        claimed = claim();
      } catch (RuntimeException e) {
        claimLost = true;
        throw e;
      }
      return submit(claimed);
    }
  }

  /**
   * After a failed claim, hands back the jobs it may have leased all the same: a claim whose commit
   * reached the database but whose answer did not (the connection broke in between, as in a
   * database restart) leaves rows leased to this worker that it never started, which would
   * otherwise wait for the lease to lapse. Worker ids are unique per process and only this thread
   * claims, so a row leased to this worker that it does not run is such a row. The jobs that do run
   * (including those still writing their outcome) are left alone; the released ones get their
   * attempt back, as they never ran.
   */
  private void releaseLostClaims() {
    if (!claimLost) {
      return;
    }
    int released = store.releaseAllBut(settings.workerId(), Set.copyOf(running), clock.instant());
    claimLost = false;
    if (released > 0) {
      log.info(
          "Job worker {} handed back {} job(s) leased by a claim whose answer was lost",
          settings.workerId(),
          released);
    }
  }

  /**
   * Claims what the free threads can run: one job per thread, except for types whose handler runs
   * several together ({@link JobHandler#jobsPerThread}), which are claimed up to that many per
   * thread and split evenly over the threads left. With both kinds configured, the one-per-thread
   * types are claimed first and leave at least one free thread to the others. While ingest requests
   * are in flight ({@link Foreground}), the types that give way to them run on {@link
   * #YIELDING_THREADS} thread at most.
   *
   * @return the jobs of each thread to start
   */
  private List<List<Job>> claim() {
    aloneWaitsForPoll = false;
    int idle = freeThreads.availablePermits();
    if (idle < settings.threads() && idle * 2 < settings.threads()) {
      // Jobs are running and fewer than half the threads are free: wait for the next to finish, so
      // that under a stream of jobs one claim statement serves at least half the threads instead
      // of one statement per finished job (the claim was a third of the webhook job's cost).
      return List.of();
    }
    int free = Math.min(idle, settings.batchSize());
    if (free == 0) {
      return List.of();
    }
    Instant now = clock.instant();
    Instant until = now.plus(settings.lease());
    List<List<Job>> tasks = new ArrayList<>();
    aloneWaitsForPoll = !alone.isEmpty() && !aloneClaimDue();
    if (!alone.isEmpty() && !aloneWaitsForPoll) {
      int limit = together.isEmpty() || idle < 2 ? free : Math.min(idle - 1, free);
      List<Job> claimed = store.claim(settings.workerId(), alone, limit, now, until);
      aloneClaimedAt = System.nanoTime();
      // Full: more may wait for a thread.
      aloneMayBeDue = claimed.size() == limit;
      for (Job job : claimed) {
        tasks.add(List.of(job));
      }
    }
    int threadsLeft = idle - tasks.size();
    if (together.isEmpty() || threadsLeft <= 0) {
      return tasks;
    }
    if (yielding.isEmpty() || !foreground.busy()) {
      claimTogether(together.keySet(), threadsLeft, now, until, tasks);
      return tasks;
    }
    // Ingest requests are in flight: the types that give way to them get one thread at most.
    if (!steady.isEmpty()) {
      threadsLeft -= claimTogether(steady, threadsLeft, now, until, tasks);
    }
    int share = Math.min(threadsLeft, YIELDING_THREADS - yieldingThreads.get());
    if (share > 0) {
      claimTogether(yielding, share, now, until, tasks);
    }
    return tasks;
  }

  /** Threads that {@link #yielding} types may run on while ingest requests are in flight. */
  static final int YIELDING_THREADS = 1;

  /**
   * Claims jobs of types run several per thread for up to {@code threads} threads, split evenly
   * over them per type, into {@code tasks}.
   *
   * @return the threads the claimed jobs take
   */
  private int claimTogether(
      Set<String> types, int threads, Instant now, Instant until, List<List<Job>> tasks) {
    int perThread = 1;
    for (String type : types) {
      perThread = Math.max(perThread, together.get(type));
    }
    List<Job> jobs = store.claim(settings.workerId(), types, threads * perThread, now, until);
    Map<String, List<Job>> byType = new LinkedHashMap<>();
    for (Job job : jobs) {
      byType.computeIfAbsent(job.type(), t -> new ArrayList<>()).add(job);
    }
    int remaining = threads;
    int used = 0;
    for (List<Job> ofType : byType.values()) {
      int split = Math.max(1, Math.min(remaining, ofType.size()));
      remaining = Math.max(0, remaining - split);
      used += split;
      for (int t = 0; t < split; t++) {
        int from = ofType.size() * t / split;
        int to = ofType.size() * (t + 1) / split;
        tasks.add(List.copyOf(ofType.subList(from, to)));
      }
    }
    return used;
  }

  /** Starts each thread's jobs; returns how many jobs were started. */
  private int submit(List<List<Job>> tasks) {
    int started = 0;
    for (List<Job> jobs : tasks) {
      freeThreads.acquireUninterruptibly();
      jobs.forEach(job -> running.add(job.id()));
      started += jobs.size();
      boolean yields = yielding.contains(jobs.get(0).type());
      if (yields) {
        yieldingThreads.incrementAndGet();
      }
      pool.execute(
          () -> {
            try {
              runner.runAll(jobs);
            } finally {
              jobs.forEach(job -> running.remove(job.id()));
              if (yields) {
                yieldingThreads.decrementAndGet();
              }
              freeThreads.release();
              // A retried job may be due again at once; a thread is free for the others.
              signal.signal(Set.of(jobs.get(0).type()));
            }
          });
    }
    return started;
  }

  private void maintain() {
    Instant now = clock.instant();
    if (!running.isEmpty() && !now.isBefore(lastRenewal.plus(settings.lease().dividedBy(3)))) {
      store.extendLeases(settings.workerId(), Set.copyOf(running), now, now.plus(settings.lease()));
      lastRenewal = now;
    }
    if (!now.isBefore(nextPurge)) {
      int purged = store.purgeDone(now.minus(settings.retention()));
      if (purged > 0) {
        log.info("Purged {} done jobs older than {}", purged, settings.retention());
      }
      nextPurge = now.plus(PURGE_EVERY);
    }
  }

  /**
   * Claims one batch of due jobs and runs them on the calling thread. For tests and tools that
   * drive the queue step by step with a controlled clock; a started worker does the same on its
   * own.
   *
   * @return how many jobs ran
   */
  int runDue() {
    Instant now = clock.instant();
    List<Job> jobs =
        store.claim(
            settings.workerId(), types, settings.batchSize(), now, now.plus(settings.lease()));
    jobs.forEach(runner::run);
    return jobs.size();
  }

  /** The job types this worker claims. */
  public Set<String> types() {
    return types;
  }
}
