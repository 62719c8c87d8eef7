package dev.switchboard.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.switchboard.platform.config.DatabaseConfig;
import dev.switchboard.platform.config.SwitchboardConfig;
import dev.switchboard.platform.integrations.HealthResult;
import dev.switchboard.platform.integrations.HealthStatus;
import dev.switchboard.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A destination's box on H2: backlog as detail, degraded while failing, down after 15 minutes or a
 * refused key.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ForwardingHealthCheckIT {

  static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");

  HikariDataSource dataSource;
  JdbcForwardingStore store;
  ManualClock clock;
  ForwardingHealthCheck check;

  @BeforeAll
  void migrate() {
    DatabaseConfig db =
        SwitchboardConfig.load(
                Map.of(
                        "SWITCHBOARD_DATA_DIR",
                        "target/it-data/forwarding-health-" + UUID.randomUUID())
                    ::get)
            .core()
            .database();
    dataSource = new HikariDataSource();
    dataSource.setJdbcUrl(db.jdbcUrl());
    Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
    store = new JdbcForwardingStore(JdbcClient.create(dataSource));
  }

  @AfterAll
  void close() {
    dataSource.close();
  }

  @BeforeEach
  void setUp() {
    JdbcClient.create(dataSource).sql("DELETE FROM analytics_destinations").update();
    clock = new ManualClock(T0);
    check = new ForwardingHealthCheck("segment", store, clock);
  }

  @Test
  void checkWhenNoRowYetThenUpNotStarted() {
    assertThat(check.check()).isEqualTo(HealthResult.up("not started yet"));
  }

  @Test
  void checkWhenBatchesAcceptedThenUpWithBacklog() {
    store.ensure("segment", 0, T0);
    assertThat(store.lease("segment", "a", T0.plusSeconds(60), T0)).isTrue();
    assertThat(store.advance("segment", "a", 7, 5, 1, 1, true, T0, T0.plusSeconds(60))).isTrue();

    assertThat(check.check())
        .isEqualTo(HealthResult.up("pending 0, forwarded 5, failed 1, skipped 1"));
  }

  @Test
  void checkWhenFailingThenDegradedAndDownAfterFifteenMinutes() {
    store.ensure("segment", 0, T0);
    store.lease("segment", "a", T0.plusSeconds(60), T0);
    store.failure("segment", "a", "Segment answered HTTP 503", T0);

    HealthResult failing = check.check();
    assertThat(failing.status()).isEqualTo(HealthStatus.DEGRADED);
    assertThat(failing.detail()).contains("retrying: Segment answered HTTP 503");

    clock.advance(Duration.ofMinutes(16));
    assertThat(check.check().status()).isEqualTo(HealthStatus.DOWN);
  }

  @Test
  void checkWhenKeyRefusedThenDownAtOnce() {
    store.ensure("segment", 0, T0);
    store.lease("segment", "a", T0.plusSeconds(60), T0);
    store.failure("segment", "a", "Segment answered HTTP 401", T0);

    assertThat(check.check().status()).isEqualTo(HealthStatus.DOWN);
  }

  @Test
  void leaseWhenHeldByAnotherInstanceThenRefusedUntilItExpires() {
    store.ensure("segment", 0, T0);
    assertThat(store.lease("segment", "a", T0.plusSeconds(60), T0)).isTrue();
    assertThat(store.lease("segment", "b", T0.plusSeconds(70), T0.plusSeconds(10))).isFalse();
    assertThat(store.advance("segment", "b", 3, 3, 0, 0, true, T0, T0)).isFalse();
    assertThat(store.lease("segment", "b", T0.plusSeconds(130), T0.plusSeconds(61))).isTrue();
    assertThat(store.advance("segment", "a", 3, 3, 0, 0, true, T0, T0)).isFalse();
  }
}
