package dev.switchboard.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.switchboard.platform.config.DatabaseConfig;
import dev.switchboard.platform.config.SwitchboardConfig;
import dev.switchboard.platform.db.GroupCommits;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.DefaultTransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/** What the analytics tables must do on every database; one subclass per database. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AnalyticsEventStoreContract {

  static final Instant T0 = Instant.parse("2026-03-01T10:15:00Z");

  HikariDataSource dataSource;
  JdbcAnalyticsEventStore store;
  TransactionTemplate transactions;

  abstract Map<String, String> environment();

  @BeforeAll
  void migrate() {
    DatabaseConfig db = SwitchboardConfig.load(environment()::get).core().database();
    dataSource = new HikariDataSource();
    dataSource.setJdbcUrl(db.jdbcUrl());
    if (!db.username().isEmpty()) {
      dataSource.setUsername(db.username());
    }
    Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
    transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    store = new JdbcAnalyticsEventStore(dataSource, transactions, JsonMapper.builder().build());
  }

  @AfterAll
  void close() {
    dataSource.close();
  }

  static AnalyticsEvent track(
      String source,
      String messageId,
      String event,
      String userId,
      String anonymousId,
      Instant at) {
    return new AnalyticsEvent(
        0,
        source,
        messageId,
        "track",
        event,
        userId,
        anonymousId,
        at,
        at,
        "{\"type\":\"track\",\"event\":\"" + event + "\",\"properties\":{}}");
  }

  static String source() {
    return UUID.randomUUID().toString().replace("-", "");
  }

  @Test
  void appendWhenMessageIdRepeatsThenStoredOnceAndCountedOnce() {
    String source = source();
    String event = "dup_" + source.substring(0, 8);
    List<AnalyticsEvent> batch = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      batch.add(track(source, "m-1", event, "u1", null, T0));
    }
    batch.add(track(source, "m-2", event, "u1", null, T0));

    long start = store.lastId();
    List<AnalyticsEvent> first = store.append(batch);
    List<AnalyticsEvent> again = store.append(List.of(track(source, "m-1", event, "u1", null, T0)));
    // The same message id from another write key is another message.
    List<AnalyticsEvent> other =
        store.append(List.of(track(source(), "m-1", event, "u1", null, T0)));

    assertThat(first).extracting(AnalyticsEvent::messageId).containsExactly("m-1", "m-2");
    assertThat(store.after(start, Instant.MAX, 10))
        .filteredOn(e -> e.source().equals(source))
        .extracting(AnalyticsEvent::messageId)
        .containsExactly("m-1", "m-2");
    assertThat(again).isEmpty();
    assertThat(other).hasSize(1);
    assertThat(store.hourlyCounts(List.of(event), T0.minusSeconds(3600), T0.plusSeconds(3600)))
        .containsExactly(
            new AnalyticsEventStore.HourlyCount(event, Instant.parse("2026-03-01T10:00:00Z"), 3));
  }

  @Test
  void appendWhenLargeBatchMixesNewAndStoredIdsThenOnlyNewOnesStoredInOrderAndCounted() {
    // 700 events are written as several multi-row statements (256, 256, 128, ...): repeats spread
    // over all of them must each be left out, and the ids of the rest follow the input order.
    String source = source();
    String event = "mix_" + source.substring(0, 8);
    List<AnalyticsEvent> earlier = new ArrayList<>();
    for (int i = 0; i < 700; i += 3) {
      earlier.add(track(source, "x-" + i, event, "u1", null, T0));
    }
    assertThat(store.append(earlier)).hasSize(earlier.size());
    List<AnalyticsEvent> batch = new ArrayList<>();
    for (int i = 0; i < 700; i++) {
      batch.add(track(source, "x-" + i, event, "u1", null, T0.plusSeconds(3600)));
    }

    long start = store.lastId();
    List<AnalyticsEvent> stored = store.append(batch);

    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 700; i++) {
      if (i % 3 != 0) {
        expected.add("x-" + i);
      }
    }
    assertThat(stored).extracting(AnalyticsEvent::messageId).containsExactlyElementsOf(expected);
    // Stored in input order: their ids follow it.
    assertThat(store.after(start, Instant.MAX, 1_000))
        .filteredOn(e -> e.source().equals(source))
        .extracting(AnalyticsEvent::messageId)
        .containsExactlyElementsOf(expected);
    assertThat(store.hourlyCounts(List.of(event), T0.minusSeconds(3600), T0.plusSeconds(7200)))
        .containsExactly(
            new AnalyticsEventStore.HourlyCount(
                event, Instant.parse("2026-03-01T10:00:00Z"), earlier.size()),
            new AnalyticsEventStore.HourlyCount(
                event, Instant.parse("2026-03-01T11:00:00Z"), expected.size()));
  }

  @Test
  void afterWhenPagingThenEveryEventOnceInIdOrderAndRecentOnesHeldBack() {
    String source = source();
    long start = store.lastId();
    for (int i = 0; i < 5; i++) {
      store.append(List.of(track(source, "p-" + i, "paged", "u1", null, T0.plusSeconds(i))));
    }

    List<AnalyticsEvent> page1 = store.after(start, Instant.MAX, 3);
    List<AnalyticsEvent> page2 = store.after(page1.get(2).id(), Instant.MAX, 3);
    List<AnalyticsEvent> settled = store.after(start, T0.plusSeconds(2), 10);

    assertThat(page1).extracting(AnalyticsEvent::messageId).containsExactly("p-0", "p-1", "p-2");
    assertThat(page2).extracting(AnalyticsEvent::messageId).containsExactly("p-3", "p-4");
    assertThat(settled).extracting(AnalyticsEvent::messageId).containsExactly("p-0", "p-1");
    assertThat(store.latest(1)).extracting(AnalyticsEvent::messageId).containsExactly("p-4");
  }

  @Test
  void appendWhenConcurrentThenIdsCommitInOrderAndNoneLost() throws Exception {
    String source = source();
    long start = store.lastId();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<?>> writes = new ArrayList<>();
    java.util.concurrent.atomic.AtomicInteger shared =
        new java.util.concurrent.atomic.AtomicInteger();
    for (int t = 0; t < 4; t++) {
      int thread = t;
      writes.add(
          pool.submit(
              () -> {
                for (int b = 0; b < 10; b++) {
                  List<AnalyticsEvent> batch = new ArrayList<>();
                  for (int i = 0; i < 20; i++) {
                    batch.add(
                        track(
                            source,
                            thread + "-" + b + "-" + i,
                            "concurrent",
                            null,
                            "a" + thread,
                            T0));
                  }
                  // Written together with other threads' batches (group commit), each caller gets
                  // back only its own.
                  List<AnalyticsEvent> stored = store.append(batch);
                  String prefix = thread + "-" + b + "-";
                  assertThat(stored).hasSize(20).allMatch(e -> e.messageId().startsWith(prefix));
                  // The same message id from every thread at once: stored once, reported to exactly
                  // one caller.
                  shared.addAndGet(
                      store
                          .append(
                              List.of(track(source, "shared-" + b, "concurrent", null, "a", T0)))
                          .size());
                }
              }));
    }
    for (Future<?> write : writes) {
      write.get();
    }
    pool.shutdown();

    List<AnalyticsEvent> all = store.after(start, Instant.MAX, 10_000);
    assertThat(all).hasSize(810);
    assertThat(shared.get()).isEqualTo(10);
    assertThat(all).extracting(AnalyticsEvent::id).isSorted().doesNotHaveDuplicates();
  }

  @Test
  void afterWhenALaterGroupCommitsBeforeAnEarlierOneThenNeitherIsReadPastUntilBothAre()
      throws Exception {
    CountDownLatch atCommit = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ThreadLocal<Boolean> hold = new ThreadLocal<>();
    DataSourceTransactionManager holding =
        new DataSourceTransactionManager(dataSource) {
          @Override
          protected void doCommit(DefaultTransactionStatus status) {
            if (hold.get() != null) {
              atCommit.countDown();
              await(release);
            }
            super.doCommit(status);
          }
        };
    JdbcAnalyticsEventStore lane =
        new JdbcAnalyticsEventStore(
            dataSource, GroupCommits.of(holding), JsonMapper.builder().build());
    String source = source();
    long start = store.lastId();
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<List<AnalyticsEvent>> earlier =
          pool.submit(
              () -> {
                hold.set(Boolean.TRUE);
                return lane.append(List.of(track(source, "earlier", "ordered", "u", null, T0)));
              });
      assertThat(atCommit.await(10, TimeUnit.SECONDS)).as("the first group's commit").isTrue();

      // Written and committed beside the held group, with higher ids (enough events to start a
      // group beside one in flight: fewer would wait for its commit).
      List<AnalyticsEvent> later = new ArrayList<>();
      List<String> laterIds = new ArrayList<>();
      for (int i = 0; i < GroupCommits.MIN_OVERLAP; i++) {
        later.add(track(source, "later-" + i, "ordered", "u", null, T0));
        laterIds.add("later-" + i);
      }
      assertThat(lane.append(later)).hasSize(later.size());

      assertThat(committed(source)).as("visible to any reader").containsExactlyElementsOf(laterIds);
      assertThat(lane.after(start, Instant.MAX, 100))
          .as("a cursor moved past 'later' would never see 'earlier'")
          .isEmpty();
      release.countDown();
      assertThat(earlier.get(10, TimeUnit.SECONDS)).hasSize(1);
      List<String> all = new ArrayList<>(List.of("earlier"));
      all.addAll(laterIds);
      assertThat(lane.after(start, Instant.MAX, 100))
          .extracting(AnalyticsEvent::messageId)
          .containsExactlyElementsOf(all);
    } finally {
      release.countDown();
      pool.shutdownNow();
    }
  }

  @Test
  void afterWhenPagingWhileGroupsCommitAtOnceThenTheCursorNeverSkipsAnId() throws Exception {
    String source = source();
    long start = store.lastId();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    java.util.concurrent.atomic.AtomicBoolean writing =
        new java.util.concurrent.atomic.AtomicBoolean(true);
    try {
      List<Future<?>> writers = new ArrayList<>();
      for (int t = 0; t < 6; t++) {
        int thread = t;
        writers.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 150; i++) {
                    List<AnalyticsEvent> events = new ArrayList<>();
                    for (int e = 0; e <= i % 3; e++) {
                      events.add(track(source, thread + "-" + i + "-" + e, "paged", "u", null, T0));
                    }
                    store.append(events);
                  }
                  return null;
                }));
      }
      // A forwarder's cursor: each page read after the last id of the one before.
      Future<List<Long>> reader =
          pool.submit(
              () -> {
                List<Long> seen = new ArrayList<>();
                long cursor = start;
                while (true) {
                  boolean last = !writing.get();
                  List<AnalyticsEvent> page = store.after(cursor, Instant.MAX, 37);
                  for (AnalyticsEvent e : page) {
                    seen.add(e.id());
                    cursor = e.id();
                  }
                  if (last && page.isEmpty()) {
                    return seen;
                  }
                }
              });
      for (Future<?> w : writers) {
        w.get(120, TimeUnit.SECONDS);
      }
      writing.set(false);
      List<Long> seen = reader.get(60, TimeUnit.SECONDS);

      List<Long> stored =
          org.springframework.jdbc.core.simple.JdbcClient.create(dataSource)
              .sql("SELECT id FROM analytics_events WHERE id > ? ORDER BY id")
              .param(start)
              .query(Long.class)
              .list();
      assertThat(stored).hasSize(6 * (50 * 1 + 50 * 2 + 50 * 3));
      assertThat(seen)
          .as("every id once, in order, none passed while being written")
          .isEqualTo(stored);
    } finally {
      writing.set(false);
      pool.shutdownNow();
    }
  }

  static void await(CountDownLatch latch) {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("never released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void appendWhenIdentifyAndAliasThenAnonymousIdsLinkToTheUserFirstLinkWins() {
    String source = source();
    String anon = "anon-" + source;
    String old = "old-" + source;
    store.append(
        List.of(
            new AnalyticsEvent(
                0,
                source,
                "i1",
                "identify",
                null,
                "user-" + source,
                anon,
                T0,
                T0,
                "{\"type\":\"identify\"}"),
            new AnalyticsEvent(
                0,
                source,
                "a1",
                "alias",
                null,
                "user-" + source,
                null,
                T0,
                T0,
                "{\"type\":\"alias\",\"previousId\":\"" + old + "\"}")));
    store.append(
        List.of(
            new AnalyticsEvent(
                0,
                source,
                "i2",
                "identify",
                null,
                "someone-else",
                anon,
                T0,
                T0,
                "{\"type\":\"identify\"}")));

    assertThat(store.usersOf(List.of(anon, old, "never-seen")))
        .containsOnly(Map.entry(anon, "user-" + source), Map.entry(old, "user-" + source));
  }

  @Test
  void countSinceWhenEventsBeforeAndAfterThenFromTheHourOfSinceOn() {
    String source = source();
    Instant hour = Instant.parse("2091-06-01T05:00:00Z");
    long before = store.countSince(hour);
    store.append(
        List.of(
            track(source, "a", "counted", "u", null, hour.minusSeconds(1)),
            track(source, "b", "counted", "u", null, hour.plusSeconds(600)),
            track(source, "c", "counted", "u", null, hour.plusSeconds(7_300))));

    assertThat(store.countSince(hour.minusSeconds(1)) - before).isEqualTo(3);
    assertThat(store.countSince(hour.plusSeconds(1_800)) - before).isEqualTo(2);
    assertThat(store.countSince(hour.plusSeconds(3_600)) - before).isEqualTo(1);
    assertThat(store.countSince(hour.plusSeconds(3 * 3_600))).isZero();
  }

  @Test
  void deleteBeforeWhenOldEventsThenOnlyTheyAndTheirHoursGo() {
    String source = source();
    Instant ancient = Instant.parse("2001-01-01T00:30:00Z");
    store.append(
        List.of(
            track(source, "old", "retained", "u", null, ancient),
            track(source, "new", "retained", "u", null, T0)));

    int deleted = store.deleteBefore(ancient.plus(Duration.ofDays(1)), Long.MAX_VALUE, 1000);

    assertThat(deleted).isGreaterThanOrEqualTo(1);
    assertThat(store.occurrences(List.of("retained"), Instant.EPOCH, T0.plusSeconds(1), 100))
        .extracting(AnalyticsEvent::messageId)
        .containsExactly("new");
    assertThat(store.hourlyCounts(List.of("retained"), Instant.EPOCH, T0.plusSeconds(3600)))
        .extracting(AnalyticsEventStore.HourlyCount::hour)
        .containsExactly(Instant.parse("2026-03-01T10:00:00Z"));
  }

  @Test
  void deleteBeforeWhenSeveralNamesAndUnnamedRowsThenEveryOldOneGoesInChunks() {
    String source = source();
    Instant ancient = Instant.parse("2001-02-01T00:30:00Z");
    Instant cutoff = ancient.plus(Duration.ofDays(1));
    List<AnalyticsEvent> old = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      old.add(track(source, "a" + i, "expiring_a", "u", null, ancient));
      old.add(track(source, "b" + i, "expiring_b", "u", null, ancient));
      old.add(
          new AnalyticsEvent(
              0, source, "i" + i, "identify", null, "u", null, ancient, ancient, "{}"));
    }
    store.append(old);
    store.append(
        List.of(
            track(source, "kept", "expiring_a", "u", null, T0),
            new AnalyticsEvent(
                0, source, "kept-identify", "identify", null, "u", null, T0, T0, "{}")));

    // Other tests' rows older than the cutoff may go too; at most 4 a call, until fewer come back.
    int total = 0;
    int deleted;
    do {
      deleted = store.deleteBefore(cutoff, Long.MAX_VALUE, 4);
      assertThat(deleted).isLessThanOrEqualTo(4);
      total += deleted;
    } while (deleted == 4);

    assertThat(total).isGreaterThanOrEqualTo(9);
    assertThat(committed(source)).containsExactly("kept", "kept-identify");
  }

  /**
   * Rows of this source as another connection sees them (outside any transaction of this thread).
   */
  List<String> committed(String source) {
    try (java.sql.Connection other = dataSource.getConnection();
        java.sql.PreparedStatement select =
            other.prepareStatement(
                "SELECT message_id FROM analytics_events WHERE source = ? ORDER BY id")) {
      select.setString(1, source);
      List<String> ids = new ArrayList<>();
      try (java.sql.ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          ids.add(rows.getString(1));
        }
      }
      return ids;
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  long hourCount(String event) {
    return store.hourlyCounts(List.of(event), T0.minusSeconds(3600), T0.plusSeconds(3600)).stream()
        .mapToLong(AnalyticsEventStore.HourlyCount::count)
        .sum();
  }

  @Test
  void appendInTransactionWhenCallerCommitsThenStoredCountedAndLinkedWithTheCallersWrites() {
    String source = source();
    String event = "tx_" + source.substring(0, 8);
    org.springframework.jdbc.core.simple.JdbcClient jdbc =
        org.springframework.jdbc.core.simple.JdbcClient.create(dataSource);

    List<AnalyticsEvent> stored =
        transactions.execute(
            status -> {
              List<AnalyticsEvent> inside =
                  store.appendInTransaction(
                      List.of(
                          track(source, "c-1", event, "user-" + source, "anon-" + source, T0),
                          track(source, "c-1", event, "user-" + source, null, T0)));
              // Not visible to other connections before the caller commits.
              assertThat(committed(source)).isEmpty();
              // Visible to the caller's own connection.
              assertThat(
                      jdbc.sql("SELECT COUNT(*) FROM analytics_events WHERE source = ?")
                          .param(source)
                          .query(Long.class)
                          .single())
                  .isEqualTo(1L);
              return inside;
            });

    assertThat(stored).extracting(AnalyticsEvent::messageId).containsExactly("c-1");
    assertThat(committed(source)).containsExactly("c-1");
    assertThat(hourCount(event)).isEqualTo(1);
    assertThat(store.usersOf(List.of("anon-" + source)))
        .containsExactly(Map.entry("anon-" + source, "user-" + source));
    // The same message id again, in another transaction: stored once.
    List<AnalyticsEvent> again =
        transactions.execute(
            status ->
                store.appendInTransaction(
                    List.of(track(source, "c-1", event, "user-" + source, null, T0))));
    assertThat(again).isEmpty();
  }

  @Test
  void appendInTransactionWhenCallerRollsBackThenNeitherEventNorCountNorLinkRemain() {
    String source = source();
    String event = "rb_" + source.substring(0, 8);

    assertThatThrownBy(
            () ->
                transactions.executeWithoutResult(
                    status -> {
                      store.appendInTransaction(
                          List.of(
                              track(source, "r-1", event, "user-" + source, "anon-" + source, T0)));
                      throw new IllegalStateException("the caller's own write failed");
                    }))
        .hasMessage("the caller's own write failed");

    assertThat(committed(source)).isEmpty();
    assertThat(hourCount(event)).isZero();
    assertThat(store.usersOf(List.of("anon-" + source))).isEmpty();
  }

  @Test
  void appendInTransactionWhenNoTransactionThenRefusedAndNothingStored() {
    String source = source();

    assertThatThrownBy(
            () -> store.appendInTransaction(List.of(track(source, "n-1", "none", "u", null, T0))))
        .isInstanceOf(IllegalStateException.class);
    assertThat(committed(source)).isEmpty();
  }

  @Test
  void retentionWhenADestinationHasNotForwardedExpiredEventsThenTheyStayUntilItHas() {
    String source = source();
    String event = "kept_" + source.substring(0, 8);
    Instant ancient = Instant.parse("2002-02-02T00:30:00Z");
    long start = store.lastId();
    store.append(
        List.of(
            track(source, "k-1", event, "u", null, ancient),
            track(source, "k-2", event, "u", null, ancient),
            track(source, "k-3", event, "u", null, ancient)));
    List<AnalyticsEvent> old =
        store.after(start, Instant.MAX, 100).stream()
            .filter(e -> e.source().equals(source))
            .toList();
    JdbcForwardingStore forwarding =
        new JdbcForwardingStore(org.springframework.jdbc.core.simple.JdbcClient.create(dataSource));
    String behind = "b-" + source.substring(0, 20);
    String ahead = "a-" + source.substring(0, 20);
    String missing = "m-" + source.substring(0, 20);
    forwarding.ensure(behind, old.get(0).id(), T0);
    forwarding.ensure(ahead, old.get(2).id() + 1_000_000, T0);
    java.time.Clock clock = java.time.Clock.fixed(T0, java.time.ZoneOffset.UTC);
    Duration retention = Duration.ofDays(400);

    // A configured destination without a row yet starts at the first event: nothing may go.
    new AnalyticsRetention(
            store, () -> forwarding.handledThrough(List.of(ahead, missing)), clock, retention)
        .deleteExpired();
    assertThat(store.occurrences(List.of(event), Instant.EPOCH, T0, 10))
        .extracting(AnalyticsEvent::messageId)
        .containsExactly("k-1", "k-2", "k-3");

    // The slowest destination has passed only k-1.
    new AnalyticsRetention(
            store, () -> forwarding.handledThrough(List.of(behind, ahead)), clock, retention)
        .deleteExpired();
    assertThat(store.occurrences(List.of(event), Instant.EPOCH, T0, 10))
        .extracting(AnalyticsEvent::messageId)
        .containsExactly("k-2", "k-3");

    // Caught up: the rest goes.
    assertThat(forwarding.lease(behind, "test", T0.plusSeconds(60), T0)).isTrue();
    assertThat(
            forwarding.advance(
                behind, "test", old.get(2).id(), 2, 0, 0, true, T0, T0.plusSeconds(60)))
        .isTrue();
    new AnalyticsRetention(
            store, () -> forwarding.handledThrough(List.of(behind, ahead)), clock, retention)
        .deleteExpired();
    assertThat(store.occurrences(List.of(event), Instant.EPOCH, T0, 10)).isEmpty();
    assertThat(forwarding.handledThrough(List.of())).isEqualTo(Long.MAX_VALUE);
  }
}
