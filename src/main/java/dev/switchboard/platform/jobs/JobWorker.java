package dev.switchboard.platform.jobs;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
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
import org.springframework.context.SmartLifecycle;

/**
 * Claims due jobs and runs them on a small pool. One loop thread claims only as many jobs as there
 * are free threads, so nothing claimed waits in memory while its lease runs down, renews the leases
 * of running jobs, and purges old done jobs. It sleeps until the next poll, or until a local
 * enqueue or a freed thread wakes it. Stopping lets running jobs finish for {@link
 * JobWorkerSettings#shutdownGrace()}, then interrupts them; a job cut off that way is claimed again
 * when its lease expires.
 */
public final class JobWorker implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(JobWorker.class);
  private static final Duration PURGE_EVERY = Duration.ofHours(1);

  private final JdbcJobStore store;
  private final JobWorkerSettings settings;
  private final Clock clock;
  private final JobSignal signal;
  private final JobRunner runner;
  private final Set<String> types;
  private final Set<String> running = ConcurrentHashMap.newKeySet();
  private final Semaphore freeThreads;
  private final UnaryOperator<String> scrub;
  private volatile boolean active;
  private Thread loop;
  private ExecutorService pool;
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

  /**
   * @param scrub removes configured secrets from error text before it is logged or stored
   * @param listeners told before and after every job, on the thread that runs it
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
      List<JobListener> listeners) {
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

  @Override
  public synchronized void stop() {
    if (!active) {
      return;
    }
    active = false;
    loop.interrupt();
    pool.shutdown();
    try {
      loop.join(settings.shutdownGrace().toMillis());
      if (!pool.awaitTermination(settings.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn(
            "Job worker {} stopped with jobs still running; they run again when their lease expires",
            settings.workerId());
        pool.shutdownNow();
      }
    } catch (InterruptedException e) {
      pool.shutdownNow();
      Thread.currentThread().interrupt();
    }
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
          signal.await(settings.pollInterval());
        }
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private int claimAndSubmit() {
    int free = Math.min(freeThreads.availablePermits(), settings.batchSize());
    if (free == 0) {
      return 0;
    }
    Instant now = clock.instant();
    List<Job> jobs = store.claim(settings.workerId(), types, free, now, now.plus(settings.lease()));
    for (Job job : jobs) {
      freeThreads.acquireUninterruptibly();
      running.add(job.id());
      pool.execute(
          () -> {
            try {
              runner.run(job);
            } finally {
              running.remove(job.id());
              freeThreads.release();
              signal.signal();
            }
          });
    }
    return jobs.size();
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
