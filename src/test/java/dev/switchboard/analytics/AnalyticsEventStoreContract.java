package dev.switchboard.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.switchboard.platform.config.DatabaseConfig;
import dev.switchboard.platform.config.SwitchboardConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/** What the analytics tables must do on every database; one subclass per database. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AnalyticsEventStoreContract {

  static final Instant T0 = Instant.parse("2026-03-01T10:15:00Z");

  HikariDataSource dataSource;
  JdbcAnalyticsEventStore store;

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
    store =
        new JdbcAnalyticsEventStore(
            dataSource,
            new TransactionTemplate(new DataSourceTransactionManager(dataSource)),
            JsonMapper.builder().build());
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

    List<AnalyticsEvent> first = store.append(batch);
    List<AnalyticsEvent> again = store.append(List.of(track(source, "m-1", event, "u1", null, T0)));
    // The same message id from another write key is another message.
    List<AnalyticsEvent> other =
        store.append(List.of(track(source(), "m-1", event, "u1", null, T0)));

    assertThat(first).extracting(AnalyticsEvent::messageId).containsExactly("m-1", "m-2");
    assertThat(first.get(1).id()).isGreaterThan(first.get(0).id()).isPositive();
    assertThat(again).isEmpty();
    assertThat(other).hasSize(1);
    assertThat(store.hourlyCounts(List.of(event), T0.minusSeconds(3600), T0.plusSeconds(3600)))
        .containsExactly(
            new AnalyticsEventStore.HourlyCount(event, Instant.parse("2026-03-01T10:00:00Z"), 3));
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
  void deleteBeforeWhenOldEventsThenOnlyTheyAndTheirHoursGo() {
    String source = source();
    Instant ancient = Instant.parse("2001-01-01T00:30:00Z");
    store.append(
        List.of(
            track(source, "old", "retained", "u", null, ancient),
            track(source, "new", "retained", "u", null, T0)));

    int deleted = store.deleteBefore(ancient.plus(Duration.ofDays(1)), 1000);

    assertThat(deleted).isGreaterThanOrEqualTo(1);
    assertThat(store.occurrences(List.of("retained"), Instant.EPOCH, T0.plusSeconds(1), 100))
        .extracting(AnalyticsEvent::messageId)
        .containsExactly("new");
    assertThat(store.hourlyCounts(List.of("retained"), Instant.EPOCH, T0.plusSeconds(3600)))
        .extracting(AnalyticsEventStore.HourlyCount::hour)
        .containsExactly(Instant.parse("2026-03-01T10:00:00Z"));
  }
}
