package dev.switchboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testing.HttpTestClient;
import dev.switchboard.testing.JarProcess;
import dev.switchboard.testing.KilledBurst;
import dev.switchboard.testing.KilledBurst.Event;
import dev.switchboard.testing.TestKeys;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
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

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgresql"})
  void burstWhenKilledThenEveryAcceptedWebhookAndMailIsThereAfterRestart(String database)
      throws Exception {
    JarProcess first =
        KilledBurst.start(
            "accepted-crash",
            database,
            Map.of(
                "SWITCHBOARD_ADMIN_API_KEY",
                TestKeys.ADMIN,
                "STRIPE_WEBHOOK_SECRET",
                SECRET,
                "SWITCHBOARD_API_RATE_LIMIT",
                "100000000/s",
                "EMAIL_RATE_LIMIT",
                "1000000/s"));
    HttpTestClient client = new HttpTestClient(first.port()).authorized(TestKeys.ADMIN);
    HttpTestClient stripe = new HttpTestClient(first.port());
    Queue<Event> acceptedEvents = new ConcurrentLinkedQueue<>();
    Queue<String> acceptedMails = new ConcurrentLinkedQueue<>();
    String run = Long.toString(System.nanoTime(), 36);
    KilledBurst.untilKilled(
        first,
        CLIENTS,
        KILL_AFTER,
        Duration.ofSeconds(60),
        c ->
            i -> {
              if (c % 2 == 0) {
                Event e = KilledBurst.event("evt_crash_" + run + "_" + c + "_" + i);
                boolean ok = KilledBurst.post(stripe, e, SECRET).statusCode() == 200;
                if (ok) {
                  acceptedEvents.add(e);
                }
                return ok;
              }
              HttpResponse<String> r =
                  client.post(
                      "/api/email/send",
                      "{\"template\":\"welcome\",\"to\":\"u"
                          + c
                          + "-"
                          + i
                          + "@example.com\",\"variables\":{\"name\":\"U\","
                          + "\"verifyUrl\":\"https://app.example.com/v\"}}");
              Matcher m = EMAIL_ID.matcher(r.body());
              boolean ok = r.statusCode() == 202 && m.find();
              if (ok) {
                acceptedMails.add(m.group(1));
              }
              return ok;
            },
        () -> {});
    List<Event> events = new ArrayList<>(acceptedEvents);
    List<String> mails = new ArrayList<>(acceptedMails);
    assertThat(events.size() + mails.size())
        .as("a burst was under way at the kill")
        .isGreaterThanOrEqualTo(KILL_AFTER);

    try (JarProcess second = first.restart().awaitReady(KilledBurst.START)) {
      HttpTestClient after = new HttpTestClient(second.port()).authorized(TestKeys.ADMIN);
      HttpTestClient redelivery = new HttpTestClient(second.port());
      List<String> lostMails =
          mails.stream()
              .filter(id -> after.get("/api/email/messages/" + id).statusCode() != 200)
              .toList();
      // With the answer to the redelivery: a new event (lost) reads differently from a refusal.
      List<String> lostEvents = new ArrayList<>();
      for (Event e : events) {
        HttpResponse<String> r = KilledBurst.post(redelivery, e, SECRET);
        if (!KilledBurst.duplicate(r)) {
          lostEvents.add(e.id() + " (" + r.statusCode() + " " + r.body() + ")");
        }
      }
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
}
