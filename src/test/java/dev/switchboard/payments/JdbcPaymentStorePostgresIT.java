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
    // What PostgreSQL may choose for a server-prepared statement after its fifth run, made
    // certain here.
    try (HikariDataSource one = dataSource(true)) {
      JdbcClient jdbc = JdbcClient.create(one);
      JdbcPaymentStore store = store(one);
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

  /**
   * A group's events go in as one statement on PostgreSQL ({@link JdbcPaymentStore#INSERT_EVENTS});
   * its answer still says, per event in order, which were new: not an event stored before, and of
   * an id repeated in the group only the first.
   */
  @Test
  void insertEventsWhenAGroupHoldsARedeliveryAndARepeatThenEachIdIsNewOnce() {
    try (HikariDataSource one = dataSource(false)) {
      JdbcPaymentStore store = store(one);
      assertThat(store.insertEvents(events(0, 2), T0)).containsExactly(true, true);

      List<IncomingEvent> group =
          List.of(
              events(1, 2).get(0),
              events(2, 3).get(0),
              events(2, 3).get(0),
              events(3, 4).get(0),
              new IncomingEvent(
                  new ReceivedEvent("paypal", "evt_1", "invoice.paid", T0, "{}"),
                  Optional.of("cus_1")));

      assertThat(store.insertEvents(group, T0.plusSeconds(1)))
          .containsExactly(false, true, false, true, true);
      StoredEvent stored = store.event("stripe", "evt_2").orElseThrow();
      assertThat(stored.status()).isEqualTo(StoredEvent.RECEIVED);
      assertThat(stored.created()).isEqualTo(T0);
      assertThat(stored.receivedAt()).isEqualTo(T0.plusSeconds(1));
      assertThat(stored.payload()).isEqualTo("{\"id\":\"evt_2\"}");
      assertThat(store.event("stripe", "evt_1").orElseThrow().receivedAt()).isEqualTo(T0);
      assertThat(
              JdbcClient.create(one)
                  .sql("SELECT customer_id FROM payment_events WHERE provider = 'paypal'")
                  .query(String.class)
                  .single())
          .isEqualTo("cus_1");
    }
  }

  /**
   * A group's marks are one statement on PostgreSQL ({@link JdbcPaymentStore#MARK_EVENTS}), planned
   * for each run: kept as the server-prepared statement's generic plan, the plan made over the
   * first groups on a nearly empty table joined every later group to a sequential scan of the
   * table. Here the first groups are marked on 20 events, then the table grows to 20,000. (On a
   * table of a few thousand rows, planned for the values, the join may still read it whole: the
   * planner's choice, and cheap at that size.)
   */
  @Test
  void markEventsWhenTheTableGrewAfterTheFirstGroupsThenAGroupReadsOnlyItsOwnRows() {
    try (HikariDataSource one = dataSource(false)) {
      JdbcClient jdbc = JdbcClient.create(one);
      JdbcPaymentStore store = store(one);
      store.insertEvents(events(0, 20), T0);
      List<String> group = IntStream.range(0, 8).mapToObj(n -> "evt_" + n).toList();
      for (int i = 0; i < 12; i++) {
        store.markEvents(marks(group, StoredEvent.FAILED), T0);
      }
      for (int from = 20; from < 20_000; from += 1_000) {
        store.insertEvents(events(from, Math.min(from + 1_000, 20_000)), T0);
      }

      long before = PostgresTestDatabase.rowsRead(jdbc, "payment_events");
      store.markEvents(marks(group, StoredEvent.PROCESSED), T0.plusSeconds(1));
      long read = PostgresTestDatabase.rowsRead(jdbc, "payment_events") - before;
      System.out.printf("marking a group of 8 events among 20,000: %d rows read%n", read);

      StoredEvent marked = store.event("stripe", "evt_3").orElseThrow();
      assertThat(marked.status()).isEqualTo(StoredEvent.PROCESSED);
      assertThat(marked.attempts()).isEqualTo(13);
      assertThat(marked.accountId()).contains("acct_evt_3");
      assertThat(store.event("stripe", "evt_8").orElseThrow().attempts()).isZero();
      assertThat(read).isLessThanOrEqualTo(16);
    }
  }

  /**
   * Marking an event that never waited for its customer changes no indexed column (V95: the waiting
   * events are found through {@code unmatched_customer}, not through {@code status}), so PostgreSQL
   * updates it in place (HOT) and writes no index entry; a group's marks as the single one.
   */
  @Test
  void markEventsWhenAnEventIsProcessedThenTheUpdateIsHot() {
    try (HikariDataSource one = dataSource(false)) {
      JdbcClient jdbc = JdbcClient.create(one);
      JdbcPaymentStore store = store(one);
      store.insertEvents(events(0, 9, Optional.of("cus_bench")), T0);
      long[] before = updates(jdbc);

      store.markEvents(
          marks(IntStream.range(0, 8).mapToObj(n -> "evt_" + n).toList(), StoredEvent.IGNORED), T0);
      store.markEvent("stripe", "evt_8", StoredEvent.PROCESSED, "done", Optional.of("acct_1"), T0);

      long[] after = updates(jdbc);
      assertThat(after[0] - before[0]).as("updates").isEqualTo(9);
      assertThat(after[1] - before[1]).as("of them HOT").isEqualTo(9);
      assertThat(store.event("stripe", "evt_8").orElseThrow().status())
          .isEqualTo(StoredEvent.PROCESSED);
    }
  }

  /**
   * Webhook events marked behind a backlog, in groups of 8, in the order they arrived: with pages
   * filled to 70 % (V96) a page's first updates find room beside their rows and are HOT; with full
   * pages (21 events of this size) none could be until earlier versions were pruned. Each event is
   * of the benchmark's size (a 234-character payload, not TOASTed). Measured: 416 of 480 HOT at 70
   * %, 282 at 100 % (pruning made room for those); pruning needs no older transaction open in the
   * database, the reserved room alone gives 6 of a page's 15.
   */
  @Test
  void markEventsWhenABacklogIsProcessedThenPagesLeaveRoomForHotUpdates() {
    try (HikariDataSource one = dataSource(false)) {
      JdbcClient jdbc = JdbcClient.create(one);
      JdbcPaymentStore store = store(one);
      assertThat(
              jdbc.sql(
                      "SELECT array_to_string(reloptions, ',') FROM pg_class"
                          + " WHERE oid = 'payment_events'::regclass")
                  .query(String.class)
                  .single())
          .isEqualTo("fillfactor=70");
      String pad = "x".repeat(200);
      List<IncomingEvent> backlog =
          IntStream.range(0, 480)
              .mapToObj(
                  n ->
                      new IncomingEvent(
                          new ReceivedEvent(
                              "stripe",
                              "evt_bench_%06d".formatted(n),
                              "customer.updated",
                              T0,
                              "{\"id\":\"evt_bench_%06d\",\"p\":\"%s\"}".formatted(n, pad)),
                          Optional.of("cus_bench")))
              .toList();
      store.insertEvents(backlog, T0);
      long[] before = updates(jdbc);

      for (int from = 0; from < backlog.size(); from += 8) {
        store.markEvents(
            backlog.subList(from, from + 8).stream()
                .map(
                    e ->
                        new PaymentStore.EventMark(
                            "stripe",
                            e.event().id(),
                            StoredEvent.IGNORED,
                            "event type not handled",
                            Optional.empty()))
                .toList(),
            T0);
      }

      long[] after = updates(jdbc);
      long hot = after[1] - before[1];
      System.out.printf("a backlog of 480 events marked in groups of 8: %d HOT updates%n", hot);
      assertThat(after[0] - before[0]).isEqualTo(480);
      assertThat(hot).isGreaterThanOrEqualTo(480 * 70 / 100);
    }
  }

  /**
   * An event marked {@code unmatched} waits for its customer and is found by it; marked again
   * ({@code processed} when released, {@code failed} when a run fails) it no longer waits.
   */
  @Test
  void unmatchedEventsWhenMarkedUnmatchedThenFoundByCustomerUntilMarkedAgain() {
    try (HikariDataSource one = dataSource(false)) {
      JdbcPaymentStore store = store(one);
      store.insertEvents(events(0, 4, Optional.of("cus_a")), T0);
      store.insertEvents(events(4, 5, Optional.of("cus_b")), T0);
      store.markEvents(
          marks(List.of("evt_0", "evt_1", "evt_2", "evt_4"), StoredEvent.UNMATCHED), T0);
      store.markEvent("stripe", "evt_3", StoredEvent.UNMATCHED, "waits", Optional.empty(), T0);

      assertThat(store.unmatchedEvents("stripe", "cus_a"))
          .containsExactlyInAnyOrder("evt_0", "evt_1", "evt_2", "evt_3");
      assertThat(store.unmatchedEvents("paypal", "cus_a")).isEmpty();

      store.markEvents(marks(List.of("evt_0", "evt_4"), StoredEvent.PROCESSED), T0);
      store.markEvent("stripe", "evt_1", StoredEvent.IGNORED, "stale", Optional.empty(), T0);
      assertThat(store.markFailed("stripe", "evt_2", "error", T0)).isTrue();

      assertThat(store.unmatchedEvents("stripe", "cus_a")).containsExactly("evt_3");
      assertThat(store.unmatchedEvents("stripe", "cus_b")).isEmpty();
    }
  }

  /** Events already {@code unmatched} when V95 runs still wait for their customer after it. */
  @Test
  void migrationWhenEventsAlreadyWaitThenTheyAreFoundByTheirCustomer() {
    String jdbcUrl = PostgresTestDatabase.freshJdbcUrl();
    Flyway.configure()
        .dataSource(jdbcUrl, PostgresTestDatabase.USER, "")
        .locations("classpath:db/migration")
        .target("93")
        .load()
        .migrate();
    try (HikariDataSource one = new HikariDataSource()) {
      one.setJdbcUrl(jdbcUrl);
      one.setUsername(PostgresTestDatabase.USER);
      one.setMaximumPoolSize(1);
      JdbcClient jdbc = JdbcClient.create(one);
      PaymentTesting.eventsStoredBeforeV95(jdbc);

      Flyway.configure()
          .dataSource(jdbcUrl, PostgresTestDatabase.USER, "")
          .locations("classpath:db/migration")
          .load()
          .migrate();

      JdbcPaymentStore store = store(one);
      assertThat(store.unmatchedEvents("stripe", "cus_a")).containsExactly("evt_w");
      assertThat(store.unmatchedEvents("stripe", "cus_b")).containsExactly("evt_o");
    }
  }

  /** Updates and HOT updates of {@code payment_events} so far (flushed first). */
  private static long[] updates(JdbcClient connection) {
    connection.sql("SELECT pg_stat_force_next_flush()").query(String.class).single();
    return connection
        .sql(
            "SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables"
                + " WHERE relname = 'payment_events' AND schemaname = current_schema()")
        .query((rs, n) -> new long[] {rs.getLong(1), rs.getLong(2)})
        .single();
  }

  private static List<PaymentStore.EventMark> marks(List<String> ids, String status) {
    return ids.stream()
        .map(
            id ->
                new PaymentStore.EventMark(
                    "stripe", id, status, "detail", Optional.of("acct_" + id)))
        .toList();
  }

  private static HikariDataSource dataSource(boolean genericPlans) {
    String jdbcUrl = PostgresTestDatabase.freshJdbcUrl();
    HikariDataSource one = new HikariDataSource();
    one.setJdbcUrl(jdbcUrl);
    one.setUsername(PostgresTestDatabase.USER);
    one.setMaximumPoolSize(1);
    if (genericPlans) {
      one.setConnectionInitSql("SET plan_cache_mode = force_generic_plan");
    }
    Flyway.configure()
        .dataSource(jdbcUrl, PostgresTestDatabase.USER, "")
        .locations("classpath:db/migration")
        .load()
        .migrate();
    return one;
  }

  private static JdbcPaymentStore store(HikariDataSource one) {
    Map<String, String> env = new HashMap<>();
    env.put("DATABASE_URL", "postgresql://" + PostgresTestDatabase.USER + "@127.0.0.1/test");
    env.put("AUTH_OAUTH_PROVIDERS", "none");
    return new JdbcPaymentStore(
        JdbcClient.create(one), new JdbcTemplate(one), SwitchboardConfig.load(env::get));
  }

  private static List<IncomingEvent> events(int from, int to) {
    return events(from, to, Optional.empty());
  }

  private static List<IncomingEvent> events(int from, int to, Optional<String> customer) {
    return IntStream.range(from, to)
        .mapToObj(
            n ->
                new IncomingEvent(
                    new ReceivedEvent(
                        "stripe", "evt_" + n, "invoice.paid", T0, "{\"id\":\"evt_" + n + "\"}"),
                    customer))
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
