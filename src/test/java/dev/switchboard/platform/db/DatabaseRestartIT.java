package dev.switchboard.platform.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.payments.stripe.StripeTestSigner;
import dev.switchboard.testing.HttpTestClient;
import dev.switchboard.testing.TestKeys;
import dev.switchboard.testing.ThrowawayPostgres;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * PostgreSQL restarts under load ({@code pg_ctl stop -m fast}, a few seconds down, {@code pg_ctl
 * start}) on a cluster of the test's own: requests that need it are answered 503 {@code
 * database_unavailable} in bounded time, nothing answered 2xx is lost, and requests, job workers,
 * health checks and the alerts lease carry on afterwards in the same process.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class DatabaseRestartIT {

  static final String SECRET = "whsec_restart_test_0123456789abcdef012345678";
  static final int CLIENTS = 6;
  static final Duration OUTAGE = Duration.ofSeconds(5);

  /**
   * The pool's connection timeout (3 s) plus room for a loaded build machine: no request may wait
   * longer than this for its 503.
   */
  static final Duration REFUSAL_BOUND = Duration.ofSeconds(5);

  static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");
  static final ThrowawayPostgres postgres = ThrowawayPostgres.start();

  @DynamicPropertySource
  static void environment(DynamicPropertyRegistry registry) {
    registry.add("DATABASE_URL", postgres::databaseUrl);
    registry.add("SWITCHBOARD_ADMIN_API_KEY", () -> TestKeys.ADMIN);
    registry.add("STRIPE_WEBHOOK_SECRET", () -> SECRET);
    registry.add("SWITCHBOARD_API_RATE_LIMIT", () -> "100000000/s");
    registry.add("EMAIL_RATE_LIMIT", () -> "1000000/s");
    registry.add("SWITCHBOARD_HEALTH_INTERVAL", () -> "1s");
    // A claim whose answer the restart cut is handed back by its worker once the database answers
    // (JobsContract checks that alone); the short lease keeps any job the test did not foresee
    // within the test's minute rather than five.
    registry.add("SWITCHBOARD_JOB_LEASE", () -> "10s");
    registry.add("ALERT_EVALUATE_INTERVAL", () -> "1s");
    registry.add("ALERT_LEASE", () -> "3s");
    registry.add("SWITCHBOARD_DATA_DIR", () -> "target/it-data/database-restart");
  }

  @AfterAll
  static void stopPostgres() {
    postgres.close();
  }

  @LocalServerPort int port;

  record Answer(String kind, int status, String body, Duration took, String retryAfter) {}

  @Test
  void postgresWhenRestartedUnderLoadThenFastJson503sNoAcceptedWriteLostAndEverythingResumes()
      throws Exception {
    HttpTestClient api = new HttpTestClient(port).authorized(TestKeys.ADMIN);
    String warm = mail(api, "warm").body();
    assertThat(warm).contains("\"id\"");
    awaitUntil("the first mail sent", Duration.ofSeconds(30), () -> sent(api, id(warm)));

    Queue<String> acceptedMails = new ConcurrentLinkedQueue<>();
    Queue<String> acceptedEvents = new ConcurrentLinkedQueue<>();
    Queue<Answer> refused = new ConcurrentLinkedQueue<>();
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch done = new CountDownLatch(CLIENTS);
    String run = Long.toString(System.nanoTime(), 36);
    for (int c = 0; c < CLIENTS; c++) {
      int client = c;
      Thread thread =
          new Thread(
              () -> {
                try {
                  for (int i = 0; !stop.get(); i++) {
                    long start = System.nanoTime();
                    boolean webhook = client % 2 == 0;
                    String eventId = "evt_restart_" + run + "_" + client + "_" + i;
                    HttpResponse<String> r;
                    try {
                      r = webhook ? webhook(eventId) : mail(api, "u" + client + "-" + i);
                    } catch (RuntimeException e) {
                      refused.add(
                          new Answer(
                              "no answer",
                              -1,
                              e.toString(),
                              Duration.ofNanos(System.nanoTime() - start),
                              null));
                      continue;
                    }
                    Duration took = Duration.ofNanos(System.nanoTime() - start);
                    if (r.statusCode() / 100 == 2) {
                      (webhook ? acceptedEvents : acceptedMails)
                          .add(webhook ? eventId : id(r.body()));
                    } else {
                      refused.add(
                          new Answer(
                              webhook ? "webhook" : "mail",
                              r.statusCode(),
                              r.body(),
                              took,
                              r.headers().firstValue("Retry-After").orElse(null)));
                    }
                  }
                } finally {
                  done.countDown();
                }
              });
      thread.setDaemon(true);
      thread.start();
    }

    Thread.sleep(1_500);
    int acceptedBefore = acceptedMails.size() + acceptedEvents.size();
    postgres.stopServer();
    Instant stoppedAt = Instant.now();

    // While it is down: reads fail as fast, in our shape; the process itself stays alive.
    awaitUntil(
        "readiness 503",
        Duration.ofSeconds(10),
        () -> api.get("/actuator/health/readiness").statusCode() == 503);
    long start = System.nanoTime();
    HttpResponse<String> read = api.get("/api/email/messages/" + id(warm));
    Duration readTook = Duration.ofNanos(System.nanoTime() - start);
    assertThat(read.statusCode()).isEqualTo(503);
    assertThat(read.body()).contains("\"code\":\"database_unavailable\"").contains("\"requestId\"");
    assertThat(read.headers().firstValue("Retry-After")).isPresent();
    assertThat(readTook).isLessThan(REFUSAL_BOUND);
    assertThat(api.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
    Thread.sleep(
        Math.max(0, OUTAGE.toMillis() - Duration.between(stoppedAt, Instant.now()).toMillis()));

    postgres.startServer();
    Instant startedAt = Instant.now();
    awaitUntil(
        "a mail accepted again",
        Duration.ofSeconds(20),
        () -> mail(api, "after-" + run).statusCode() == 202);
    Duration recovery = Duration.between(startedAt, Instant.now());
    Thread.sleep(1_500);
    stop.set(true);
    done.await();

    List<Answer> refusals = new ArrayList<>(refused);
    List<Answer> wrong =
        refusals.stream()
            .filter(
                a -> a.status() != 503 || !a.body().contains("\"code\":\"database_unavailable\""))
            .toList();
    Duration slowest =
        refusals.stream().map(Answer::took).max(Duration::compareTo).orElse(Duration.ZERO);
    System.out.println(
        "Database restart: "
            + acceptedBefore
            + " accepted before the stop, "
            + (acceptedMails.size() + acceptedEvents.size())
            + " in all ("
            + acceptedMails.size()
            + " mails, "
            + acceptedEvents.size()
            + " webhooks); "
            + refusals.size()
            + " answered 503 database_unavailable, slowest in "
            + slowest.toMillis()
            + " ms; accepting again "
            + recovery.toMillis()
            + " ms after the server was up");
    assertThat(wrong).as("answers other than 2xx or 503 database_unavailable").isEmpty();
    assertThat(refusals).as("the outage was seen by the load").isNotEmpty();
    assertThat(slowest).as("slowest 503").isLessThan(REFUSAL_BOUND);
    assertThat(refusals).allSatisfy(a -> assertThat(a.retryAfter()).isNotNull());

    // Nothing answered 2xx is lost: every webhook is stored (sent again, it is a duplicate), every
    // mail exists and is sent by the job workers, which resumed by themselves.
    HttpTestClient plain = new HttpTestClient(port);
    List<String> lostEvents =
        acceptedEvents.stream()
            .filter(
                e -> {
                  HttpResponse<String> r = webhook(plain, e);
                  return r.statusCode() != 200 || !r.body().contains("\"duplicate\":true");
                })
            .toList();
    assertThat(lostEvents).as("webhooks answered 200 but not stored").isEmpty();
    awaitUntil(
        "every accepted mail sent",
        Duration.ofSeconds(60),
        () -> acceptedMails.stream().allMatch(id -> sent(api, id)));

    // Health checks and the alerts lease resume without a restart of Switchboard.
    awaitUntil(
        "readiness 200",
        Duration.ofSeconds(20),
        () -> api.get("/actuator/health/readiness").statusCode() == 200);
    Instant leaseAfterRestart = leaseExpiry();
    awaitUntil(
        "the alerts lease renewed after the restart",
        Duration.ofSeconds(20),
        () -> leaseExpiry().isAfter(leaseAfterRestart));
  }

  HttpResponse<String> mail(HttpTestClient api, String who) {
    return api.post(
        "/api/email/send",
        "{\"template\":\"welcome\",\"to\":\""
            + who
            + "@example.com\",\"variables\":{\"name\":\"U\","
            + "\"verifyUrl\":\"https://app.example.com/v\"}}");
  }

  HttpResponse<String> webhook(String eventId) {
    return webhook(new HttpTestClient(port), eventId);
  }

  static HttpResponse<String> webhook(HttpTestClient client, String eventId) {
    String body =
        "{\"id\":\""
            + eventId
            + "\",\"object\":\"event\",\"api_version\":\"2025-09-30.clover\",\"created\":"
            + Instant.now().getEpochSecond()
            + ",\"livemode\":false,\"type\":\"customer.updated\",\"data\":{\"object\":"
            + "{\"id\":\"cus_restart\",\"object\":\"customer\",\"email\":\"r@example.com\"}}}";
    return client.post(
        "/api/webhooks/stripe",
        body,
        "Stripe-Signature",
        StripeTestSigner.header(body, SECRET, Instant.now()));
  }

  static boolean sent(HttpTestClient api, String id) {
    HttpResponse<String> r = api.get("/api/email/messages/" + id);
    return r.statusCode() == 200 && r.body().contains("\"status\":\"sent\"");
  }

  static String id(String body) {
    Matcher m = ID.matcher(body);
    if (!m.find()) {
      throw new AssertionError("no id in " + body);
    }
    return m.group(1);
  }

  static Instant leaseExpiry() {
    try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(), "postgres", "");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT expires_at FROM alert_lease WHERE name = 'alerts'")) {
      return rs.next() ? rs.getTimestamp(1).toInstant() : Instant.EPOCH;
    } catch (SQLException e) {
      return Instant.EPOCH;
    }
  }

  static void awaitUntil(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      boolean ok;
      try {
        ok = condition.getAsBoolean();
      } catch (RuntimeException e) {
        ok = false;
      }
      if (ok) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what, e);
      }
    }
  }
}
