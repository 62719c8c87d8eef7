package dev.switchboard.platform.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.platform.config.DatabaseConfig;
import dev.switchboard.testing.PostgresTestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The queue contract on the machine's PostgreSQL, plus what only PostgreSQL can show: several
 * workers at once.
 */
class JobsOnPostgresIT extends JobsContract {

  @Override
  DatabaseConfig.Kind kind() {
    return DatabaseConfig.Kind.POSTGRESQL;
  }

  @Override
  String freshJdbcUrl() {
    return PostgresTestDatabase.freshJdbcUrl();
  }

  @Override
  String user() {
    return PostgresTestDatabase.USER;
  }

  /**
   * pgjdbc rewrites a batch into multi-row inserts and then answers SUCCESS_NO_INFO for every row.
   */
  @Test
  void enqueueAllWhenDriverRewritesBatchesThenTakenDedupeKeysStillAnswerTheHoldersIds() {
    String existing =
        queue.enqueue("test.echo", "{\"n\":0}", JobOptions.defaults().dedupeKey("msg_0"));
    try (com.zaxxer.hikari.HikariDataSource rewriting = new com.zaxxer.hikari.HikariDataSource()) {
      rewriting.setJdbcUrl(dataSource.getJdbcUrl() + "&reWriteBatchedInserts=true");
      rewriting.setUsername(user());
      JobQueue batched =
          new JobQueue(
              new JdbcJobStore(rewriting, kind()),
              clock,
              signal,
              tools.jackson.databind.json.JsonMapper.builder().build(),
              () -> UUID.randomUUID().toString());

      List<String> ids =
          batched.enqueueAll(
              List.of(
                  new NewJob("test.echo", "{\"n\":1}", JobOptions.defaults().dedupeKey("msg_0")),
                  new NewJob("test.echo", "{\"n\":2}", JobOptions.defaults().dedupeKey("msg_2")),
                  new NewJob("test.echo", "{\"n\":3}", JobOptions.defaults().dedupeKey("msg_2")),
                  NewJob.of("test.echo", "{\"n\":4}")));

      assertThat(ids.get(0)).isEqualTo(existing);
      assertThat(ids.get(2)).isEqualTo(ids.get(1));
      assertThat(rows()).isEqualTo(3);
      assertThat(ids).allSatisfy(id -> assertThat(status(id)).isEqualTo("ready"));
    }
  }

  /**
   * A claim commits without waiting for its WAL flush ({@link JdbcJobStore#NO_FLUSH_WAIT}) for its
   * own transaction only: the pooled connection answers the next statement with the server's
   * setting.
   */
  @Test
  void claimWhenItSkipsTheFlushWaitThenTheConnectionKeepsSynchronousCommit() {
    String id = queue.enqueue("test.echo", "{\"n\":1}");
    try (com.zaxxer.hikari.HikariDataSource one = new com.zaxxer.hikari.HikariDataSource()) {
      one.setJdbcUrl(dataSource.getJdbcUrl());
      one.setUsername(user());
      one.setMaximumPoolSize(1);
      JdbcJobStore single = new JdbcJobStore(one, kind());

      List<Job> claimed =
          single.claim(
              "worker-a",
              List.of("test.echo"),
              4,
              clock.instant(),
              clock.instant().plusSeconds(60));

      assertThat(claimed).extracting(Job::id).containsExactly(id);
      assertThat(status(id)).isEqualTo("running");
      assertThat(
              org.springframework.jdbc.core.simple.JdbcClient.create(one)
                  .sql("SHOW synchronous_commit")
                  .query(String.class)
                  .single())
          .isEqualTo("on");
    }
  }

