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
 * Group commit keeps "2xx means durable": SIGKILL of the packaged jar during a burst of new Stripe
 * events, redeliveries of events already answered (duplicates inside the groups) and presigns, from
 * enough clients that requests share commits (the test checks that groups of more than one formed
 * before the kill). After a restart on the same data every event answered 200 is stored (sent
 * again, it is a duplicate) and every file answered 200 exists, on H2 and on PostgreSQL.
 */
class GroupCommitCrashIT {

  static final String SECRET = "whsec_group_commit_crash_0123456789abcdef01";
  static final int CLIENTS = 24;
  static final int KILL_AFTER = 1_500;
  static final Pattern FILE_ID = Pattern.compile("\"fileId\"\\s*:\\s*\"([^\"]+)\"");
  static final Pattern GROUPS =
      Pattern.compile("switchboard_db_group_size_(count|sum)\\{lane=\"webhooks\"[^}]*} ([0-9.E]+)");

  record Event(String id, String body) {}

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgresql"})
  void burstWhenKilledThenEveryAnsweredEventAndFileIsThereAfterRestart(String database)
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
                "STORAGE_RATE_LIMIT",
                "100000000/s"));
    if (database.equals("postgresql")) {
      env.put("DATABASE_URL", PostgresTestDatabase.freshUrl());
    }
    JarProcess first =
        JarProcess.start("group-commit-crash-" + database, env).awaitReady(Duration.ofSeconds(300));
    HttpTestClient admin = new HttpTestClient(first.port()).authorized(TestKeys.ADMIN);
    HttpTestClient stripe = new HttpTestClient(first.port());
    Queue<Event> acceptedEvents = new ConcurrentLinkedQueue<>();
    Queue<String> acceptedFiles = new ConcurrentLinkedQueue<>();
    AtomicInteger accepted = new AtomicInteger();
    AtomicInteger redelivered = new AtomicInteger();
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch done = new CountDownLatch(CLIENTS);
    String run = Long.toString(System.nanoTime(), 36);
    for (int c = 0; c < CLIENTS; c++) {
      int client = c;
      Thread thread =
          new Thread(
              () -> {
                List<Event> mine = new ArrayList<>();
                try {
                  for (int i = 0; !stop.get(); i++) {
                    try {
                      if (client % 3 == 2) {
                        HttpResponse<String> r =
                            admin.post(
                                "/api/files/presign",
                                "{\"filename\":\"photo.png\",\"contentType\":\"image/png\","
                                    + "\"size\":65536}");
                        Matcher m = FILE_ID.matcher(r.body());
                        if (r.statusCode() == 200 && m.find()) {
                          acceptedFiles.add(m.group(1));
                          accepted.incrementAndGet();
                        }
                      } else if (i % 4 == 3 && !mine.isEmpty()) {
                        // A redelivery in the middle of new events: a duplicate in a group.
                        Event again = mine.get(i % mine.size());
                        HttpResponse<String> r = post(stripe, again);
                        if (r.statusCode() == 200 && r.body().contains("\"duplicate\":true")) {
                          redelivered.incrementAndGet();
                        }
                      } else {
                        Event e = event("evt_group_" + run + "_" + client + "_" + i);
                        if (post(stripe, e).statusCode() == 200) {
                          acceptedEvents.add(e);
                          mine.add(e);
                          accepted.incrementAndGet();
                        }
                      }
                    } catch (RuntimeException connectionLost) {
                      // the kill: a request in flight gets no answer, and promises nothing
                    }
                  }
                } finally {
                  done.countDown();
                }
              });
      thread.setDaemon(true);
      thread.start();
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (accepted.get() < KILL_AFTER / 2 && System.nanoTime() < deadline) {
      Thread.sleep(2);
    }
    String metrics = admin.get("/actuator/prometheus").body();
    while (accepted.get() < KILL_AFTER && System.nanoTime() < deadline) {
      Thread.sleep(2);
    }
    first.kill();
    stop.set(true);
    done.await();
    List<Event> events = new ArrayList<>(acceptedEvents);
    List<String> files = new ArrayList<>(acceptedFiles);
    assertThat(events.size() + files.size())
        .as("a burst was under way at the kill")
        .isGreaterThanOrEqualTo(KILL_AFTER);
    assertThat(redelivered)
        .as("redeliveries answered as duplicates in the burst")
        .hasPositiveValue();
    Map<String, Double> groups = new HashMap<>();
    Matcher m = GROUPS.matcher(metrics);
    while (m.find()) {
      groups.put(m.group(1), Double.parseDouble(m.group(2)));
    }
    assertThat(groups.get("sum"))
        .as("requests shared commits before the kill: %s", groups)
        .isGreaterThan(groups.get("count"));

    try (JarProcess second = first.restart().awaitReady(Duration.ofSeconds(300))) {
      HttpTestClient after = new HttpTestClient(second.port()).authorized(TestKeys.ADMIN);
      HttpTestClient redelivery = new HttpTestClient(second.port());
      List<String> lostFiles =
          files.stream().filter(id -> after.get("/api/files/" + id).statusCode() != 200).toList();
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
          "Group commit crash test ("
              + database
              + "): "
              + events.size()
              + " webhooks, "
              + redelivered.get()
              + " redeliveries and "
              + files.size()
              + " presigns answered 2xx before SIGKILL, groups "
              + groups
              + "; lost "
              + lostEvents.size()
              + " and "
              + lostFiles.size());
      assertThat(lostFiles).as("files answered 200 but missing after the restart").isEmpty();
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
