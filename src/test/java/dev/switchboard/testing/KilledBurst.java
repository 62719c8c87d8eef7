package dev.switchboard.testing;

import dev.switchboard.payments.stripe.StripeTestSigner;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;

/**
 * The set-up the crash tests share: the packaged jar on H2 or a fresh PostgreSQL database, a burst
 * of requests from many client threads, SIGKILL once enough of them were answered, and Stripe
 * events to send and send again after the restart.
 */
public final class KilledBurst {

  private KilledBurst() {}

  /** How long a jar may take to start (the first start migrates a fresh database). */
  public static final Duration START = Duration.ofSeconds(300);

  /** A signed Stripe event: its id and the exact body that was signed. */
  public record Event(String id, String body) {}

  /**
   * Starts the packaged jar and waits until it is ready.
   *
   * @param database {@code h2} (the embedded default) or {@code postgresql} (a fresh database)
   */
  public static JarProcess start(String name, String database, Map<String, String> env)
      throws Exception {
    Map<String, String> all = new HashMap<>(env);
    if (database.equals("postgresql")) {
      all.put("DATABASE_URL", PostgresTestDatabase.freshUrl());
    }
    return JarProcess.start(name + "-" + database, all).awaitReady(START);
  }

  /**
   * Runs {@code clients} threads until {@code killAfter} requests were accepted (or {@code
   * deadline} passed), then kills the jar with SIGKILL and waits for every thread to stop. A
   * request in flight at the kill gets no answer and promises nothing: its connection error is
   * ignored.
   *
   * @param client makes each client's step: given the request number, sends one request and says
   *     whether it was accepted
   * @param halfway runs once when half of {@code killAfter} were accepted, while the burst goes on
   */
  public static void untilKilled(
      JarProcess jar,
      int clients,
      int killAfter,
      Duration deadline,
      IntFunction<IntPredicate> client,
      Runnable halfway)
      throws InterruptedException {
    AtomicInteger accepted = new AtomicInteger();
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch done = new CountDownLatch(clients);
    for (int c = 0; c < clients; c++) {
      IntPredicate step = client.apply(c);
      Thread thread =
          new Thread(
              () -> {
                try {
                  for (int i = 0; !stop.get(); i++) {
                    try {
                      if (step.test(i)) {
                        accepted.incrementAndGet();
                      }
                    } catch (RuntimeException connectionLost) {
                      // the kill
                    }
                  }
                } finally {
                  done.countDown();
                }
              });
      thread.setDaemon(true);
      thread.start();
    }
    long end = System.nanoTime() + deadline.toNanos();
    while (accepted.get() < killAfter / 2 && System.nanoTime() < end) {
      Thread.sleep(2);
    }
    halfway.run();
    while (accepted.get() < killAfter && System.nanoTime() < end) {
      Thread.sleep(2);
    }
    jar.kill();
    stop.set(true);
    done.await();
  }

  /** A {@code customer.updated} event with this id, created now. */
  public static Event event(String id) {
    return new Event(
        id,
        "{\"id\":\""
            + id
            + "\",\"object\":\"event\",\"api_version\":\"2025-09-30.clover\","
            + "\"created\":"
            + Instant.now().getEpochSecond()
            + ",\"livemode\":false,\"type\":\"customer.updated\",\"data\":{\"object\":"
            + "{\"id\":\"cus_crash\",\"object\":\"customer\",\"email\":\"crash@example.com\"}}}");
  }

  /** Posts the event to {@code /api/webhooks/stripe}, signed now with {@code secret}. */
  public static HttpResponse<String> post(HttpTestClient client, Event e, String secret) {
    return client.post(
        "/api/webhooks/stripe",
        e.body(),
        "Stripe-Signature",
        StripeTestSigner.header(e.body(), secret, Instant.now()));
  }

  /** Whether the event, sent again, is answered as a stored duplicate. */
  public static boolean stored(HttpTestClient client, Event e, String secret) {
    return duplicate(post(client, e, secret));
  }

  /** Whether this answer to a redelivery says the event was stored before. */
  public static boolean duplicate(HttpResponse<String> r) {
    return r.statusCode() == 200 && r.body().contains("\"duplicate\":true");
  }
}