  /**
   * Marking a job done finds its row by id. Named in the statement, {@code status = 'running'} let
   * the planner take any index led by status once its statistics said few jobs run (it did, 4
   * million index rows read in one webhook burst), and that range holds, until vacuum, the running
   * version of every job finished since.
   */
  @Test
  void markDoneWhenThousandsOfJobsFinishedSinceTheLastVacuumThenReadsOnlyItsOwnRow() {
    for (int i = 0; i < 3; i++) {
      queue.enqueueAll(jobs("test.backlog", 5_000));
    }
    List<String> ids = queue.enqueueAll(jobs("test.echo", 5_000));
    List<Job> first = store.claim("worker-a", List.of("test.echo"), 5_000, T0, T0.plusSeconds(60));
    store.markAllDone(first, "worker-a", T0);
    jdbc.sql("ANALYZE jobs").update();
    queue.enqueueAll(jobs("test.echo", 2_000));
    List<Job> second = store.claim("worker-a", List.of("test.echo"), 2_000, T0, T0.plusSeconds(60));
    store.markAllDone(second.subList(1, second.size()), "worker-a", T0);
    Job running = second.get(0);

    String json =
        jdbc.sql("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + JdbcJobStore.MARK_DONE)
            .param("now", java.time.OffsetDateTime.ofInstant(T0, java.time.ZoneOffset.UTC))
            .param("id", running.id())
            .param("worker", "worker-a")
            .param("attempt", running.attempt())
            .query(String.class)
            .single();
    // The scan that finds the row; the versions left by the jobs finished since are dead, so
    // EXPLAIN counts none of them as rows, only the pages they cost.
    var scan =
        tools.jackson.databind.json.JsonMapper.builder()
            .build()
            .readTree(json)
            .get(0)
            .get("Plan")
            .get("Plans")
            .get(0);
    long pages = scan.get("Shared Hit Blocks").asLong() + scan.get("Shared Read Blocks").asLong();
    System.out.printf("mark done on PostgreSQL: %s, %d pages%n", scan.get("Index Name"), pages);

    assertThat(ids).hasSize(5_000);
    assertThat(status(running.id())).isEqualTo("done");
    assertThat(scan.get("Index Name").asString()).as(json).isEqualTo("jobs_pkey");
    assertThat(pages).as(json).isLessThanOrEqualTo(8);
  }

  /**
   * The claim as PostgreSQL plans it without statistics and without the parameters' values (the
   * generic plan a server-prepared statement may keep for the pooled connection): with 5,000 jobs
   * done, it reads about as many rows as it leases. Its expired-lease half as a one-sided {@code
   * locked_until < ?} was planned as a sequential scan of the table (224 million rows in one 20 s
   * webhook burst); with V87's indexes, its ready half cannot take an index led by status alone.
   */
  @Test
  void claimWhenPlannedWithoutStatisticsOrValuesThenItReadsAboutWhatItLeases() {
    queue.enqueueAll(jobs("test.echo", 5_000));
    List<Job> done = store.claim("worker-a", List.of("test.echo"), 5_000, T0, T0.plusSeconds(60));
    store.markAllDone(done, "worker-a", T0);
    queue.enqueueAll(jobs("test.echo", 3));
    try (com.zaxxer.hikari.HikariDataSource one = new com.zaxxer.hikari.HikariDataSource()) {
      one.setJdbcUrl(dataSource.getJdbcUrl());
      one.setUsername(user());
      one.setMaximumPoolSize(1);
      one.setConnectionInitSql("SET plan_cache_mode = force_generic_plan");
      String json =
          JdbcClient.create(one)
              .sql("EXPLAIN (ANALYZE, FORMAT JSON) " + store.claimSql(1))
              .paramSource(
                  JdbcJobStore.claimParams(
                      "worker-b", List.of("test.echo"), 16, T0, T0.plusSeconds(60)))
              .query(String.class)
              .single();
      long read =
          rowsRead(
              tools.jackson.databind.json.JsonMapper.builder()
                  .build()
                  .readTree(json)
                  .get(0)
                  .get("Plan"));
      System.out.printf("generic claim plan behind 5,000 done jobs: %d rows read%n", read);

      assertThat(done).hasSize(5_000);
      assertThat(running()).isEqualTo(3);
      assertThat(read).as(json).isLessThanOrEqualTo(3 * (16 + 1));
    }
  }

  /**
   * A group's done marks are one statement on PostgreSQL ({@link JdbcJobStore#MARK_DONE_ARRAYS}),
   * planned for each run: kept as the server-prepared statement's generic plan, the plan made over
   * the first groups on a nearly empty table joined every later group to a sequential scan of
   * {@code jobs}. Here the first groups are marked among 20 jobs, then the table grows to 20,000.
   */
  @Test
  void markAllDoneWhenTheTableGrewAfterTheFirstGroupsThenAGroupReadsOnlyItsOwnRows() {
    try (com.zaxxer.hikari.HikariDataSource one = new com.zaxxer.hikari.HikariDataSource()) {
      one.setJdbcUrl(dataSource.getJdbcUrl());
      one.setUsername(user());
      one.setMaximumPoolSize(1);
      JdbcJobStore single = new JdbcJobStore(one, kind());
      JdbcClient connection = JdbcClient.create(one);
      for (int i = 0; i < 12; i++) {
        queue.enqueueAll(jobs("test.echo", 2));
        List<Job> few = single.claim("worker-a", List.of("test.echo"), 2, T0, T0.plusSeconds(60));
        assertThat(single.markAllDone(few, "worker-a", T0)).containsExactly(true, true);
      }
      for (int i = 0; i < 4; i++) {
        queue.enqueueAll(jobs("test.backlog", 5_000));
      }
      queue.enqueueAll(jobs("test.echo", 8));
      List<Job> group = single.claim("worker-a", List.of("test.echo"), 8, T0, T0.plusSeconds(60));

      long before = PostgresTestDatabase.rowsRead(connection, "jobs");
      boolean[] marked = single.markAllDone(group, "worker-a", T0.plusSeconds(1));
      long read = PostgresTestDatabase.rowsRead(connection, "jobs") - before;
      System.out.printf("marking a group of 8 jobs among 20,000 done: %d rows read%n", read);

      // The same for a group without dedupe keys, whose rows are deleted (DELETE_DONE_ARRAYS).
      queue.enqueueAll(keylessJobs("test.echo", 8));
      List<Job> keyless = single.claim("worker-a", List.of("test.echo"), 8, T0, T0.plusSeconds(60));
      long beforeKeyless = PostgresTestDatabase.rowsRead(connection, "jobs");
      boolean[] deleted = single.markAllDone(keyless, "worker-a", T0.plusSeconds(1));
      long readKeyless = PostgresTestDatabase.rowsRead(connection, "jobs") - beforeKeyless;
      System.out.printf(
          "deleting a group of 8 jobs among 20,000 done: %d rows read%n", readKeyless);

      assertThat(marked).containsOnly(true).hasSize(8);
      assertThat(group).allSatisfy(j -> assertThat(status(j.id())).isEqualTo("done"));
      assertThat(read).isLessThanOrEqualTo(16);
      assertThat(deleted).containsOnly(true).hasSize(8);
      assertThat(keyless).allSatisfy(j -> assertThat(status(j.id())).isEqualTo(GONE));
      assertThat(readKeyless).isLessThanOrEqualTo(16);
    }
  }

  /** The rows of a type's jobs: a job without a dedupe key leaves none once it is done. */
  private long left(String type) {
    return jdbc.sql("SELECT COUNT(*) FROM jobs WHERE type = :type")
        .param("type", type)
        .query(Long.class)
        .single();
  }

  /** Jobs with a dedupe key each, so that those done keep their rows until the purge. */
  private static List<NewJob> jobs(String type, int count) {
    String run = UUID.randomUUID().toString();
    return java.util.stream.IntStream.range(0, count)
        .mapToObj(
            n ->
                new NewJob(
                    type,
                    "{\"n\":" + n + "}",
                    JobOptions.defaults().dedupeKey(type + ":" + run + ":" + n)))
        .toList();
  }

  private static List<NewJob> keylessJobs(String type, int count) {
    return java.util.stream.IntStream.range(0, count)
        .mapToObj(n -> NewJob.of(type, "{\"n\":" + n + "}"))
        .toList();
  }

  @Test
  void runWhenTwoWorkersShareTheDatabaseThenEachOf300JobsRunsExactlyOnce() throws Exception {
    Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
    Map<String, AtomicInteger> byWorker = new ConcurrentHashMap<>();
    RecordingHandler.Behaviour count =
        job -> {
          runs.computeIfAbsent(job.id(), id -> new AtomicInteger()).incrementAndGet();
          byWorker
              .computeIfAbsent(
                  Thread.currentThread().getName().replaceAll("-\\d+$", ""),
                  w -> new AtomicInteger())
              .incrementAndGet();
          Thread.sleep(2);
        };
    JobQueue realTimeQueue =
        new JobQueue(
            store,
            Clock.systemUTC(),
            signal,
            tools.jackson.databind.json.JsonMapper.builder().build(),
            () -> UUID.randomUUID().toString());
    List<String> ids = new java.util.ArrayList<>();
    for (int i = 0; i < 300; i++) {
      ids.add(realTimeQueue.enqueue("test.count", "{\"n\":" + i + "}"));
    }
    JobWorkerSettings settings =
        JobWorkerSettings.defaults().withPollInterval(Duration.ofMillis(20)).withBatch(5, 3);
    // Separate stores and pools, as two instances would have; nothing in the process serializes
    // their claims.
    JobWorker one =
        new JobWorker(
            new JdbcJobStore(dataSource, kind()),
            List.of(new RecordingHandler("test.count").behave(count)),
            settings.withWorkerId("worker-one"),
            Clock.systemUTC(),
            new JobSignal(),
            HALF,
            meters);
    JobWorker two =
        new JobWorker(
            new JdbcJobStore(dataSource, kind()),
            List.of(new RecordingHandler("test.count").behave(count)),
            settings.withWorkerId("worker-two"),
            Clock.systemUTC(),
            new JobSignal(),
            HALF,
            meters);

    one.start();
    two.start();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (left("test.count") > 0 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    one.stop();
    two.stop();

    // Done without a dedupe key: no row left.
    assertThat(left("test.count")).isZero();
    assertThat(runs.keySet()).containsExactlyInAnyOrderElementsOf(ids);
    assertThat(runs.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
    assertThat(byWorker.keySet()).containsExactlyInAnyOrder("job-worker-one", "job-worker-two");
  }
}
