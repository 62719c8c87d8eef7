package dev.switchboard.platform.jobs;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Requests that background processing gives way to. An ingest path (webhook intake) runs each
 * request through {@link #run}; while any is in flight, the worker runs the jobs of handlers that
 * {@link JobHandler#yieldsToRequests yield} on one thread at most instead of all of them. On a
 * machine bound by CPU the requests are then answered first: with every thread processing webhook
 * events during a burst of them, ingest answered a quarter fewer requests per second on PostgreSQL
 * (docs/BENCHMARKS.md). The one thread keeps processing under a steady stream of requests, so a
 * backlog never stalls, and the worker takes every thread again at its next claim once no request
 * is in flight (it claims whenever a thread finishes, and after every enqueue). Nothing about the
 * queue's durability changes: a job is in the database from the commit that answered its request.
 */
public final class Foreground {

  private final AtomicInteger inFlight = new AtomicInteger();

  /** Runs one request's work, counted as in flight meanwhile. */
  public <T> T run(Supplier<T> request) {
    inFlight.incrementAndGet();
    try {
      return request.get();
    } finally {
      inFlight.decrementAndGet();
    }
  }

  /** Whether a request is in flight now. */
  public boolean busy() {
    return inFlight.get() > 0;
  }
}
