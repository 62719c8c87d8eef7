package dev.switchboard.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testing.HeaderCallerFilter;
import dev.switchboard.testing.HttpTestClient;
import dev.switchboard.testing.TestCallers;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@Import(TestCallers.class)
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "SWITCHBOARD_DATA_DIR=target/it-data/idempotency-filter")
class IdempotencyFilterIT {

  /** Counts how often each handler really ran; the slow one waits until the test lets it finish. */
  @RestController
  static class CountingRoutes {
    final AtomicInteger runs = new AtomicInteger();
    volatile CountDownLatch entered = new CountDownLatch(1);
    volatile CountDownLatch finish = new CountDownLatch(0);
    final AtomicInteger failuresLeft = new AtomicInteger();

    @PostMapping("/api/test-idempotency/create")
    ResponseEntity<Map<String, Object>> create(@RequestBody Map<String, Object> body) {
      int run = runs.incrementAndGet();
      return ResponseEntity.status(201)
          .body(Map.of("id", "obj_" + UUID.randomUUID(), "run", run, "echo", body));
    }

    @PostMapping("/api/test-idempotency/slow")
    Map<String, Object> slow(@RequestBody Map<String, Object> body) throws InterruptedException {
      runs.incrementAndGet();
      entered.countDown();
      finish.await(10, TimeUnit.SECONDS);
      return Map.of("id", "obj_" + UUID.randomUUID());
    }

    @PostMapping("/api/test-idempotency/flaky")
    Map<String, Object> flaky(@RequestBody Map<String, Object> body) {
      runs.incrementAndGet();
      if (failuresLeft.getAndDecrement() > 0) {
        throw new IllegalStateException("provider timed out");
      }
      return Map.of("id", "obj_" + UUID.randomUUID());
    }

    @PostMapping("/api/test-idempotency/status/{status}")
    ResponseEntity<Map<String, Object>> status(@PathVariable int status) {
      runs.incrementAndGet();
      return ResponseEntity.status(status).body(Map.of("status", status));
    }
  }

  @TestConfiguration
  @Import(CountingRoutes.class)
  static class Routes {}

  @LocalServerPort int port;

  @Autowired CountingRoutes routes;

  @Autowired JdbcClient jdbc;

  HttpTestClient http;
  String key;
  String callerA;
  String callerB;

  @BeforeEach
  void setUp() {
    http = new HttpTestClient(port);
    routes.runs.set(0);
    key = "key-" + UUID.randomUUID();
    // Callers no earlier run used: the H2 file database outlives the test JVM.
    callerA = "key_a" + UUID.randomUUID();
    callerB = "key_b" + UUID.randomUUID();
  }

  @Test
  void postWhenSameKeyAndBodyThenReplaysIdenticalResponseAndHandlerRanOnce() {
    HttpResponse<String> first = post("/api/test-idempotency/create", "{\"n\":1}", callerA, key);
    HttpResponse<String> second = post("/api/test-idempotency/create", "{\"n\":1}", callerA, key);

    assertThat(first.statusCode()).isEqualTo(201);
    assertThat(first.headers().firstValue(IdempotencyFilter.REPLAYED_HEADER)).isEmpty();
    assertThat(second.statusCode()).isEqualTo(201);
    assertThat(second.body()).isEqualTo(first.body());
    assertThat(second.headers().firstValue("Content-Type"))
        .isEqualTo(first.headers().firstValue("Content-Type"));
    assertThat(second.headers().firstValue(IdempotencyFilter.REPLAYED_HEADER)).hasValue("true");
    assertThat(routes.runs).hasValue(1);
  }

  @Test
  void postWhenSameKeyDifferentBodyThen422AndHandlerDidNotRun() {
    HttpResponse<String> first = post("/api/test-idempotency/create", "{\"n\":1}", callerA, key);

    HttpResponse<String> reused = post("/api/test-idempotency/create", "{\"n\":2}", callerA, key);
    HttpResponse<String> otherPath =
        post("/api/test-idempotency/status/201", "{\"n\":1}", callerA, key);

    ErrorShape.assertErrorShape(reused, 422, "idempotency_key_reused");
    ErrorShape.assertErrorShape(otherPath, 422, "idempotency_key_reused");
    assertThat(routes.runs).hasValue(1);
    assertThat(post("/api/test-idempotency/create", "{\"n\":1}", callerA, key).body())
        .isEqualTo(first.body());
  }

