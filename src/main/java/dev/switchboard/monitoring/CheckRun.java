package dev.switchboard.monitoring;

import dev.switchboard.platform.integrations.HealthCheck;
import dev.switchboard.platform.integrations.HealthResult;
import dev.switchboard.platform.integrations.HealthStatus;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.LongSupplier;

/**
 * One execution of one integration's check. The worker thread runs the check; the monitor's timer
 * calls {@link #timeout()}. Whichever comes first settles the result, exactly once. A check still
 * running at its timeout is interrupted, and {@code release} runs only once the worker has left the
 * check, so a dependency that hangs never ties up more than one thread.
 */
final class CheckRun implements Runnable {

  private static final int MAX_DETAIL = 200;

  private final HealthCheck check;
  private final Duration timeout;
  private final LongSupplier nanoTime;
  private final BiFunction<HealthResult, Duration, IntegrationHealth> recorder;
  private final Runnable release;
  private final CompletableFuture<IntegrationHealth> result = new CompletableFuture<>();
  private final long startNanos;
  private Thread worker;
  private boolean settled;

  CheckRun(
      HealthCheck check,
      Duration timeout,
      LongSupplier nanoTime,
      BiFunction<HealthResult, Duration, IntegrationHealth> recorder,
      Runnable release) {
    this.check = check;
    this.timeout = timeout;
    this.nanoTime = nanoTime;
    this.recorder = recorder;
    this.release = release;
    this.startNanos = nanoTime.getAsLong();
  }

  CompletableFuture<IntegrationHealth> result() {
    return result;
  }

  @Override
  public void run() {
    synchronized (this) {
      if (settled) {
        release.run();
        return;
      }
      worker = Thread.currentThread();
    }
    HealthResult outcome;
    try {
      outcome = invoke();
    } finally {
      synchronized (this) {
        worker = null;
        // The timer may have interrupted us just as the check returned; the pooled thread must not
        // keep the flag.
        Thread.interrupted();
      }
      // Released before the result completes, so a caller that waited on it can start the next
      // check at once.
      release.run();
    }
    settle(outcome, Duration.ofNanos(Math.max(0, nanoTime.getAsLong() - startNanos)));
  }

  /**
   * Called by the timer: reports the check as down unless it already finished, and interrupts it.
   */
  void timeout() {
    synchronized (this) {
      if (settled) {
        return;
      }
      settled = true;
      if (worker != null) {
        worker.interrupt();
      }
    }
    result.complete(
        recorder.apply(HealthResult.down("timed out after " + human(timeout)), timeout));
  }

  private void settle(HealthResult outcome, Duration latency) {
    synchronized (this) {
      if (settled) {
        return;
      }
      settled = true;
    }
    result.complete(recorder.apply(outcome, latency));
  }

  private HealthResult invoke() {
    try {
      HealthResult outcome = check.check();
      if (outcome == null || outcome.status() == null || outcome.status() == HealthStatus.UNKNOWN) {
        return HealthResult.down("the check returned no status");
      }
      String detail = outcome.detail() == null ? "" : outcome.detail();
      return new HealthResult(
          outcome.status(),
          detail.length() > MAX_DETAIL ? detail.substring(0, MAX_DETAIL) + "…" : detail);
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable e) {
      // Exception messages may quote URLs or credentials, so only the type is shown (HealthCheck's
      // contract).
      return HealthResult.down(e.getClass().getSimpleName());
    }
  }

  /** {@code 5s}, {@code 1m}, or {@code 250ms} when not a whole number of seconds. */
  static String human(Duration d) {
    if (d.toMillis() % 1000 != 0) {
      return d.toMillis() + "ms";
    }
    long seconds = d.toSeconds();
    return seconds % 60 == 0 && seconds > 0 ? seconds / 60 + "m" : seconds + "s";
  }
}
