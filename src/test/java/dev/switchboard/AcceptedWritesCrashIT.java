package dev.switchboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.payments.stripe.StripeTestSigner;
import dev.switchboard.testing.HttpTestClient;
import dev.switchboard.testing.JarProcess;
import dev.switchboard.testing.PostgresTestDatabase;
import dev.switchboard.testing.TestKeys;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A 2xx means durable: SIGKILL during a concurrent burst of Stripe webhooks and single email sends,
 * then a restart on the same data: every event answered 200 is stored (sent again, it is a
 * duplicate) and every mail answered 202 exists, on the embedded H2 database and on PostgreSQL. On
 * H2 this failed before commits waited for the store write (H2 kept the last {@code WRITE_DELAY} ms
 * of commits in memory only).
 */
class AcceptedWritesCrashIT {

  static final String SECRET = "whsec_crash_test_0123456789abcdef0123456789";
  static final int CLIENTS = 12;
  static final int KILL_AFTER = 600;
  static final Pattern EMAIL_ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");

  record Event(String id, String body) {}

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgresql"})
  void burstWhenKilledThenEveryAcceptedWebhookAndMailIsThereAfterRestart(String database)
      throws Exception {
    Map<String, String> env =
        new HashMap<>(
            Map.of(
                "SWITCHBOARD_ADMIN_API_KEY",
                TestKeys.ADMIN,
                "STRIPE_WEBHOOK_SECRET",
                SECRET,
                "SWITCHBOARD_API_RATE_LIMIT",
                "100000000/s",
                "EMAIL_RATE_LIMIT",
                "1000000/s"));
    if (database.equals("postgresql")) {
      env.put("DATABASE_URL", PostgresTestDatabase.freshUrl());
    }
    JarProcess first =
        JarProcess.start("accepted-crash-" + database, env).awaitReady(Duration.ofSeconds(300));
    HttpTestClient client = new HttpTestClient(first.port()).authorized(TestKeys.ADMIN);
    HttpTestClient stripe = new HttpTestClient(first.port());
    Queue<Event> acceptedEvents = new ConcurrentLinkedQueue<>();
    Queue<String> acceptedMails = new ConcurrentLinkedQueue<>();
    AtomicInteger accepted = new AtomicInteger();
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch done = new CountDownLatch(CLIENTS);
    String run = Long.toString(System.nanoTime(), 36);
    for (int c = 0; c < CLIENTS; c++) {
      int client0 = c;
      Thread thread =
          new Thread(
              () -> {
                try {
                  for (int i = 0; !stop.get(); i++) {
                    try {
                      if (client0 % 2 == 0) {
                        Event e = event("evt_crash_" + run + "_" + client0 + "_" + i);
                        if (post(stripe, e).statusCode() == 200) {
                          acceptedEvents.add(e);
                          accepted.incrementAndGet();
                        }
                      } else {
                        HttpResponse<String> r =
                            client.post(
                                "/api/email/send",
                                "{\"template\":\"welcome\",\"to\":\"u"
                                    + client0
                                    + "-"
                                    + i
                                    + "@example.com\",\"variables\":{\"name\":\"U\","
                                    + "\"verifyUrl\":\"https://app.example.com/v\"}}");
                        Matcher m = EMAIL_ID.matcher(r.body());
                        if (r.statusCode() == 202 && m.find()) {
                          acceptedMails.add(m.group(1));
                          accepted.incrementAndGet();
                        }
                      }
                    } catch (RuntimeException connectionLost) {
                      // the kill: requests in flight get no answer, and an unanswered request
                      // promises nothing
                    }
                  }
                } finally {
                  done.countDown();
                }
              });
      thread.setDaemon(true);
      thread.start();
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (accepted.get() < KILL_AFTER && System.nanoTime() < deadline) {
      Thread.sleep(2);
    }
    first.kill();
    stop.set(true);
    done.await();
    List<Event> events = new ArrayList<>(acceptedEvents);
    List<String> mails = new ArrayList<>(acceptedMails);
    assertThat(events.size() + mails.size())
        .as("a burst was under way at the kill")
        .isGreaterThanOrEqualTo(KILL_AFTER);

    try (JarProcess second = first.restart().awaitReady(Duration.ofSeconds(300))) {
      HttpTestClient after = new HttpTestClient(second.port()).authorized(TestKeys.ADMIN);
      HttpTestClient redelivery = new HttpTestClient(second.port());
      List<String> lostMails =
          mails.stream()
              .filter(id -> after.get("/api/email/messages/" + id).statusCode() != 200)
              .toList();
      List<String> lostEvents =
          events.stream()
              .filter(
                  e -> {
                    HttpResponse<String> r = post(redelivery, e);
                    return r.statusCode() != 200 || !r.body().contains("\"duplicate\":true");
                  })
              .map(Event::id)
              .toList();
      System.out.println(
          "Crash test ("
              + database
              + "): "
              + events.size()
              + " webhooks and "
              + mails.size()
              + " mails answered 2xx before SIGKILL; lost "
              + lostEvents.size()
              + " and "
              + lostMails.size());
      assertThat(lostMails).as("mails answered 202 but missing after the restart").isEmpty();
      assertThat(lostEvents).as("events answered 200 but not stored").isEmpty();
    }
  }

  private static Event event(String id) {
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

  private static HttpResponse<String> post(HttpTestClient client, Event e) {
    return client.post(
        "/api/webhooks/stripe",
        e.body(),
        "Stripe-Signature",
        StripeTestSigner.header(e.body(), SECRET, Instant.now()));
  }
}