  @Test
  void postWhenFirstRequestStillRunningThen409AndLaterReplay() throws Exception {
    routes.entered = new CountDownLatch(1);
    routes.finish = new CountDownLatch(1);
    CompletableFuture<HttpResponse<String>> first =
        CompletableFuture.supplyAsync(() -> post("/api/test-idempotency/slow", "{}", callerA, key));
    assertThat(routes.entered.await(10, TimeUnit.SECONDS)).isTrue();

    HttpResponse<String> concurrent = post("/api/test-idempotency/slow", "{}", callerA, key);
    routes.finish.countDown();
    HttpResponse<String> firstResponse = first.get(10, TimeUnit.SECONDS);
    HttpResponse<String> after = post("/api/test-idempotency/slow", "{}", callerA, key);

    ErrorShape.assertErrorShape(concurrent, 409, "idempotency_request_in_flight");
    assertThat(concurrent.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(firstResponse.statusCode()).isEqualTo(200);
    assertThat(after.body()).isEqualTo(firstResponse.body());
    assertThat(routes.runs).hasValue(1);
  }

  @Test
  void postWhenHandlerFailsWith500ThenNothingStoredAndRetryRunsHandler() {
    routes.failuresLeft.set(1);

    HttpResponse<String> failed = post("/api/test-idempotency/flaky", "{}", callerA, key);
    int rowsAfterFailure = rows(callerA);
    HttpResponse<String> retried = post("/api/test-idempotency/flaky", "{}", callerA, key);
    HttpResponse<String> replayed = post("/api/test-idempotency/flaky", "{}", callerA, key);

    ErrorShape.assertErrorShape(failed, 500, "internal_error");
    assertThat(rowsAfterFailure).isZero();
    assertThat(retried.statusCode()).isEqualTo(200);
    assertThat(retried.headers().firstValue(IdempotencyFilter.REPLAYED_HEADER)).isEmpty();
    assertThat(replayed.body()).isEqualTo(retried.body());
    assertThat(routes.runs).hasValue(2);
  }

  @ParameterizedTest
  @ValueSource(ints = {401, 403, 409, 429, 503})
  void postWhenAnswerIsRetryableThenKeyIsReleased(int status) {
    String caller = callerA + "_" + status;
    post("/api/test-idempotency/status/" + status, "{}", caller, key);
    HttpResponse<String> again = post("/api/test-idempotency/status/" + status, "{}", caller, key);

    assertThat(again.headers().firstValue(IdempotencyFilter.REPLAYED_HEADER)).isEmpty();
    assertThat(routes.runs).hasValue(2);
    assertThat(rows(caller)).isZero();
  }

  @ParameterizedTest
  @ValueSource(ints = {200, 400, 404, 422})
  void postWhenAnswerIsFinalThenItIsReplayed(int status) {
    String caller = callerA + "_" + status;
    post("/api/test-idempotency/status/" + status, "{}", caller, key);
    HttpResponse<String> again = post("/api/test-idempotency/status/" + status, "{}", caller, key);

    assertThat(again.statusCode()).isEqualTo(status);
    assertThat(again.headers().firstValue(IdempotencyFilter.REPLAYED_HEADER)).hasValue("true");
    assertThat(routes.runs).hasValue(1);
  }

  @ParameterizedTest
  @MethodSource("invalidKeys")
  void postWhenKeyHeaderInvalidThen400AndNothingRunsOrIsStored(String badKey) {
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(URI.create(http.base() + "/api/test-idempotency/create"))
                .header("Content-Type", "application/json")
                .header(HeaderCallerFilter.HEADER, callerA)
                .header(IdempotencyFilter.HEADER, badKey)
                .POST(HttpRequest.BodyPublishers.ofString("{}")));

    ErrorShape.assertErrorShape(response, 400, "invalid_idempotency_key");
    assertThat(routes.runs).hasValue(0);
    assertThat(rows(callerA)).isZero();
  }

  static List<String> invalidKeys() {
    return List.of("", "   ", "x".repeat(256), "tab\tinside");
  }

  @Test
  void postWhenKeyHeaderHasNonAsciiBytesThen400() throws Exception {
    // The JDK client replaces non-ASCII header characters, so send UTF-8 bytes over a plain socket.
    byte[] head =
        ("POST /api/test-idempotency/create HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                + "Content-Type: application/json\r\nContent-Length: 2\r\n"
                + HeaderCallerFilter.HEADER
                + ": "
                + callerA
                + "\r\n"
                + IdempotencyFilter.HEADER
                + ": caf")
            .getBytes(StandardCharsets.US_ASCII);
    String answer;
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(head);
      out.write("\u00e9\r\n\r\n{}".getBytes(StandardCharsets.UTF_8));
      out.flush();
      answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    assertThat(answer).startsWith("HTTP/1.1 400").contains("\"code\":\"invalid_idempotency_key\"");
    assertThat(routes.runs).hasValue(0);
    assertThat(rows(callerA)).isZero();
  }

  @Test
  void postWhenKeyHeaderRepeatedThen400() {
    HttpResponse<String> response =
        http.post(
            "/api/test-idempotency/create",
            "{}",
            HeaderCallerFilter.HEADER,
            callerA,
            IdempotencyFilter.HEADER,
            "k1",
            IdempotencyFilter.HEADER,
            "k2");

    ErrorShape.assertErrorShape(response, 400, "invalid_idempotency_key");
    assertThat(routes.runs).hasValue(0);
    assertThat(rows(callerA)).isZero();
  }

  @Test
  void postWhenCallersShareAKeyThenEachGetsOwnResult() {
    HttpResponse<String> a = post("/api/test-idempotency/create", "{\"who\":\"a\"}", callerA, key);
    HttpResponse<String> b = post("/api/test-idempotency/create", "{\"who\":\"b\"}", callerB, key);

    assertThat(a.statusCode()).isEqualTo(201);
    assertThat(b.statusCode()).isEqualTo(201);
    assertThat(post("/api/test-idempotency/create", "{\"who\":\"a\"}", callerA, key).body())
        .isEqualTo(a.body());
    assertThat(post("/api/test-idempotency/create", "{\"who\":\"b\"}", callerB, key).body())
        .isEqualTo(b.body());
    assertThat(routes.runs).hasValue(2);
  }

  @Test
  void postWithoutKeyThenRunsEveryTime() {
    http.post("/api/test-idempotency/create", "{}", HeaderCallerFilter.HEADER, callerA);
    http.post("/api/test-idempotency/create", "{}", HeaderCallerFilter.HEADER, callerA);

    assertThat(routes.runs).hasValue(2);
  }

  private HttpResponse<String> post(
      String path, String body, String caller, String idempotencyKey) {
    return http.post(
        path, body, HeaderCallerFilter.HEADER, caller, IdempotencyFilter.HEADER, idempotencyKey);
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    return http.send(request);
  }

  private int rows(String caller) {
    return jdbc.sql("SELECT COUNT(*) FROM idempotency_keys WHERE caller_id = ?")
        .param(caller)
        .query(Integer.class)
        .single();
  }
}
