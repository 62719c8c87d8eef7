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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
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

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgresql"})
  void burstWhenKilledThenEveryAnsweredEventAndFileIsThereAfterRestart(String database)
      throws Exception {
    JarProcess first =
        KilledBurst.start(
            "group-commit-crash",
            database,
            Map.of(
                "SWITCHBOARD_ADMIN_API_KEY",
                TestKeys.ADMIN,
                "STRIPE_WEBHOOK_SECRET",
                SECRET,
                "SWITCHBOARD_API_RATE_LIMIT",
                "100000000/s",
                "STORAGE_RATE_LIMIT",
                "100000000/s"));
    HttpTestClient admin = new HttpTestClient(first.port()).authorized(TestKeys.ADMIN);
    HttpTestClient stripe = new HttpTestClient(first.port());
    Queue<Event> acceptedEvents = new ConcurrentLinkedQueue<>();
    Queue<String> acceptedFiles = new ConcurrentLinkedQueue<>();
    AtomicInteger redelivered = new AtomicInteger();
    AtomicReference<String> metrics = new AtomicReference<>();
    String run = Long.toString(System.nanoTime(), 36);
    KilledBurst.untilKilled(
        first,
        CLIENTS,
        KILL_AFTER,
        Duration.ofSeconds(90),
        client -> {
          List<Event> mine = new ArrayList<>();
          return i -> {
            if (client % 3 == 2) {
              HttpResponse<String> r =
                  admin.post(
                      "/api/files/presign",
                      "{\"filename\":\"photo.png\",\"contentType\":\"image/png\","
                          + "\"size\":65536}");
              Matcher m = FILE_ID.matcher(r.body());
              boolean ok = r.statusCode() == 200 && m.find();
              if (ok) {
                acceptedFiles.add(m.group(1));
              }
              return ok;
            }
            if (i % 4 == 3 && !mine.isEmpty()) {
              // A redelivery in the middle of new events: a duplicate in a group.
              if (KilledBurst.stored(stripe, mine.get(i % mine.size()), SECRET)) {
                redelivered.incrementAndGet();
              }
              return false;
            }
            Event e = KilledBurst.event("evt_group_" + run + "_" + client + "_" + i);
            boolean ok = KilledBurst.post(stripe, e, SECRET).statusCode() == 200;
            if (ok) {
              acceptedEvents.add(e);
              mine.add(e);
            }
            return ok;
          };
        },
        () -> metrics.set(admin.get("/actuator/prometheus").body()));
    List<Event> events = new ArrayList<>(acceptedEvents);
    List<String> files = new ArrayList<>(acceptedFiles);
    assertThat(events.size() + files.size())
        .as("a burst was under way at the kill")
        .isGreaterThanOrEqualTo(KILL_AFTER);
    assertThat(redelivered)
        .as("redeliveries answered as duplicates in the burst")
        .hasPositiveValue();
    Map<String, Double> groups = new HashMap<>();
    Matcher m = GROUPS.matcher(metrics.get());
    while (m.find()) {
      groups.put(m.group(1), Double.parseDouble(m.group(2)));
    }
    assertThat(groups.get("sum"))
        .as("requests shared commits before the kill: %s", groups)
        .isGreaterThan(groups.get("count"));

    try (JarProcess second = first.restart().awaitReady(KilledBurst.START)) {
      HttpTestClient after = new HttpTestClient(second.port()).authorized(TestKeys.ADMIN);
      List<String> lostFiles =
          files.stream().filter(id -> after.get("/api/files/" + id).statusCode() != 200).toList();
      List<String> lostEvents =
          events.stream()
              .filter(e -> !KilledBurst.stored(new HttpTestClient(second.port()), e, SECRET))
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
}
