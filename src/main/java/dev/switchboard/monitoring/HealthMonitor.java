package dev.switchboard.monitoring;

import dev.switchboard.platform.integrations.HealthResult;
import dev.switchboard.platform.integrations.HealthStatus;
import dev.switchboard.platform.integrations.Integration;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;

/**
 * Runs every integration's health check on its own interval, on dedicated threads (never request
 * threads), and keeps the last result per integration. Readers ({@code /api/health}, readiness,
 * metrics, the map) only read the cache. Essential integrations (the database) are checked
 * synchronously when the context starts, before the app reports ready; the others right after. A
 * status change is logged once and published as {@link IntegrationHealthChanged}; every result is
 * published as {@link IntegrationChecked}.
 */
public class HealthMonitor implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(HealthMonitor.class);

  private final Map<String, Slot> slots = new LinkedHashMap<>();
  private final Set<String> essential;
  private final Duration defaultInterval;
  private final Clock clock;
  private final LongSupplier nanoTime;
  private final ApplicationEventPublisher events;
  private final Executor eventThread;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(daemon("health-timer"));
  private final ExecutorService workers = Executors.newCachedThreadPool(daemon("health-check"));
  private volatile boolean running;

  public HealthMonitor(
      List<Integration> integrations,
      Set<String> essential,
      Duration defaultInterval,
      Clock clock,
      ApplicationEventPublisher events) {
    this(
        integrations,
        essential,
        defaultInterval,
        clock,
        System::nanoTime,
        events,
        Executors.newSingleThreadExecutor(daemon("health-events")));
  }

  HealthMonitor(
      List<Integration> integrations,
      Set<String> essential,
      Duration defaultInterval,
      Clock clock,
      LongSupplier nanoTime,
      ApplicationEventPublisher events,
      Executor eventThread) {
    this.essential = Set.copyOf(essential);
    this.defaultInterval = defaultInterval;
    this.clock = clock;
    this.nanoTime = nanoTime;
    this.events = events;
    this.eventThread = eventThread;
    Instant now = clock.instant();
    for (Integration integration : integrations) {
      if (slots.putIfAbsent(integration.id(), new Slot(integration, IntegrationHealth.unknown(now)))
          != null) {
        throw new IllegalStateException(
            "two integrations declare the id '" + integration.id() + "'");
      }
    }
  }

  /** Every monitored integration, in declaration order. */
  public List<Integration> integrations() {
    return slots.values().stream().map(s -> s.integration).toList();
  }

  /**
   * The cached result of one integration; never runs a check.
   *
   * @throws IllegalArgumentException when no integration has this id
   */
  public IntegrationHealth health(String id) {
    return slot(id).last;
  }

  /** The cached result of every integration, in declaration order. */
  public Map<String, IntegrationHealth> results() {
    Map<String, IntegrationHealth> copy = new LinkedHashMap<>();
    slots.forEach((id, slot) -> copy.put(id, slot.last));
    return Collections.unmodifiableMap(copy);
  }

  /** Whether this integration's outage takes the whole service down (readiness 503). */
  public boolean isEssential(String id) {
    return essential.contains(id);
  }

  /**
   * Runs one integration's check now, off the calling thread, and updates the cache. When a check
   * of the same integration is still running (or stuck past its timeout), no second one starts: the
   * pending result is returned.
   *
   * @return completes with the new cached result, at the latest after the integration's timeout
   * @throws IllegalArgumentException when no integration has this id
   * @throws IllegalStateException after {@link #stop()}
   */
  public CompletableFuture<IntegrationHealth> checkNow(String id) {
    Slot slot = slot(id);
    if (!slot.busy.compareAndSet(false, true)) {
      CompletableFuture<IntegrationHealth> pending = slot.current;
      return pending != null ? pending : CompletableFuture.completedFuture(slot.last);
    }
    Duration timeout = timeout(slot.integration);
    long sequence = slot.started.incrementAndGet();
    CheckRun run =
        new CheckRun(
            slot.integration.healthCheck(),
            timeout,
            nanoTime,
            (result, latency) -> record(slot, sequence, result, latency),
            () -> slot.busy.set(false));
    slot.current = run.result();
    try {
      ScheduledFuture<?> deadline =
          timer.schedule(run::timeout, timeout.toNanos(), TimeUnit.NANOSECONDS);
      run.result().whenComplete((health, error) -> deadline.cancel(false));
      workers.execute(run);
    } catch (RejectedExecutionException e) {
      slot.busy.set(false);
      throw new IllegalStateException("the health monitor is stopped", e);
    }
    return run.result();
  }

  @Override
  public void start() {
    if (running) {
      return;
    }
    running = true;
    for (Slot slot : slots.values()) {
      if (essential.contains(slot.integration.id())) {
        awaitQuietly(checkNow(slot.integration.id()));
      }
    }
    for (Slot slot : slots.values()) {
      String id = slot.integration.id();
      long interval = interval(slot.integration).toNanos();
      long first = essential.contains(id) ? interval : 0;
      timer.scheduleWithFixedDelay(() -> scheduled(id), first, interval, TimeUnit.NANOSECONDS);
    }
  }

  @Override
  public void stop() {
    running = false;
    timer.shutdownNow();
    workers.shutdownNow();
    if (eventThread instanceof ExecutorService owned) {
      owned.shutdown();
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** Early, so the essential checks finish before the web server starts taking requests. */
  @Override
  public int getPhase() {
    return 0;
  }

  private void scheduled(String id) {
    try {
      checkNow(id);
    } catch (RuntimeException e) {
      // An exception here would cancel this integration's schedule for good.
      log.debug("Health check of {} not started: {}", id, e.toString());
    }
  }

  private IntegrationHealth record(
      Slot slot, long sequence, HealthResult result, Duration latency) {
    IntegrationHealth previous;
    IntegrationHealth next;
    synchronized (slot) {
      if (sequence < slot.recorded) {
        // A newer run already reported (this one finished late); its result is the current truth.
        return slot.last;
      }
      slot.recorded = sequence;
      previous = slot.last;
      Instant now = clock.instant();
      Instant since = previous.status() == result.status() ? previous.since() : now;
      next = new IntegrationHealth(result.status(), result.detail(), latency, now, since);
      slot.last = next;
    }
    IntegrationChecked checked = new IntegrationChecked(slot.integration.id(), next);
    try {
      eventThread.execute(() -> publish(checked, checked.integrationId()));
    } catch (RejectedExecutionException e) {
      log.debug(
          "Health check of {} not published: the monitor is stopping", checked.integrationId());
    }
    if (previous.status() != next.status()) {
      Integration i = slot.integration;
      logChange(i, previous, next);
      IntegrationHealthChanged change =
          new IntegrationHealthChanged(i.id(), i.area(), i.provider(), previous.status(), next);
      try {
        eventThread.execute(() -> publish(change, change.integrationId()));
      } catch (RejectedExecutionException e) {
        log.debug("Health change of {} not published: the monitor is stopping", i.id());
      }
    }
    return next;
  }

  private void publish(Object event, String integrationId) {
    try {
      events.publishEvent(event);
    } catch (RuntimeException e) {
      log.warn("A listener failed on the health event of {}: {}", integrationId, e.toString());
    }
  }

  private static void logChange(Integration i, IntegrationHealth previous, IntegrationHealth next) {
    String name = i.id() + " (" + i.provider() + ")";
    if (next.status() == HealthStatus.UP) {
      if (previous.status() == HealthStatus.UNKNOWN) {
        log.info("Integration {} is up: {}", name, next.detail());
      } else {
        log.info(
            "Integration {} is up again after being {} for {}: {}",
            name,
            previous.status().id(),
            outage(Duration.between(previous.since(), next.since())),
            next.detail());
      }
    } else {
      log.warn(
          "Integration {} is {} (was {}): {}",
          name,
          next.status().id(),
          previous.status().id(),
          next.detail());
    }
  }

  private static String outage(Duration d) {
    return d.toMillis() < 1000 ? d.toMillis() + "ms" : d.toSeconds() + "s";
  }

  private Duration interval(Integration integration) {
    Duration interval =
        integration.checkInterval() == null ? defaultInterval : integration.checkInterval();
    return interval.isNegative() || interval.isZero() ? defaultInterval : interval;
  }

  private static Duration timeout(Integration integration) {
    Duration timeout = integration.checkTimeout();
    return timeout == null || timeout.isNegative() || timeout.isZero()
        ? Integration.DEFAULT_TIMEOUT
        : timeout;
  }

  private Slot slot(String id) {
    Slot slot = slots.get(id);
    if (slot == null) {
      throw new IllegalArgumentException("no integration with id '" + id + "'");
    }
    return slot;
  }

  private static void awaitQuietly(CompletableFuture<IntegrationHealth> result) {
    try {
      result.join();
    } catch (CompletionException e) {
      log.debug("Startup health check failed: {}", e.toString());
    }
  }

  private static ThreadFactory daemon(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + "-" + n.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  /**
   * Per-integration state; {@code last} and {@code recorded} change under the slot's lock, {@code
   * last} is read without.
   */
  private static final class Slot {
    final Integration integration;
    final AtomicBoolean busy = new AtomicBoolean();
    final AtomicLong started = new AtomicLong();
    long recorded;
    volatile IntegrationHealth last;
    volatile CompletableFuture<IntegrationHealth> current;

    Slot(Integration integration, IntegrationHealth initial) {
      this.integration = integration;
      this.last = initial;
    }
  }
}
