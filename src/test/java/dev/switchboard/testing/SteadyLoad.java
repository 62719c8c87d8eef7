package dev.switchboard.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * A paced, mixed load on a base URL for as long as it runs: each thread sends the request the
 * {@code next} function makes for its sequence number, then sleeps to keep the total rate, and
 * counts every answer. A request fails when no answer came (connection refused, reset, timeout) or
 * the answer was not the one the request expected; every failure is kept with its reason.
 */
public final class SteadyLoad implements AutoCloseable {

  /** One request and the status that means it was served. */
  public record Call(HttpRequest request, int expectedStatus, Runnable onSuccess) {}

  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
  private final AtomicInteger sequence = new AtomicInteger();
  private volatile boolean running = true;

  private SteadyLoad() {}

  /** Starts {@code threadCount} threads sending about {@code perSecond} requests per second. */
  public static SteadyLoad start(int threadCount, int perSecond, IntFunction<Call> next) {
    SteadyLoad load = new SteadyLoad();
    long pauseNanos = Duration.ofSeconds(threadCount).toNanos() / perSecond;
    for (int t = 0; t < threadCount; t++) {
      Thread thread = new Thread(() -> load.run(next, pauseNanos), "steady-load-" + t);
      load.threads.add(thread);
      thread.start();
    }
    return load;
  }

  private void run(IntFunction<Call> next, long pauseNanos) {
    long due = System.nanoTime();
    while (running) {
      Call call = next.apply(sequence.getAndIncrement());
      sent.incrementAndGet();
      try {
        HttpResponse<String> response =
            client.send(call.request(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == call.expectedStatus()) {
          call.onSuccess().run();
        } else {
          fail(call, response.statusCode() + " " + response.body());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        fail(call, e.toString());
      }
      due += pauseNanos;
      long sleep = due - System.nanoTime();
      if (sleep > 0) {
        try {
          Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  private void fail(Call call, String why) {
    failed.incrementAndGet();
    if (failures.size() < 50) {
      failures.add(call.request().method() + " " + call.request().uri().getPath() + ": " + why);
    }
  }

  public long sent() {
    return sent.get();
  }

  public long failed() {
    return failed.get();
  }

  public List<String> failures() {
    return List.copyOf(failures);
  }

  /** Stops sending and waits for the requests under way. */
  @Override
  public void close() throws InterruptedException {
    running = false;
    for (Thread thread : threads) {
      thread.join(Duration.ofSeconds(70).toMillis());
    }
  }

  /** A request to {@code base + path}. */
  public static HttpRequest.Builder to(String base, String path) {
    return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
  }
}
