package dev.switchboard.payments;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.switchboard.platform.config.SwitchboardConfig;
import dev.switchboard.testing.PostgresTestDatabase;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/** What the payment store reads on the machine's PostgreSQL (a fresh schema). */
class JdbcPaymentStorePostgresIT {

  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  /**
   * A group's events are read by their keys, also with the plan PostgreSQL made while the table was
   * small and kept for the pooled connection (a server-prepared statement's generic plan): written
   * as {@code provider = ? AND event_id IN (…)}, that plan took only the provider as the index
   * condition and read every event of the provider (here 3,000 for a group of 8).
   */
  @Test
  void eventsWhenPlannedOnASmallTableThenAGroupReadsOnlyItsOwnKeys() {
    String url = PostgresTestDatabase.freshUrl();
    String jdbcUrl = "jdbc:postgresql://" + url.substring(url.indexOf('@') + 1);
    try (HikariDataSource one = new HikariDataSource()) {
      one.setJdbcUrl(jdbcUrl);
      one.setUsername(PostgresTestDatabase.USER);
      one.setMaximumPoolSize(1);
      // What PostgreSQL may choose for a server-prepared statement after its fifth run, made
      // certain here.
      one.setConnectionInitSql("SET plan_cache_mode = force_generic_plan");
      Flyway.configure()
          .dataSource(jdbcUrl, PostgresTestDatabase.USER, "")
          .locations("classpath:db/migration")
          .load()
          .migrate();
      Map<String, String> env = new HashMap<>();
      env.put("DATABASE_URL", url);
      env.put("AUTH_OAUTH_PROVIDERS", "none");
      JdbcClient jdbc = JdbcClient.create(one);
      JdbcPaymentStore store =
          new JdbcPaymentStore(jdbc, new JdbcTemplate(one), SwitchboardConfig.load(env::get));
      store.insertEvents(events(0, 20), T0);
      List<String> group = IntStream.range(0, 8).mapToObj(n -> "evt_" + n).toList();
      for (int i = 0; i < 8; i++) {
        assertThat(store.events("stripe", group)).hasSize(8);
      }
      for (int from = 20; from < 3_000; from += 500) {
        store.insertEvents(events(from, Math.min(from + 500, 3_000)), T0);
      }

      long before = indexEntriesRead(jdbc);
      Map<String, StoredEvent> found = store.events("stripe", group);
      long read = indexEntriesRead(jdbc) - before;
      System.out.printf("a group of 8 events among 3,000: %d index entries read%n", read);

      assertThat(found).containsOnlyKeys(group);
      assertThat(found.get("evt_3").payload()).isEqualTo("{\"id\":\"evt_3\"}");
      assertThat(read).isLessThanOrEqualTo(16);
    }
  }

  private static List<IncomingEvent> events(int from, int to) {
    return IntStream.range(from, to)
        .mapToObj(
            n ->
                new IncomingEvent(
                    new ReceivedEvent(
                        "stripe", "evt_" + n, "invoice.paid", T0, "{\"id\":\"evt_" + n + "\"}"),
                    Optional.empty()))
        .toList();
  }

  /** Index entries of {@code payment_events} read on this connection so far (flushed first). */
  private static long indexEntriesRead(JdbcClient connection) {
    connection.sql("SELECT pg_stat_force_next_flush()").query(String.class).single();
    return connection
        .sql(
            "SELECT COALESCE(SUM(idx_tup_read), 0) FROM pg_stat_user_indexes"
                + " WHERE relname = 'payment_events' AND schemaname = current_schema()")
        .query(Long.class)
        .single();
  }
}
