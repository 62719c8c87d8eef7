package dev.switchboard.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.switchboard.platform.db.GroupCommits;
import dev.switchboard.testing.PostgresTestDatabase;
import java.time.Instant;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import tools.jackson.databind.json.JsonMapper;

/**
 * What analytics' periodic reads (health checks, the dashboard) read on the machine's PostgreSQL,
 * also with the plan PostgreSQL may make while a table is small and keep for the pooled connection
 * (a server-prepared statement's generic plan after its fifth run, made certain here): each reads
 * about what it counts, not every row kept.
 */
class AnalyticsReadPlansPostgresIT {

  HikariDataSource one;
  JdbcClient jdbc;

  @BeforeEach
  void freshSchema() {
    String jdbcUrl = PostgresTestDatabase.freshJdbcUrl();
    Flyway.configure()
        .dataSource(jdbcUrl, PostgresTestDatabase.USER, "")
        .locations("classpath:db/migration")
        .load()
        .migrate();
    one = new HikariDataSource();
    one.setJdbcUrl(jdbcUrl);
    one.setUsername(PostgresTestDatabase.USER);
    one.setMaximumPoolSize(1);
    one.setConnectionInitSql("SET plan_cache_mode = force_generic_plan");
    jdbc = JdbcClient.create(one);
  }

  @AfterEach
  void close() {
    one.close();
  }

  /**
   * A destination's backlog is counted from its cursor through the primary key: asked as a
   * one-sided {@code id > ?}, the generic plan read every stored event (here 3,000 to count 10), on
   * every health check of the destination.
   */
  @Test
  void pendingWhenPlannedWithoutItsValueThenItReadsOnlyTheBacklog() {
    JdbcForwardingStore store = new JdbcForwardingStore(jdbc);
    assertThat(store.pending(0)).isZero();
    jdbc.sql(
            "INSERT INTO analytics_events (source, message_id, type, event, occurred_at,"
                + " received_at, payload) SELECT 'wk_test', 'm-' || n, 'track', 'page_viewed',"
                + " now(), now(), '{}' FROM generate_series(1, 3000) n")
        .update();
    long last = jdbc.sql("SELECT MAX(id) FROM analytics_events").query(Long.class).single();

    long before = PostgresTestDatabase.rowsRead(jdbc, "analytics_events");
    long pending = store.pending(last - 10);
    long read = PostgresTestDatabase.rowsRead(jdbc, "analytics_events") - before;
    System.out.printf("a backlog of 10 among 3,000 stored events: %d rows read%n", read);

    assertThat(pending).isEqualTo(10);
    assertThat(read).isLessThanOrEqualTo(20);
    assertThat(store.pending(0)).isEqualTo(3_000);
  }

  /**
   * The ingest box's "events today" reads the day's hourly counts through the hour index: with only
   * the primary key (event, hour_start, stripe), or asked as a one-sided {@code hour_start >= ?},
   * it read every hour kept (here 20 events over 1,000 hours, 20,000 rows to add up 480).
   */
  @Test
  void countSinceWhenPlannedWithoutItsValueThenItReadsOnlyTheHoursAsked() {
    JdbcAnalyticsEventStore store =
        new JdbcAnalyticsEventStore(
            one,
            GroupCommits.of(new DataSourceTransactionManager(one)),
            JsonMapper.builder().build());
    Instant lastHour = Instant.parse("2026-12-04T23:00:00Z");
    jdbc.sql(
            "INSERT INTO analytics_hourly (event, hour_start, stripe, events) SELECT 'event-' || e,"
                + " ?::timestamptz - make_interval(hours => h), 0, 2 FROM generate_series(0, 19) e,"
                + " generate_series(0, 999) h")
        .param(java.time.OffsetDateTime.ofInstant(lastHour, java.time.ZoneOffset.UTC))
        .update();

    long before = PostgresTestDatabase.rowsRead(jdbc, "analytics_hourly");
    long today = store.countSince(Instant.parse("2026-12-04T00:00:00Z"));
    long read = PostgresTestDatabase.rowsRead(jdbc, "analytics_hourly") - before;
    System.out.printf("a day's counts among 1,000 hours of 20 events: %d rows read%n", read);

    assertThat(today).isEqualTo(24 * 20 * 2);
    assertThat(read).isLessThanOrEqualTo(24 * 20 + 20);
    assertThat(store.countSince(Instant.parse("2026-12-04T23:30:00Z"))).isEqualTo(20 * 2);
    assertThat(store.countSince(Instant.parse("2026-12-05T00:00:00Z"))).isZero();
  }
}
