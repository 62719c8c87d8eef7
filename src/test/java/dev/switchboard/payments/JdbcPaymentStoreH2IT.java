package dev.switchboard.payments;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.switchboard.platform.config.SwitchboardConfig;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/** What the payment store reads on H2, the application's embedded database. */
class JdbcPaymentStoreH2IT {

  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  @TempDir Path dir;

  /**
   * A group's events are read with one statement, one key lookup per id: a lookup statement per
   * event was 4.5 % of the CPU of a webhook burst on H2, and {@code provider = ? AND event_id IN
   * (…)} walks the provider's whole range of the key there.
   */
  @Test
  void eventsWhenAGroupIsReadThenOneStatementLooksUpOnlyItsKeys() {
    SwitchboardConfig config = config();
    try (HikariDataSource one = memoryDatabase()) {
      Flyway.configure().dataSource(one).locations("classpath:db/migration").load().migrate();
      JdbcClient jdbc = JdbcClient.create(one);
      JdbcPaymentStore store = new JdbcPaymentStore(jdbc, new JdbcTemplate(one), config);
      for (int from = 0; from < 3_000; from += 500) {
        store.insertEvents(events(from, from + 500), T0);
      }
      List<String> group = IntStream.range(0, 8).mapToObj(n -> "evt_" + n * 300).toList();
      jdbc.sql("SET QUERY_STATISTICS TRUE").update();

      Map<String, StoredEvent> found = store.events("stripe", group);

      assertThat(found).containsOnlyKeys(group);
      assertThat(found.get("evt_900").payload()).isEqualTo("{\"id\":\"evt_900\"}");
      assertThat(found.get("evt_900").type()).isEqualTo("invoice.paid");
      assertThat(
              jdbc.sql(
                      "SELECT COALESCE(SUM(execution_count), 0) FROM information_schema.query_statistics"
                          + " WHERE LOWER(sql_statement) LIKE '%from%payment_events%'"
                          + " AND LOWER(sql_statement) NOT LIKE '%query_statistics%'")
                  .query(Long.class)
                  .single())
          .isEqualTo(1);
      String plan =
          jdbc.sql("EXPLAIN ANALYZE " + JdbcPaymentStore.EVENTS_BY_KEY_H2)
              .params(group.toArray(String[]::new), "stripe")
              .query(String.class)
              .single();
      // The ids drive the join and each finds its row by the key: no part reads thousands.
      List<Integer> scans =
          java.util.regex.Pattern.compile("scanCount: (\\d+)")
              .matcher(plan)
              .results()
              .map(m -> Integer.parseInt(m.group(1)))
              .toList();
      assertThat(scans).isNotEmpty().allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(16));
    }
  }

  /**
   * Events already {@code unmatched} when V95 runs still wait for their customer after it, and
   * marked again they no longer do: the waiting events are found through {@code
   * unmatched_customer}, which a processed event leaves NULL (so its mark changes no index entry).
   */
  @Test
  void unmatchedEventsWhenTheyWaitedBeforeTheMigrationThenFoundByCustomerUntilMarkedAgain() {
    SwitchboardConfig config = config();
    try (HikariDataSource one = memoryDatabase()) {
      Flyway.configure()
          .dataSource(one)
          .locations("classpath:db/migration")
          .target("93")
          .load()
          .migrate();
      JdbcClient jdbc = JdbcClient.create(one);
      PaymentTesting.eventsStoredBeforeV95(jdbc);
      Flyway.configure().dataSource(one).locations("classpath:db/migration").load().migrate();
      JdbcPaymentStore store = new JdbcPaymentStore(jdbc, new JdbcTemplate(one), config);

      assertThat(store.unmatchedEvents("stripe", "cus_a")).containsExactly("evt_w");
      assertThat(store.unmatchedEvents("paypal", "cus_a")).isEmpty();

      store.insertEvents(
          List.of(
              new IncomingEvent(
                  new ReceivedEvent("stripe", "evt_n1", "invoice.paid", T0, "{}"),
                  Optional.of("cus_b")),
              new IncomingEvent(
                  new ReceivedEvent("stripe", "evt_n2", "invoice.paid", T0, "{}"),
                  Optional.of("cus_b"))),
          T0);
      store.markEvents(
          List.of(
              new PaymentStore.EventMark(
                  "stripe", "evt_n1", StoredEvent.UNMATCHED, "waits", Optional.empty()),
              new PaymentStore.EventMark(
                  "stripe", "evt_n2", StoredEvent.PROCESSED, "done", Optional.of("acct_1"))),
          T0);
      assertThat(store.unmatchedEvents("stripe", "cus_b"))
          .containsExactlyInAnyOrder("evt_o", "evt_n1");
      assertThat(
              jdbc.sql(
                      "SELECT COUNT(*) FROM payment_events WHERE event_id = 'evt_n2'"
                          + " AND unmatched_customer IS NULL")
                  .query(Long.class)
                  .single())
          .isOne();

      store.markEvent(
          "stripe", "evt_w", StoredEvent.PROCESSED, "released", Optional.of("acct_1"), T0);
      assertThat(store.markFailed("stripe", "evt_o", "error", T0)).isTrue();
      assertThat(store.unmatchedEvents("stripe", "cus_a")).isEmpty();
      assertThat(store.unmatchedEvents("stripe", "cus_b")).containsExactly("evt_n1");
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

  private SwitchboardConfig config() {
    Map<String, String> env = new HashMap<>();
    env.put("SWITCHBOARD_DATA_DIR", dir.toString());
    env.put("AUTH_OAUTH_PROVIDERS", "none");
    return SwitchboardConfig.load(env::get);
  }

  /** A new in-memory H2 database with the application's compatibility options, not migrated. */
  private static HikariDataSource memoryDatabase() {
    HikariDataSource one = new HikariDataSource();
    one.setJdbcUrl(
        "jdbc:h2:mem:payments_"
            + UUID.randomUUID().toString().replace("-", "")
            + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1");
    one.setUsername("sa");
    one.setMaximumPoolSize(2);
    return one;
  }
}
