package dev.switchboard.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.switchboard.platform.config.DatabaseConfig;
import dev.switchboard.platform.config.SwitchboardConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.simple.JdbcClient;

/** What every database must do for idempotency keys; one subclass per database. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class JdbcIdempotencyStoreContract {

  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  static final StoredResponse CREATED =
      new StoredResponse(
          201, "application/json", "{\"id\":\"obj_1\"}".getBytes(StandardCharsets.UTF_8));

  HikariDataSource dataSource;
  JdbcClient jdbc;
  JdbcIdempotencyStore store;

  /** The variables that point the configuration at this database. */
  abstract Map<String, String> environment();

  @BeforeAll
  void migrate() {
    DatabaseConfig db = SwitchboardConfig.load(environment()::get).core().database();
    dataSource = new HikariDataSource();
    dataSource.setJdbcUrl(db.jdbcUrl());
    if (!db.username().isEmpty()) {
      dataSource.setUsername(db.username());
    }
    dataSource.setMaximumPoolSize(12);
    Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
    jdbc = JdbcClient.create(dataSource);
    store = new JdbcIdempotencyStore(jdbc);
  }

  @AfterAll
  void close() {
    dataSource.close();
  }

  @Test
  void claimWhenKeyIsNewThenStarted() {
    assertThat(store.claim("c1", "new", "h", T0)).isInstanceOf(IdempotencyClaim.Started.class);
  }

  @Test
  void claimWhenCompletedWithSameHashThenReplaysStoredResponse() {
    var started = (IdempotencyClaim.Started) store.claim("c1", "done", "h", T0);
    assertThat(store.complete("c1", "done", started.token(), CREATED, T0.plusSeconds(1))).isTrue();

    IdempotencyClaim again = store.claim("c1", "done", "h", T0.plus(Duration.ofHours(23)));

    assertThat(again).isInstanceOf(IdempotencyClaim.Replay.class);
    StoredResponse replayed = ((IdempotencyClaim.Replay) again).response();
    assertThat(replayed.status()).isEqualTo(201);
    assertThat(replayed.contentType()).isEqualTo("application/json");
    assertThat(replayed.body()).isEqualTo(CREATED.body());
  }

  @Test
  void claimWhenHashDiffersThenMismatchAndRowUnchanged() {
    var started = (IdempotencyClaim.Started) store.claim("c1", "reused", "h1", T0);
    assertThat(store.claim("c1", "reused", "h2", T0)).isInstanceOf(IdempotencyClaim.Mismatch.class);
    store.complete("c1", "reused", started.token(), CREATED, T0);

    assertThat(store.claim("c1", "reused", "h2", T0)).isInstanceOf(IdempotencyClaim.Mismatch.class);
    assertThat(store.claim("c1", "reused", "h1", T0)).isInstanceOf(IdempotencyClaim.Replay.class);
  }

  @Test
  void claimWhenStillRunningThenInFlight() {
    store.claim("c1", "running", "h", T0);

    assertThat(store.claim("c1", "running", "h", T0.plusSeconds(59)))
        .isInstanceOf(IdempotencyClaim.InFlight.class);
  }

  @Test
  void claimWhenRunningForOverAMinuteThenTakenOverAndFirstOwnerCannotComplete() {
    var first = (IdempotencyClaim.Started) store.claim("c1", "crashed", "h", T0);

    IdempotencyClaim second =
        store.claim("c1", "crashed", "h", T0.plus(IdempotencyStore.IN_FLIGHT_EXPIRY));

    assertThat(second).isInstanceOf(IdempotencyClaim.Started.class);
    assertThat(store.complete("c1", "crashed", first.token(), CREATED, T0)).isFalse();
    store.release("c1", "crashed", first.token());
    assertThat(store.claim("c1", "crashed", "h", T0.plusSeconds(61)))
        .isInstanceOf(IdempotencyClaim.InFlight.class);
  }

  @Test
  void claimWhenRenewedThenStillInFlightPastTheFirstLease() {
    var running = (IdempotencyClaim.Started) store.claim("c1", "long", "h", T0);

    assertThat(store.renew(List.of(running.token()), T0.plusSeconds(45))).isEqualTo(1);

    assertThat(store.claim("c1", "long", "h", T0.plusSeconds(90)))
        .isInstanceOf(IdempotencyClaim.InFlight.class);
    assertThat(store.complete("c1", "long", running.token(), CREATED, T0.plusSeconds(100)))
        .isTrue();
  }

  @Test
  void claimWhenRenewalsStopThenFreeOneLeaseAfterTheLastRenewal() {
    var crashed = (IdempotencyClaim.Started) store.claim("c1", "stopped", "h", T0);
    store.renew(List.of(crashed.token()), T0.plusSeconds(30));

    assertThat(store.claim("c1", "stopped", "h", T0.plusSeconds(89)))
        .isInstanceOf(IdempotencyClaim.InFlight.class);
    var next =
        store.claim(
            "c1", "stopped", "h", T0.plusSeconds(30).plus(IdempotencyStore.IN_FLIGHT_EXPIRY));

    assertThat(next).isInstanceOf(IdempotencyClaim.Started.class);
    assertThat(store.renew(List.of(crashed.token()), T0.plusSeconds(91))).isZero();
    // The new owner's lease starts at its own claim, not at the old heartbeat.
    assertThat(store.claim("c1", "stopped", "h", T0.plusSeconds(120)))
        .isInstanceOf(IdempotencyClaim.InFlight.class);
  }

  @Test
  void renewWhenSeveralTokensThenOnlyThoseRunningClaimsAreRenewed() {
    var first = (IdempotencyClaim.Started) store.claim("c1", "many-1", "h", T0);
    var second = (IdempotencyClaim.Started) store.claim("c2", "many-2", "h", T0);
    store.claim("c1", "many-3", "h", T0);
    var done = (IdempotencyClaim.Started) store.claim("c1", "many-4", "h", T0);
    store.complete("c1", "many-4", done.token(), CREATED, T0);

    assertThat(
            store.renew(
                List.of(first.token(), second.token(), done.token(), "unknown"),
                T0.plusSeconds(45)))
        .isEqualTo(2);

    assertThat(store.claim("c1", "many-1", "h", T0.plusSeconds(90)))
        .isInstanceOf(IdempotencyClaim.InFlight.class);
    assertThat(store.claim("c2", "many-2", "h", T0.plusSeconds(90)))
        .isInstanceOf(IdempotencyClaim.InFlight.class);
    assertThat(store.claim("c1", "many-3", "h", T0.plusSeconds(90)))
        .isInstanceOf(IdempotencyClaim.Started.class);
    assertThat(store.renew(List.of(), T0.plusSeconds(90))).isZero();
  }

  @Test
  void renewWhenCompletedThenFalseAndStoredResponseKept() {
    var started = (IdempotencyClaim.Started) store.claim("c1", "finished", "h", T0);
    store.complete("c1", "finished", started.token(), CREATED, T0.plusSeconds(1));

    assertThat(store.renew(List.of(started.token()), T0.plusSeconds(2))).isZero();
    assertThat(store.claim("c1", "finished", "h", T0.plusSeconds(3)))
        .isInstanceOf(IdempotencyClaim.Replay.class);
  }

  @Test
  void claimWhenKeyOlderThanRetentionThenStartsAfreshEvenWithOtherBody() {
    var started = (IdempotencyClaim.Started) store.claim("c1", "old", "h1", T0);
    store.complete("c1", "old", started.token(), CREATED, T0);

    assertThat(store.claim("c1", "old", "h2", T0.plus(IdempotencyStore.RETENTION)))
        .isInstanceOf(IdempotencyClaim.Started.class);
  }

  @Test
  void releaseThenNextClaimStarts() {
    var started = (IdempotencyClaim.Started) store.claim("c1", "released", "h1", T0);
    store.release("c1", "released", started.token());

    assertThat(store.claim("c1", "released", "h2", T0))
        .isInstanceOf(IdempotencyClaim.Started.class);
  }

  @Test
  void claimWhenCallersDifferThenKeysDoNotCollide() {
    store.claim("caller-a", "shared", "h1", T0);

    assertThat(store.claim("caller-b", "shared", "h2", T0))
        .isInstanceOf(IdempotencyClaim.Started.class);
  }

  @Test
  void claimWhenManyRaceOnOneKeyThenExactlyOneStarts() throws Exception {
    int racers = 10;
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(racers);
    try {
      List<Future<IdempotencyClaim>> claims = new ArrayList<>();
      for (int i = 0; i < racers; i++) {
        Callable<IdempotencyClaim> claim =
            () -> {
              go.await();
              return store.claim("c1", "raced", "h", T0);
            };
        claims.add(pool.submit(claim));
      }
      go.countDown();
      int started = 0;
      for (Future<IdempotencyClaim> claim : claims) {
        IdempotencyClaim result = claim.get();
        started += result instanceof IdempotencyClaim.Started ? 1 : 0;
        assertThat(result)
            .isInstanceOfAny(IdempotencyClaim.Started.class, IdempotencyClaim.InFlight.class);
      }
      assertThat(started).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void deleteCreatedBeforeThenRemovesOnlyOlderKeys() {
    store.claim("cleanup", "old", "h", T0.minus(Duration.ofDays(2)));
    store.claim("cleanup", "young", "h", T0);

    store.deleteCreatedBefore(T0.minus(Duration.ofDays(1)));

    List<String> left =
        jdbc.sql("SELECT idempotency_key FROM idempotency_keys WHERE caller_id = 'cleanup'")
            .query(String.class)
            .list();
    assertThat(left).containsExactly("young");
  }
}
