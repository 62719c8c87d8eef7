package dev.switchboard.platform.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.switchboard.platform.config.DatabaseConfig;
import dev.switchboard.platform.config.SecretScrubber;
import dev.switchboard.platform.config.SwitchboardConfig;
import dev.switchboard.testing.Eventually;
import dev.switchboard.testing.ManualClock;
import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

/**
 * The filter, its heartbeat and the store on H2 with a clock the test moves: a request running past
 * the in-flight lease keeps its key while the heartbeat renews it, and a claim nobody renews frees
 * itself after one lease.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IdempotencyLeaseIT {

  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  HikariDataSource dataSource;
  JdbcIdempotencyStore store;
  ManualClock clock;
  IdempotencyHeartbeat heartbeat;
  IdempotencyFilter filter;
  String key;

  @BeforeAll
  void migrate() {
    DatabaseConfig db =
        SwitchboardConfig.load(
                Map.of(
                        "SWITCHBOARD_DATA_DIR",
                        "target/it-data/idempotency-lease-" + UUID.randomUUID())
                    ::get)
            .core()
            .database();
    dataSource = new HikariDataSource();
    dataSource.setJdbcUrl(db.jdbcUrl());
    Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
    store = new JdbcIdempotencyStore(JdbcClient.create(dataSource));
  }

  @AfterAll
  void close() {
    dataSource.close();
  }

  @BeforeEach
  void setUp() {
    clock = new ManualClock(T0);
    heartbeat = new IdempotencyHeartbeat(store, clock);
    filter =
        new IdempotencyFilter(
            store,
            new ErrorResponses(
                JsonMapper.builder().build(), List.of(), SecretScrubber.of(List.of())),
            clock,
            heartbeat);
    key = "key-" + UUID.randomUUID();
  }

  @Test
  void retryWhenFirstRequestRunsPastTheLeaseWithHeartbeatsThen409AndHandlerRanOnce()
      throws Exception {
    AtomicInteger runs = new AtomicInteger();
    MockHttpServletResponse[] retry = new MockHttpServletResponse[1];
    FilterChain longRequest =
        (req, res) -> {
          runs.incrementAndGet();
          for (int beat = 0; beat < 6; beat++) {
            clock.advance(Duration.ofSeconds(15));
            heartbeat.renew();
          }
          clock.advance(Duration.ofSeconds(10)); // 100 s in: well past the first lease
          retry[0] = send((r, s) -> runs.incrementAndGet());
          res.setContentType("application/json");
          res.getOutputStream().write("{\"id\":\"obj_1\"}".getBytes(StandardCharsets.UTF_8));
        };

    MockHttpServletResponse first = send(longRequest);

    assertThat(retry[0].getStatus()).isEqualTo(409);
    assertThat(retry[0].getContentAsString()).contains("idempotency_request_in_flight");
    assertThat(first.getStatus()).isEqualTo(200);
    assertThat(runs).hasValue(1);
    MockHttpServletResponse after = send((r, s) -> runs.incrementAndGet());
    assertThat(after.getHeader(IdempotencyFilter.REPLAYED_HEADER)).isEqualTo("true");
    assertThat(runs).hasValue(1);
  }

  @Test
  void retryWhenClaimIsNotRenewedThenFreeAfterOneLease() throws Exception {
    // A claim taken by an instance that then died: nothing renews it.
    store.claim(
        Caller.orAnonymous(request()).id(),
        key,
        IdempotencyFilter.hash(request(), new byte[0]),
        T0);
    // This instance runs another request, so the beat below does write: it must touch that claim
    // only.
    var running = (IdempotencyClaim.Started) store.claim("someone", "other-" + key, "h", T0);
    heartbeat.hold(running.token());
    clock.advance(Duration.ofSeconds(30));
    assertThat(heartbeat.renew()).isEqualTo(1);

    clock.advance(IdempotencyStore.IN_FLIGHT_EXPIRY.minusSeconds(31));
    MockHttpServletResponse early = send(CREATED);
    clock.advance(Duration.ofSeconds(1));
    MockHttpServletResponse afterLease = send(CREATED);

    assertThat(early.getStatus()).isEqualTo(409);
    assertThat(afterLease.getStatus()).isEqualTo(201);
  }

  @Test
  void renewWhenRequestFinishedThenItsClaimIsNoLongerHeld() throws Exception {
    Set<String> heldDuring = new HashSet<>();
    send(
        (req, res) -> {
          heldDuring.addAll(heartbeat.held());
          ((HttpServletResponse) res).setStatus(201);
        });

    assertThat(heldDuring).hasSize(1);
    assertThat(heartbeat.held()).isEmpty();
    assertThat(heartbeat.renew()).isZero();
  }

  @Test
  void renewWhenRequestFailsThenItsClaimIsNoLongerHeld() {
    assertThatThrownBy(
            () ->
                send(
                    (req, res) -> {
                      throw new IllegalStateException("handler failed");
                    }))
        .isInstanceOf(IllegalStateException.class);

    assertThat(heartbeat.held()).isEmpty();
  }

  @Test
  void startWhenClaimsHeldThenRenewedOnTheHeartbeatsOwnThreadUntilStopped() throws Exception {
    var running = (IdempotencyClaim.Started) store.claim("someone", key, "h", T0);
    IdempotencyHeartbeat beating = new IdempotencyHeartbeat(store, clock, Duration.ofMillis(20));
    beating.hold(running.token());
    clock.advance(Duration.ofSeconds(50));

    beating.start();
    try {
      Eventually.await(
          "a beat renewed the claim",
          Duration.ofSeconds(10),
          () ->
              JdbcClient.create(dataSource)
                      .sql(
                          "SELECT COUNT(*) FROM idempotency_keys WHERE idempotency_key = ? AND heartbeat_at IS NOT NULL")
                      .param(key)
                      .query(Long.class)
                      .single()
                  == 1);
      assertThat(store.claim("someone", key, "h", T0.plusSeconds(100)))
          .isInstanceOf(IdempotencyClaim.InFlight.class);
      assertThat(beating.isRunning()).isTrue();
    } finally {
      beating.stop();
    }
    assertThat(beating.isRunning()).isFalse();
    Object lastBeat = heartbeatAt();
    clock.advance(Duration.ofSeconds(10));
    Thread.sleep(200); // ten beats' worth: none may come after stop
    assertThat(heartbeatAt()).isEqualTo(lastBeat);
  }

  private Object heartbeatAt() {
    return JdbcClient.create(dataSource)
        .sql("SELECT heartbeat_at FROM idempotency_keys WHERE idempotency_key = ?")
        .param(key)
        .query((rs, n) -> rs.getObject(1, java.time.OffsetDateTime.class))
        .single();
  }

  private static final FilterChain CREATED =
      (req, res) -> ((HttpServletResponse) res).setStatus(201);

  private MockHttpServletResponse send(FilterChain chain)
      throws java.io.IOException, jakarta.servlet.ServletException {
    MockHttpServletResponse response = new MockHttpServletResponse();
    filter.doFilter(request(), response, chain);
    return response;
  }

  private MockHttpServletRequest request() {
    MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/lease-test");
    request.addHeader(IdempotencyFilter.HEADER, key);
    return request;
  }
}
