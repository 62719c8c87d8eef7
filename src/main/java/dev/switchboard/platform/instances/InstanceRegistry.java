package dev.switchboard.platform.instances;

import dev.switchboard.platform.integrations.HealthCheck;
import dev.switchboard.platform.integrations.HealthResult;
import dev.switchboard.platform.integrations.HealthStatus;
import dev.switchboard.platform.integrations.Integration;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * This process's row in the {@code instances} table: registered when the context starts, refreshed
 * every heartbeat interval (and the other rows read back), marked stopped on a clean shutdown, and
 * old rows pruned. What the rows say reaches the map through {@link #health()} (the {@code
 * instances} box) and {@link #watch}, which degrades the storage and database boxes when their
 * embedded defaults are shared by several instances. The health monitor logs each of those changes
 * once, at startup included.
 */
public class InstanceRegistry implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(InstanceRegistry.class);

  /** Stopped instances stay on the map this long, so a restart shows. */
  static final Duration KEEP_STOPPED = Duration.ofHours(1);

  /** A stale instance stays on the map (flagged) this long, then its row is deleted. */
  static final Duration KEEP_STALE = Duration.ofHours(24);

  static final Duration PRUNE_EVERY = Duration.ofMinutes(10);

  private static final Set<String> WATCHED =
      Set.of(InstanceRoster.STORAGE, InstanceRoster.DATABASE);

  private final InstanceStore store;
  private final Clock clock;
  private final Instance self;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "instance-heartbeat");
            t.setDaemon(true);
            return t;
          });
  private volatile List<Instance> rows = List.of();
  private volatile Optional<String> failure = Optional.empty();
  private volatile boolean running;
  private Instant nextPrune = Instant.MIN;

  /**
   * @param self this process as it registers; its {@code heartbeatAt} is replaced at each beat
   */
  public InstanceRegistry(InstanceStore store, Instance self, Clock clock) {
    this.store = store;
    this.self = self;
    this.clock = clock;
    this.rows = List.of(self);
  }

  /** This process's instance id. */
  public String id() {
    return self.id();
  }

  /** The rows as last read, with their states now. */
  public InstanceRoster roster() {
    return InstanceRoster.of(self.id(), rows, clock.instant(), failure);
  }

  /**
   * Registers this instance and reads the others before the health monitor's first checks, so their
   * findings are in the first results (and in the startup log).
   */
  @Override
  public void start() {
    if (running) {
      return;
    }
    Instant now = clock.instant();
    store.register(self.beatAt(now));
    read();
    long others = roster().live().stream().filter(m -> !m.self()).count();
    log.info(
        "Instance {} registered (pid {} on {}); {} other live instance(s) on this database",
        self.id(),
        self.pid(),
        self.host(),
        others);
    long interval = self.heartbeatInterval().toNanos();
    timer.scheduleWithFixedDelay(this::beat, interval, interval, TimeUnit.NANOSECONDS);
    running = true;
  }

  /** Marks the row stopped; the others show this instance as stopped rather than stale. */
  @Override
  public void stop() {
    if (!running) {
      return;
    }
    running = false;
    timer.shutdownNow();
    try {
      timer.awaitTermination(5, TimeUnit.SECONDS);
      store.stop(self.id(), clock.instant());
      log.info("Instance {} marked stopped", self.id());
    } catch (RuntimeException e) {
      log.warn(
          "Instance {} could not mark itself stopped ({}); the others will show it as stale",
          self.id(),
          describe(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /**
   * Before the health monitor (phase 0) starts, after it stops: the row says stopped only once the
   * instance has stopped working.
   */
  @Override
  public int getPhase() {
    return -100;
  }

  /** One heartbeat: refresh this row (or write it again), read every row, prune now and then. */
  void beat() {
    Instant now = clock.instant();
    try {
      if (!store.beat(self.id(), now)) {
        log.warn("Instance {} found its row gone or marked stopped; registering again", self.id());
        store.register(self.beatAt(now));
      }
      if (!now.isBefore(nextPrune)) {
        int pruned = store.prune(now.minus(KEEP_STOPPED), now.minus(KEEP_STALE));
        if (pruned > 0) {
          log.info("Pruned {} old instance row(s)", pruned);
        }
        nextPrune = now.plus(PRUNE_EVERY);
      }
      read();
    } catch (RuntimeException e) {
      // Thrown out of the scheduled task, it would end the schedule for good.
      failure = Optional.of("heartbeat failed: " + describe(e));
      log.debug("Instance heartbeat failed: {}", e.toString());
    }
  }

  private void read() {
    rows = store.all();
    failure = Optional.empty();
  }

  /**
   * The {@code instances} box: up with the live count; degraded when one stopped reporting, when
   * their public URLs differ, or when this instance cannot write its heartbeat.
   */
  public HealthResult health() {
    InstanceRoster roster = roster();
    if (roster.failure().isPresent()) {
      return HealthResult.degraded(
          roster.failure().get() + "; instance list as of " + roster.readAt());
    }
    Optional<String> finding = roster.finding(InstanceRoster.INSTANCES);
    if (finding.isPresent()) {
      return HealthResult.degraded(finding.get());
    }
    return HealthResult.up(roster.live().size() + " live; this is " + self.id());
  }

  /**
   * The same integration, whose check also reports what the instance rows say about it: the storage
   * and database boxes go degraded, with the reason and the variable to set, while their
   * single-machine defaults are shared by several live instances. Other integrations are returned
   * unchanged.
   */
  public Integration watch(Integration integration) {
    if (!WATCHED.contains(integration.id())) {
      return integration;
    }
    HealthCheck inner = integration.healthCheck();
    String id = integration.id();
    return integration.withHealthCheck(
        () -> {
          HealthResult result = inner.check();
          Optional<String> finding = roster().finding(id);
          if (finding.isEmpty() || result.status() == HealthStatus.DOWN) {
            return result;
          }
          return HealthResult.degraded(
              result.status() == HealthStatus.DEGRADED
                  ? result.detail() + "; " + finding.get()
                  : finding.get());
        });
  }

  /** SQLState only: driver messages can quote hosts and users. */
  private static String describe(RuntimeException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        return "database error (SQLState " + sql.getSQLState() + ")";
      }
    }
    return e.getClass().getSimpleName();
  }
}
