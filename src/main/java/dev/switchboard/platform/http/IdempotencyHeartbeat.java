package dev.switchboard.platform.http;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;

/**
 * Keeps the idempotency claims of requests running on this instance alive. Without it a request
 * running longer than {@link IdempotencyStore#IN_FLIGHT_EXPIRY} would lose its key and a client
 * retry would run it a second time. Only claims held here are renewed, so a claim left by a crashed
 * instance still expires after one lease.
 *
 * <p>It beats on its own thread, not on Spring's scheduler: that one thread is shared by every
 * {@code @Scheduled} method, and a cleanup holding it for over a minute would let every long
 * request lose its key.
 */
public class IdempotencyHeartbeat implements SmartLifecycle, DisposableBean {

  /**
   * A quarter of the lease: three renewals may fail (a slow database) before a live claim could
   * lapse.
   */
  static final Duration INTERVAL = Duration.ofSeconds(15);

  /** Tokens per UPDATE, so that a burst of long requests never builds one unbounded IN list. */
  static final int CHUNK = 500;

  private static final Logger log = LoggerFactory.getLogger(IdempotencyHeartbeat.class);

  private final IdempotencyStore store;
  private final Clock clock;
  private final Set<String> held = ConcurrentHashMap.newKeySet();
  private final Duration interval;
  private ScheduledExecutorService beats;

  public IdempotencyHeartbeat(IdempotencyStore store, Clock clock) {
    this(store, clock, INTERVAL);
  }

  IdempotencyHeartbeat(IdempotencyStore store, Clock clock, Duration interval) {
    this.store = store;
    this.clock = clock;
    this.interval = interval;
  }

  /**
   * Starts renewing a claim this instance has just started; call {@link #drop} when its request
   * ends.
   */
  void hold(String token) {
    held.add(token);
  }

  /** Stops renewing a claim, before it is completed or released. */
  void drop(String token) {
    held.remove(token);
  }

  /** The claims renewed on each beat. */
  Set<String> held() {
    return Set.copyOf(held);
  }

  /**
   * Renews every held claim, with one statement per {@value #CHUNK} claims. A claim taken over
   * after a lapse is simply not matched; it stays held until its request ends.
   *
   * @return how many claims were renewed
   */
  public int renew() {
    List<String> tokens = new ArrayList<>(held);
    int renewed = 0;
    for (int from = 0; from < tokens.size(); from += CHUNK) {
      List<String> chunk = tokens.subList(from, Math.min(tokens.size(), from + CHUNK));
      try {
        // Read just before the write: a slow earlier chunk must not make this one renew into the
        // past.
        renewed += store.renew(chunk, clock.instant());
      } catch (RuntimeException e) {
        // The next beat tries again; the lease leaves room for a few missed ones.
        log.warn("Could not renew {} idempotency claims: {}", chunk.size(), e.getClass().getName());
      }
    }
    return renewed;
  }

  @Override
  public synchronized void start() {
    if (beats == null) {
      beats =
          Executors.newSingleThreadScheduledExecutor(
              runnable -> {
                Thread thread = new Thread(runnable, "idempotency-heartbeat");
                thread.setDaemon(true);
                return thread;
              });
      long millis = interval.toMillis();
      beats.scheduleWithFixedDelay(this::beat, millis, millis, TimeUnit.MILLISECONDS);
    }
  }

  private void beat() {
    try {
      renew();
    } catch (RuntimeException e) {
      // An exception would cancel every later beat of a scheduled executor.
      log.warn("Idempotency heartbeat failed: {}", e.getClass().getName());
    }
  }

  @Override
  public synchronized void stop() {
    if (beats != null) {
      beats.shutdownNow();
      try {
        beats.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      beats = null;
    }
  }

  @Override
  public synchronized boolean isRunning() {
    return beats != null;
  }

  @Override
  public void destroy() {
    stop();
  }
}
