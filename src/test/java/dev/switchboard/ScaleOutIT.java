package dev.switchboard;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.nimbusds.jwt.SignedJWT;
import dev.switchboard.payments.stripe.StripeWebhookVerifier;
import dev.switchboard.platform.config.Secret;
import dev.switchboard.testing.Eventually;
import dev.switchboard.testing.HttpTestClient;
import dev.switchboard.testing.MailArrivals;
import dev.switchboard.testing.NginxProcess;
import dev.switchboard.testing.ScaleOutBed;
import dev.switchboard.testing.SteadyLoad;
import dev.switchboard.testing.TestKeys;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Three instances of the packaged jar behind nginx on one PostgreSQL schema, the machine's Redis
 * and s3proxy (ScaleOutBed): what must hold when a product runs on more than one box. Requests go
 * through nginx (round-robin; its {@code X-Upstream} header names the instance that answered) or,
 * where a test needs certainty that two requests reach two instances, to the instances directly.
 * The rolling restart runs last, since it replaces the processes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScaleOutIT {

  static final JsonMapper JSON = JsonMapper.builder().build();
  static final String APP = "http://localhost:3000/after-sign-in";
  static final WireMockServer SEGMENT = new WireMockServer(options().dynamicPort());
  static final Duration KEY_RELOAD = Duration.ofSeconds(2);
  static final Duration REUSE_GRACE = Duration.ofSeconds(3);
  static MailArrivals smtp;
  static ScaleOutBed bed;

  @BeforeAll
  static void startBed() throws Exception {
    SEGMENT.start();
    SEGMENT.stubFor(
        post(urlEqualTo("/v1/batch")).willReturn(aResponse().withStatus(200).withBody("{}")));
    smtp = MailArrivals.start();
    bed =
        ScaleOutBed.start(
            3,
            Map.of(
                "EMAIL_PROVIDER",
                "smtp",
                "SMTP_URL",
                smtp.smtpUrl(),
                "EMAIL_RATE_LIMIT",
                "200/s",
                "SEGMENT_WRITE_KEY",
                "seg_write_key_scale_out_0123",
                "SEGMENT_API_URL",
                SEGMENT.baseUrl(),
                // The API limit is per client; the load below is one API key.
                "SWITCHBOARD_API_RATE_LIMIT",
                "5000/s",
                // A rotation reaches the other instances at their next reload (default 1m).
                "SWITCHBOARD_AUTH_KEY_RELOAD_INTERVAL",
                KEY_RELOAD.toSeconds() + "s",
                // The refresh test waits the grace window out (default 10s).
                "SWITCHBOARD_REFRESH_REUSE_GRACE",
                REUSE_GRACE.toSeconds() + "s"));
  }

  @AfterAll
  static void stopBed() throws Exception {
    if (bed != null) {
      bed.close();
    }
    if (smtp != null) {
      smtp.close();
    }
    SEGMENT.stop();
  }

  // ---- helpers

  static JsonNode json(HttpResponse<String> response, int status) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    return JSON.readTree(response.body());
  }

  static String upstream(HttpResponse<?> response) {
    return response.headers().firstValue("X-Upstream").orElse("?");
  }

  /** Registers and signs in a new account on instance {@code i}; the token pair. */
  static JsonNode signIn(int i) {
    String email = "u" + UUID.randomUUID().toString().substring(0, 12) + "@example.com";
    String body = "{\"email\":\"" + email + "\",\"password\":\"a long enough password\"}";
    assertThat(bed.direct(i).post("/api/auth/register", body).statusCode()).isEqualTo(202);
    return json(bed.direct(i).post("/api/auth/login", body), 200);
  }

  static HttpResponse<String> me(HttpTestClient http, String access) {
    return http.get("/api/auth/me", "Authorization", "Bearer " + access);
  }

  private static final Pattern PAYMENT_JOBS_DONE =
      Pattern.compile(
          "^switchboard_jobs_total\\{[^}]*outcome=\"done\"[^}]*type=\"payments\\.event\"[^}]*\\}"
              + " (\\S+)$",
          Pattern.MULTILINE);

  /**
   * Payment event jobs done on the three instances, from their metrics: a job without a dedupe key
   * (an event's first run) leaves no row once done.
   */
  static double paymentJobsDone() {
    double done = 0;
    for (int i = 0; i < 3; i++) {
      String metrics = bed.direct(i).authorized(TestKeys.ADMIN).get("/actuator/prometheus").body();
      Matcher m = PAYMENT_JOBS_DONE.matcher(metrics);
      while (m.find()) {
        done += Double.parseDouble(m.group(1));
      }
    }
    return done;
  }

  static long count(String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(bed.jdbcUrl(), "postgres", "");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Runs the calls at the same moment on separate threads; their results in order. */
  @SafeVarargs
  static <T> List<T> atOnce(Callable<T>... calls) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(calls.length);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      for (Callable<T> call : calls) {
        futures.add(
            pool.submit(
                () -> {
                  go.await();
                  return call.call();
                }));
      }
      go.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> f : futures) {
        results.add(f.get());
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  static String stripeEvent(String id) {
    return "{\"id\":\""
        + id
        + "\",\"object\":\"event\",\"api_version\":\"2025-09-30.clover\",\"created\":"
        + Instant.now().getEpochSecond()
        + ",\"livemode\":false,\"type\":\"customer.updated\",\"data\":{\"object\":"
        + "{\"id\":\"cus_scale\",\"object\":\"customer\",\"email\":\"scale@example.com\"}}}";
  }

  static HttpResponse<String> deliverStripe(HttpTestClient http, String body) {
    String signature =
        StripeWebhookVerifier.signatureHeader(
            Secret.of(ScaleOutBed.STRIPE_SECRET),
            Instant.now().getEpochSecond(),
            body.getBytes(StandardCharsets.UTF_8));
    return http.post("/api/webhooks/stripe", body, "Stripe-Signature", signature);
  }

  static String emailRequest(String to) {
    return "{\"template\":\"password-reset\",\"to\":\""
        + to
        + "\",\"variables\":{\"name\":\"Sam\",\"resetUrl\":\"https://app.example.com/r\"}}";
  }

  // ---- the tests

  @Test
  @Order(1)
  void startWhenThreeInstancesMigrateOneEmptySchemaAtOnceThenEachMigrationAppliedOnce()
      throws Exception {
    long applied = count("SELECT COUNT(*) FROM flyway_schema_history WHERE version IS NOT NULL");
    long distinct =
        count(
            "SELECT COUNT(DISTINCT version) FROM flyway_schema_history WHERE version IS NOT NULL");
    assertThat(applied).isPositive().isEqualTo(distinct);
    assertThat(count("SELECT COUNT(*) FROM flyway_schema_history WHERE NOT success")).isZero();
  }

  @Test
  @Order(2)
  void roundRobinWhenRequestsGoThroughNginxThenEveryInstanceAnswers() {
    Set<String> answered = new HashSet<>();
    for (int n = 0; n < 12; n++) {
      HttpResponse<String> ping = bed.lb().get("/api/ping");
      assertThat(ping.statusCode()).isEqualTo(204);
      answered.add(upstream(ping));
    }
    Set<String> instances =
        java.util.stream.IntStream.range(0, bed.size())
            .mapToObj(i -> "127.0.0.1:" + bed.instance(i).port())
            .collect(Collectors.toSet());
    assertThat(answered).isEqualTo(instances);
  }

  @Test
  @Order(3)
  void tokenWhenIssuedByOneInstanceThenAcceptedByTheOthersAndJwksSameEverywhereAcrossRotation()
      throws Exception {
    JsonNode tokens = signIn(0);
    String access = tokens.path("accessToken").asString();
    for (int i = 0; i < bed.size(); i++) {
      assertThat(me(bed.direct(i), access).statusCode()).as("instance " + i).isEqualTo(200);
    }
    String jwks = bed.direct(0).get("/.well-known/jwks.json").body();
    assertThat(bed.direct(1).get("/.well-known/jwks.json").body()).isEqualTo(jwks);
    assertThat(bed.direct(2).get("/.well-known/jwks.json").body()).isEqualTo(jwks);

    String oldKid = SignedJWT.parse(access).getHeader().getKeyID();
    assertThat(
            bed.direct(1)
                .post("/api/auth/keys/rotate", "{}", "Authorization", "Bearer " + TestKeys.ADMIN)
                .statusCode())
        .isEqualTo(200);
    // Rotated on instance 1, refreshed on instance 2 at once; every instance re-reads the keys
    // within its reload interval, after which all serve the same JWKS with both keys.
    JsonNode rotated =
        json(
            bed.direct(2)
                .post(
                    "/api/auth/refresh",
                    "{\"refreshToken\":\"" + tokens.path("refreshToken").asString() + "\"}"),
            200);
    String newAccess = rotated.path("accessToken").asString();
    Eventually.await(
        "every instance serves the rotated JWKS",
        Duration.ofSeconds(30),
        () -> {
          String first = bed.direct(0).get("/.well-known/jwks.json").body();
          return first.contains(oldKid)
              && first.equals(bed.direct(1).get("/.well-known/jwks.json").body())
              && first.equals(bed.direct(2).get("/.well-known/jwks.json").body())
              && first.split("\"kid\"").length > 2;
        });
    for (int i = 0; i < bed.size(); i++) {
      assertThat(me(bed.direct(i), newAccess).statusCode()).as("new token, " + i).isEqualTo(200);
      assertThat(me(bed.direct(i), access).statusCode()).as("old token, " + i).isEqualTo(200);
    }
  }

  @Test
  @Order(4)
  void refreshWhenSameTokenPresentedToTwoInstancesAtOnceThenRotatedOnceAndReuseLaterRevokes()
      throws Exception {
    JsonNode tokens = signIn(0);
    String body = "{\"refreshToken\":\"" + tokens.path("refreshToken").asString() + "\"}";
    List<HttpResponse<String>> answers =
        atOnce(
            () -> bed.direct(1).post("/api/auth/refresh", body),
            () -> bed.direct(2).post("/api/auth/refresh", body));
    JsonNode first = json(answers.get(0), 200);
    JsonNode second = json(answers.get(1), 200);
    // One claimed the token; the other took the grace-window path and answers the same new pair.
    assertThat(second.path("refreshToken").asString())
        .isEqualTo(first.path("refreshToken").asString());
    assertThat(first.path("refreshToken").asString())
        .isNotEqualTo(tokens.path("refreshToken").asString());
    String sid =
        SignedJWT.parse(tokens.path("accessToken").asString())
            .getJWTClaimsSet()
            .getStringClaim("sid");
    assertThat(count("SELECT refresh_generation FROM auth_sessions WHERE id = '" + sid + "'"))
        .as("the first token and one successor")
        .isEqualTo(1);

    // After the grace window the rotated token is a reuse: the family is revoked.
    Thread.sleep(REUSE_GRACE.plusSeconds(1).toMillis());
    HttpResponse<String> reuse = bed.direct(0).post("/api/auth/refresh", body);
    assertThat(reuse.statusCode()).as(reuse.body()).isEqualTo(401);
    assertThat(JSON.readTree(reuse.body()).path("code").asString())
        .isEqualTo("refresh_token_reused");
    HttpResponse<String> successor =
        bed.direct(1)
            .post(
                "/api/auth/refresh",
                "{\"refreshToken\":\"" + first.path("refreshToken").asString() + "\"}");
    assertThat(successor.statusCode()).as(successor.body()).isEqualTo(401);
  }

  @Test
  @Order(5)
  void oauthWhenStartedOnOneInstanceThenCompletesOnAnotherAndExchangesOnAThird() {
    HttpResponse<String> login =
        bed.direct(0)
            .get(
                "/api/auth/login/github?redirect_to="
                    + URLEncoder.encode(APP, StandardCharsets.UTF_8));
    assertThat(login.statusCode()).as(login.body()).isEqualTo(302);
    URI authorize = URI.create(login.headers().firstValue("Location").orElseThrow());
    Map<String, String> form = new java.util.LinkedHashMap<>(query(authorize));
    HttpResponse<String> page = bed.direct(1).get(own(authorize));
    assertThat(page.statusCode()).isEqualTo(200);
    form.put("email", "oauth.scale@example.com");
    form.put("name", "Scale Out");
    form.put("email_verified", "true");
    form.put("decision", "allow");
    // The dev identity provider stands in for Google and keeps its own codes in memory, like an
    // outside
    // provider would: its page, its answer and the callback (which redeems its code) use instance
    // 1.
    // Our side of the flow (state, PKCE verifier, nonce) was created on instance 0.
    HttpResponse<String> allowed = postForm(bed.direct(1), authorize.getPath(), form);
    assertThat(allowed.statusCode()).as(allowed.body()).isEqualTo(302);
    URI callback = URI.create(allowed.headers().firstValue("Location").orElseThrow());
    assertThat(callback.getPath()).isEqualTo("/api/auth/callback/github");

    HttpResponse<String> back = bed.direct(1).get(own(callback));
    assertThat(back.statusCode()).as(back.body()).isEqualTo(302);
    URI app = URI.create(back.headers().firstValue("Location").orElseThrow());
    assertThat(app.toString()).startsWith(APP + "?code=");
    JsonNode exchanged =
        json(
            bed.direct(2)
                .post("/api/auth/exchange", "{\"code\":\"" + query(app).get("code") + "\"}"),
            200);
    JsonNode me = json(me(bed.direct(0), exchanged.path("accessToken").asString()), 200);
    assertThat(me.path("email").asString()).isEqualTo("oauth.scale@example.com");
  }

  @Test
  @Order(6)
  void signInLimitWhenRequestsSpreadOverInstancesThenOneBudgetInRedis() throws Exception {
    // 20/min per client address (SWITCHBOARD_SIGN_IN_RATE_LIMIT's default), counted in Redis. The
    // address comes from X-Forwarded-For, which nginx extends and the instances trust from it.
    String address = "198.51.100." + (1 + new java.util.Random().nextInt(250));
    int allowed = 0;
    Set<String> answered = new HashSet<>();
    long started = System.nanoTime();
    for (int n = 0; n < 45; n++) {
      HttpResponse<String> attempt =
          bed.lb()
              .post(
                  "/api/auth/login",
                  "{\"email\":\"limit" + n + "@example.com\",\"password\":\"wrong password\"}",
                  "X-Forwarded-For",
                  address);
      answered.add(upstream(attempt));
      if (attempt.statusCode() != 429) {
        allowed++;
      }
    }
    long refills = (System.nanoTime() - started) / 3_000_000_000L;
    assertThat(answered).hasSize(3);
    // Separate buckets per instance (60 in all) would let all 45 through. The shared bucket refills
    // one token every 3 s, so a longer run (45 bcrypt logins on a loaded machine) sees one more per
    // 3 s it took.
    assertThat(allowed).isBetween(20, (int) Math.min(21 + refills, 40));
  }

  @Test
  @Order(7)
  void idempotencyKeyWhenRepeatedOnAnotherInstanceOrOnThreeAtOnceThenOneMessage() throws Exception {
    String to = "idem-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    String key = "scale-" + UUID.randomUUID();
    HttpResponse<String> first =
        bed.direct(0)
            .authorized(TestKeys.ADMIN)
            .post("/api/email/send", emailRequest(to), "Idempotency-Key", key);
    HttpResponse<String> again =
        bed.direct(1)
            .authorized(TestKeys.ADMIN)
            .post("/api/email/send", emailRequest(to), "Idempotency-Key", key);
    assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
    assertThat(again.statusCode()).as(again.body()).isEqualTo(202);
    assertThat(again.headers().firstValue("Idempotent-Replayed")).contains("true");
    assertThat(JSON.readTree(again.body()).path("id").asString())
        .isEqualTo(JSON.readTree(first.body()).path("id").asString());

    String to2 = "idem-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    String key2 = "scale-" + UUID.randomUUID();
    List<HttpResponse<String>> racing =
        atOnce(
            () ->
                bed.direct(0)
                    .authorized(TestKeys.ADMIN)
                    .post("/api/email/send", emailRequest(to2), "Idempotency-Key", key2),
            () ->
                bed.direct(1)
                    .authorized(TestKeys.ADMIN)
                    .post("/api/email/send", emailRequest(to2), "Idempotency-Key", key2),
            () ->
                bed.direct(2)
                    .authorized(TestKeys.ADMIN)
                    .post("/api/email/send", emailRequest(to2), "Idempotency-Key", key2));
    // Each answer is the message (first or replayed) or "this key is in use" while the first runs.
    assertThat(racing).allSatisfy(r -> assertThat(r.statusCode()).as(r.body()).isIn(202, 409));
    assertThat(racing).anySatisfy(r -> assertThat(r.statusCode()).isEqualTo(202));
    assertThat(count("SELECT COUNT(*) FROM email_messages WHERE recipient = '" + to + "'")).isOne();
    assertThat(count("SELECT COUNT(*) FROM email_messages WHERE recipient = '" + to2 + "'"))
        .isOne();
  }

  @Test
  @Order(8)
  void webhookWhenDeliveredTwiceToTwoInstancesAtOnceThenStoredAndProcessedOnce() throws Exception {
    double jobsBefore = paymentJobsDone();
    List<String> ids = new ArrayList<>();
    for (int k = 0; k < 20; k++) {
      int n = k;
      String id = "evt_twice_" + UUID.randomUUID().toString().replace("-", "");
      ids.add(id);
      String body = stripeEvent(id);
      List<HttpResponse<String>> answers =
          atOnce(
              () -> deliverStripe(bed.direct(n % 3), body),
              () -> deliverStripe(bed.direct((n + 1) % 3), body));
      assertThat(answers).allSatisfy(r -> assertThat(r.statusCode()).as(r.body()).isEqualTo(200));
    }
    String in = ids.stream().map(id -> "'" + id + "'").collect(Collectors.joining(","));
    Eventually.await(
        "every event processed",
        Duration.ofSeconds(60),
        () -> {
          try {
            return count(
                    "SELECT COUNT(*) FROM payment_events WHERE status = 'ignored' AND event_id IN ("
                        + in
                        + ")")
                == 20;
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
    assertThat(count("SELECT COUNT(*) FROM payment_events WHERE event_id IN (" + in + ")"))
        .isEqualTo(20);
    assertThat(
            count(
                "SELECT COUNT(*) FROM payment_events WHERE attempts <> 1 AND event_id IN ("
                    + in
                    + ")"))
        .isZero();
    // One job per event, each done once: the jobs left no rows (no dedupe key), and the instances
    // counted 20 done.
    assertThat(
            count(
                "SELECT COUNT(*) FROM jobs WHERE type = 'payments.event' AND payload LIKE '%evt_twice_%'"))
        .isZero();
    Eventually.await(
        "20 jobs counted done", Duration.ofSeconds(10), () -> paymentJobsDone() - jobsBefore >= 20);
    assertThat(paymentJobsDone() - jobsBefore).isEqualTo(20);
  }

  @Test
  @Order(9)
  void jobsWhenEmailsAndAnalyticsAcceptedByAllInstancesThenEachRunsOnce() throws Exception {
    int before = smtp.count();
    List<String> recipients = new ArrayList<>();
    Set<String> answered = new HashSet<>();
    for (int n = 0; n < 60; n++) {
      String to = "once-" + n + "-" + UUID.randomUUID().toString().substring(0, 6) + "@example.com";
      recipients.add(to);
      HttpResponse<String> sent =
          bed.lb().authorized(TestKeys.ADMIN).post("/api/email/send", emailRequest(to));
      assertThat(sent.statusCode()).as(sent.body()).isEqualTo(202);
      answered.add(upstream(sent));
    }
    assertThat(answered).hasSize(3);
    String basic =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((ScaleOutBed.ANALYTICS_KEY + ":").getBytes(StandardCharsets.UTF_8));
    Set<String> messageIds = new HashSet<>();
    for (int b = 0; b < 6; b++) {
      StringBuilder batch = new StringBuilder("{\"batch\":[");
      for (int e = 0; e < 10; e++) {
        String id = "scale-" + b + "-" + e + "-" + UUID.randomUUID();
        messageIds.add(id);
        batch
            .append(e == 0 ? "" : ",")
            .append("{\"type\":\"track\",\"messageId\":\"")
            .append(id)
            .append("\",\"userId\":\"u-scale\",\"event\":\"scaled\"}");
      }
      HttpResponse<String> ingested =
          bed.lb().post("/v1/batch", batch.append("]}").toString(), "Authorization", basic);
      assertThat(ingested.statusCode()).as(ingested.body()).isEqualTo(200);
    }

    Eventually.await(
        "every email arrived", Duration.ofSeconds(90), () -> smtp.count() >= before + 60);
    Eventually.await(
        "every event forwarded", Duration.ofSeconds(90), () -> forwarded().containsAll(messageIds));
    Thread.sleep(2000); // a duplicate would arrive right behind
    Map<String, Long> perRecipient =
        smtp.arrivals().stream()
            .filter(a -> recipients.contains(a.recipient()))
            .collect(Collectors.groupingBy(MailArrivals.Arrival::recipient, Collectors.counting()));
    assertThat(perRecipient).hasSize(60).allSatisfy((to, n) -> assertThat(n).as(to).isOne());
    List<String> all = forwardedList();
    assertThat(all.stream().filter(messageIds::contains).count()).isEqualTo(messageIds.size());
  }

  static Set<String> forwarded() {
    return new HashSet<>(forwardedList());
  }

  static List<String> forwardedList() {
    List<String> ids = new ArrayList<>();
    SEGMENT
        .getAllServeEvents()
        .forEach(
            e ->
                JSON.readTree(e.getRequest().getBodyAsString())
                    .path("batch")
                    .forEach(m -> ids.add(m.path("messageId").asString())));
    return ids;
  }

  @Test
  @Order(10)
  void filesWhenPresignedOnOneInstanceAndCompletedOnAnotherThenS3ProxyAcceptedTheSignature()
      throws Exception {
    String access = signIn(0).path("accessToken").asString();
    byte[] png = dev.switchboard.storage.Samples.png();
    JsonNode presigned =
        json(
            bed.direct(1)
                .post(
                    "/api/files/presign",
                    "{\"filename\":\"p.png\",\"contentType\":\"image/png\",\"size\":"
                        + png.length
                        + "}",
                    "Authorization",
                    "Bearer " + access),
            200);
    HttpResponse<String> put =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(presigned.path("uploadUrl").asString()))
                    .header("Content-Type", "image/png")
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(png))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
    JsonNode completed =
        json(
            bed.direct(2)
                .post(
                    "/api/files/" + presigned.path("fileId").asString() + "/complete",
                    "",
                    "Authorization",
                    "Bearer " + access),
            200);
    assertThat(completed.path("status").asString()).isEqualTo("ready");

    // s3proxy checks signatures: the same URL with a changed signature is refused.
    String forged =
        presigned
            .path("uploadUrl")
            .asString()
            .replaceAll("X-Amz-Signature=[0-9a-f]{4}", "X-Amz-Signature=0000");
    HttpResponse<String> refused =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(forged))
                    .header("Content-Type", "image/png")
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(png))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(refused.statusCode()).isEqualTo(403);
  }

  @Test
  @Order(11)
  void dashboardSessionWhenSignedInOnOneInstanceThenWorksOnTheOthers() {
    HttpResponse<String> signIn =
        bed.direct(0)
            .send(
                HttpRequest.newBuilder(URI.create(bed.direct(0).base() + "/admin/login"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "key=" + URLEncoder.encode(TestKeys.ADMIN, StandardCharsets.UTF_8))));
    assertThat(signIn.statusCode()).isEqualTo(303);
    String cookie = signIn.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
    for (int i = 0; i < bed.size(); i++) {
      assertThat(bed.direct(i).get("/admin", "Cookie", cookie).statusCode())
          .as("instance " + i)
          .isEqualTo(200);
    }
    assertThat(bed.direct(1).get("/admin", "Cookie", "sb_admin=" + TestKeys.ADMIN).statusCode())
        .isEqualTo(303);
  }

  @Test
  @Order(12)
  void healthMapWhenAskedThroughNginxThenEveryInstanceListsAllThreeLiveAndMarksItself() {
    // Each instance reads the others' rows at its own heartbeat (10 s): the first one up learns of
    // the later ones at its next beat.
    Eventually.await(
        "every instance lists three live instances",
        Duration.ofSeconds(30),
        () -> {
          for (int i = 0; i < bed.size(); i++) {
            JsonNode map =
                json(bed.direct(i).authorized(TestKeys.ADMIN).get("/api/integrations"), 200);
            long live = 0;
            for (JsonNode instance : map.path("instances")) {
              live += instance.path("state").asString().equals("live") ? 1 : 0;
            }
            if (live != bed.size()) {
              return false;
            }
          }
          return true;
        });
    Set<String> selves = new HashSet<>();
    Set<Set<String>> listed = new HashSet<>();
    for (int n = 0; n < 6; n++) {
      HttpResponse<String> map = bed.lb().authorized(TestKeys.ADMIN).get("/api/integrations");
      JsonNode instances = json(map, 200).path("instances");
      Set<String> live = new HashSet<>();
      for (JsonNode i : instances) {
        if (i.path("state").asString().equals("live")) {
          live.add(i.path("id").asString());
          assertThat(i.path("version").asString()).isNotBlank();
          assertThat(i.path("startedAt").asString()).isNotBlank();
          assertThat(i.path("lastHeartbeat").asString()).isNotBlank();
          assertThat(i.path("database").asString()).isEqualTo("postgresql");
        }
        if (i.path("self").asBoolean()) {
          selves.add(i.path("id").asString());
        }
      }
      assertThat(live).hasSize(bed.size());
      listed.add(live);
    }
    // Every instance answered at least once (round-robin) and each names itself; all list the same
    // three.
    assertThat(selves).hasSize(bed.size());
    assertThat(listed).hasSize(1);
    assertThat(listed.iterator().next()).containsAll(selves);
  }

  @Test
  @Order(20)
  void
      rollingRestartWhenEachInstanceGetsSigtermUnderSteadyLoadThenNoRequestFailsAndEachJobRunsOnce()
          throws Exception {
    String access = signIn(0).path("accessToken").asString();
    String base = bed.lb().base();
    String run = UUID.randomUUID().toString().substring(0, 8);
    java.util.Queue<String> emails = new java.util.concurrent.ConcurrentLinkedQueue<>();
    java.util.Queue<String> events = new java.util.concurrent.ConcurrentLinkedQueue<>();
    java.util.function.IntFunction<SteadyLoad.Call> mix =
        n ->
            switch (n % 3) {
              case 0 ->
                  new SteadyLoad.Call(
                      SteadyLoad.to(base, "/api/auth/me")
                          .header("Authorization", "Bearer " + access)
                          .GET()
                          .build(),
                      200,
                      () -> {});
              case 1 -> {
                String to = "roll-" + run + "-" + n + "@example.com";
                yield new SteadyLoad.Call(
                    SteadyLoad.to(base, "/api/email/send")
                        .header("Authorization", "Bearer " + TestKeys.ADMIN)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(emailRequest(to)))
                        .build(),
                    202,
                    () -> emails.add(to));
              }
              default -> {
                String id = "evt_roll_" + run + "_" + n;
                String body = stripeEvent(id);
                yield new SteadyLoad.Call(
                    SteadyLoad.to(base, "/api/webhooks/stripe")
                        .header("Content-Type", "application/json")
                        .header(
                            "Stripe-Signature",
                            StripeWebhookVerifier.signatureHeader(
                                Secret.of(ScaleOutBed.STRIPE_SECRET),
                                Instant.now().getEpochSecond(),
                                body.getBytes(StandardCharsets.UTF_8)))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                    200,
                    () -> events.add(id));
              }
            };
    List<Integer> exits = new ArrayList<>();
    List<Duration> stops = new ArrayList<>();
    long sent;
    long failed;
    List<String> failures;
    try (SteadyLoad load = SteadyLoad.start(4, 40, mix)) {
      // A second of load on all three before the first SIGTERM, and again after the last start.
      Eventually.await("load under way", Duration.ofSeconds(30), () -> load.sent() >= 40);
      for (int i = 0; i < bed.size(); i++) {
        long t0 = System.nanoTime();
        exits.add(bed.restart(i, Duration.ofSeconds(10)));
        stops.add(Duration.ofNanos(System.nanoTime() - t0));
        if (i < bed.size() - 1) {
          // As an operator's rolling restart does: the next instance stops only once the load
          // balancer takes this one back. nginx skips it for its fail_timeout after the last
          // refused connection; with a start faster than that, stopping the next one at once left
          // nginx no live upstream (502s on an idle machine).
          Thread.sleep(NginxProcess.FAIL_TIMEOUT.toMillis());
        }
      }
      long restarted = load.sent();
      Eventually.await(
          "load on the restarted instances",
          Duration.ofSeconds(30),
          () -> load.sent() >= restarted + 40);
      load.close();
      sent = load.sent();
      failed = load.failed();
      failures = load.failures();
    }
    Eventually.await(
        "every accepted email sent",
        Duration.ofSeconds(120),
        () ->
            smtp.arrivals().stream().filter(a -> a.recipient().contains("roll-" + run)).count()
                >= emails.size());
    Eventually.await(
        "every accepted webhook event processed",
        Duration.ofSeconds(120),
        () -> {
          try {
            return count(
                    "SELECT COUNT(*) FROM payment_events WHERE status = 'ignored' AND event_id LIKE 'evt_roll_"
                        + run
                        + "_%'")
                >= events.size();
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
    Thread.sleep(2000);
    long emailArrivals =
        smtp.arrivals().stream().filter(a -> a.recipient().contains("roll-" + run)).count();
    long distinctRecipients =
        smtp.arrivals().stream()
            .filter(a -> a.recipient().contains("roll-" + run))
            .map(MailArrivals.Arrival::recipient)
            .distinct()
            .count();
    long processed =
        count("SELECT COUNT(*) FROM payment_events WHERE event_id LIKE 'evt_roll_" + run + "_%'");
    long processedTwice =
        count(
            "SELECT COUNT(*) FROM payment_events WHERE attempts > 1 AND event_id LIKE 'evt_roll_"
                + run
                + "_%'");
    System.out.printf(
        "rolling restart: requests sent %d, failed %d; emails accepted %d, sent %d (%d recipients);"
            + " webhook events accepted %d, stored %d, processed more than once %d; exit codes %s; stop+start %s%n",
        sent,
        failed,
        emails.size(),
        emailArrivals,
        distinctRecipients,
        events.size(),
        processed,
        processedTwice,
        exits,
        stops);
    assertThat(failures).as("failed requests").isEmpty();
    assertThat(failed).isZero();
    assertThat(sent).isGreaterThan(300);
    assertThat(emailArrivals).isEqualTo(emails.size()).isEqualTo(distinctRecipients);
    assertThat(processed).isEqualTo(events.size());
    assertThat(processedTwice).isZero();
  }

  static Map<String, String> query(URI uri) {
    Map<String, String> params = new java.util.LinkedHashMap<>();
    for (String pair : uri.getRawQuery().split("&")) {
      String[] kv = pair.split("=", 2);
      params.put(
          java.net.URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
          kv.length > 1 ? java.net.URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
    }
    return params;
  }

  static String own(URI uri) {
    return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
  }

  static HttpResponse<String> postForm(HttpTestClient http, String path, Map<String, String> form) {
    String body =
        form.entrySet().stream()
            .map(
                e ->
                    URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                        + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    return http.send(
        HttpRequest.newBuilder(URI.create(http.base() + path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }
}
