package dev.switchboard.platform.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.switchboard.platform.config.DatabaseConfig;
import dev.switchboard.platform.db.GroupCommits;
import dev.switchboard.platform.outbound.OutboundException;
import dev.switchboard.testing.ManualClock;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/** What the queue promises, run against each database by a subclass. */
abstract class JobsContract {

  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  /** Jitter pinned to the middle of the range, so backoff delays are exact. */
  static final RandomGenerator HALF =
      new RandomGenerator() {
        @Override
        public long nextLong() {
          return 0;
        }

        @Override
        public long nextLong(long bound) {
          return bound / 2;
        }
      };

  HikariDataSource dataSource;
  JdbcJobStore store;
  JdbcClient jdbc;
  ManualClock clock;
  JobSignal signal;
  JobQueue queue;
  SimpleMeterRegistry meters;
  final RecordingHandler handler = new RecordingHandler("test.echo");
  JobWorker worker;

  abstract DatabaseConfig.Kind kind();

  /** A JDBC URL on an empty database or schema of its own (called once per test class). */
  abstract String freshJdbcUrl();

  abstract String user();

  /**
   * Per test class: a database migrated once, and one statement that deletes every row of the
   * tables the migrations left empty, children before the tables their foreign keys point at. Each
   * test starts from those tables emptied again (rows the migrations wrote are kept): the state a
   * fresh migration gives, but for identity counters, in a fraction of a migration's time.
   */
  record Migrated(String url, String emptyTables) {}

  static final Map<Class<?>, Migrated> MIGRATED = new ConcurrentHashMap<>();

  @BeforeEach
  void setUpDatabase() throws SQLException {
    Migrated db = MIGRATED.computeIfAbsent(getClass(), c -> migrate());
    dataSource = new HikariDataSource();
    dataSource.setJdbcUrl(db.url());
    dataSource.setUsername(user());
    dataSource.setMaximumPoolSize(12);
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      s.execute(db.emptyTables());
    }
    store = new JdbcJobStore(dataSource, kind());
    jdbc = JdbcClient.create(dataSource);
    clock = new ManualClock(T0);
    signal = new JobSignal();
    queue =
        new JobQueue(
            store, clock, signal, JsonMapper.builder().build(), () -> UUID.randomUUID().toString());
    meters = new SimpleMeterRegistry();
    worker = worker("worker-a", handler);
  }

  private Migrated migrate() {
    String url = freshJdbcUrl();
    // Kept open for the JVM's life: H2 refuses rows against a CHECK constraint once the session
    // that created it has closed ("Check constraint invalid").
    HikariDataSource ds = new HikariDataSource();
    ds.setJdbcUrl(url);
    ds.setUsername(user());
    ds.setMaximumPoolSize(2);
    {
      Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
      JdbcClient sql = JdbcClient.create(ds);
      Set<String> empty = new TreeSet<>();
      for (String table :
          sql.sql(
                  "SELECT table_name FROM information_schema.tables WHERE table_schema ="
                      + " current_schema() AND table_type = 'BASE TABLE'"
                      + " AND table_name <> 'flyway_schema_history'")
              .query(String.class)
              .list()) {
        if (sql.sql("SELECT COUNT(*) FROM " + table).query(Long.class).single() == 0) {
          empty.add(table);
        }
      }
      Map<String, Set<String>> parents = new HashMap<>();
      sql.sql(
              "SELECT fk.table_name, pk.table_name FROM information_schema.referential_constraints rc"
                  + " JOIN information_schema.table_constraints fk ON fk.constraint_name ="
                  + " rc.constraint_name AND fk.constraint_schema = rc.constraint_schema"
                  + " JOIN information_schema.table_constraints pk ON pk.constraint_name ="
                  + " rc.unique_constraint_name AND pk.constraint_schema ="
                  + " rc.unique_constraint_schema WHERE fk.table_schema = current_schema()")
          .query(
              (rs, n) ->
                  parents
                      .computeIfAbsent(rs.getString(1), t -> new HashSet<>())
                      .add(rs.getString(2)))
          .list();
      // Children first: a table is emptied once every table that points at it was.
      List<String> order = new ArrayList<>();
      Set<String> left = new TreeSet<>(empty);
      while (!left.isEmpty()) {
        String next =
            left.stream()
                .filter(
                    t ->
                        left.stream()
                            .noneMatch(
                                child ->
                                    !child.equals(t)
                                        && parents.getOrDefault(child, Set.of()).contains(t)))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("foreign keys in a cycle: " + left));
        order.add(next);
        left.remove(next);
      }
      return new Migrated(
          url, order.stream().map(t -> "DELETE FROM " + t).collect(Collectors.joining("; ")));
    }
  }

  @AfterEach
  void closeDatabase() {
    worker.stop();
    dataSource.close();
  }

  JobWorker worker(String id, JobHandler... handlers) {
    JobWorkerSettings settings =
        JobWorkerSettings.defaults().withWorkerId(id).withPollInterval(Duration.ofSeconds(10));
    return new JobWorker(store, List.of(handlers), settings, clock, signal, HALF, meters);
  }

  /**
   * What {@link #status} answers for a job that has no row: a job without a dedupe key leaves none
   * once it completes, and nothing else deletes one (the purge deletes done rows only).
   */
  static final String GONE = "(no row)";

  /** The job's status, or {@link #GONE}. */
  String status(String id) {
    return jdbc.sql("SELECT status FROM jobs WHERE id = :id")
        .param("id", id)
        .query(String.class)
        .optional()
        .orElse(GONE);
  }

  /** Outside any transaction the calling thread has. */
  String statusOnAnotherConnection(String id) {
    try (java.sql.Connection c = dataSource.getConnection();
        java.sql.PreparedStatement ps =
            c.prepareStatement("SELECT status FROM jobs WHERE id = ?")) {
      ps.setString(1, id);
      try (java.sql.ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : GONE;
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  String lastError(String id) {
    return jdbc.sql("SELECT last_error FROM jobs WHERE id = :id")
        .param("id", id)
        .query(String.class)
        .single();
  }

  Instant runAt(String id) {
    return jdbc.sql("SELECT run_at FROM jobs WHERE id = :id")
        .param("id", id)
        .query((rs, n) -> rs.getObject(1, OffsetDateTime.class).toInstant())
        .single();
  }

  long rows() {
    return jdbc.sql("SELECT COUNT(*) FROM jobs").query(Long.class).single();
  }

  @Test
  void enqueueWhenWorkerStartedThenProcessedOnceWithoutWaitingForThePoll() throws Exception {
    worker.start();
    String id = queue.enqueue("test.echo", "{\"to\":\"a@example.com\"}");

    // The poll interval is 10 s: finishing well before it shows the enqueue woke the worker. The
    // worker thread counts the outcome after the commit that other connections see, so the wait
    // is for both: asserting the count as soon as the row reads "done" raced that thread.
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while ((!GONE.equals(status(id)) || doneCount() < 1) && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }

    assertThat(status(id)).isEqualTo(GONE);
    assertThat(handler.seen)
        .singleElement()
        .satisfies(
            job -> {
              assertThat(job.id()).isEqualTo(id);
              assertThat(job.payload()).isEqualTo("{\"to\":\"a@example.com\"}");
              assertThat(job.attempt()).isEqualTo(1);
            });
    assertThat(doneCount()).isEqualTo(1.0);
    assertThat(worker.runDue()).isZero();
  }

  @Test
  void enqueueWhenDedupeKeyTakenThenReturnsExistingIdAndInsertsNothing() {
    String first =
        queue.enqueue("test.echo", "{\"n\":1}", JobOptions.defaults().dedupeKey("evt_123"));
    String second =
        queue.enqueue("test.echo", "{\"n\":2}", JobOptions.defaults().dedupeKey("evt_123"));
    String other =
        queue.enqueue("test.echo", "{\"n\":3}", JobOptions.defaults().dedupeKey("evt_456"));
    String plain1 = queue.enqueue("test.echo", "{}");
    String plain2 = queue.enqueue("test.echo", "{}");

    assertThat(second).isEqualTo(first);
    assertThat(List.of(other, plain1, plain2)).doesNotContain(first).doesNotHaveDuplicates();
    assertThat(rows()).isEqualTo(4);
    assertThat(worker.runDue()).isEqualTo(4);
    assertThat(handler.seen)
        .extracting(Job::payload)
        .containsOnlyOnce("{\"n\":1}")
        .doesNotContain("{\"n\":2}");
    // Done, the keyed jobs keep their rows (and their keys taken); the keyless ones leave none.
    assertThat(List.of(status(first), status(other), status(plain1), status(plain2)))
        .containsExactly("done", "done", GONE, GONE);
  }

  @Test
  void handleWhenItFailsThenRetriedAfterJitteredBackoff() {
    handler.behave(
        job -> {
          if (job.attempt() == 1) {
            throw new IllegalStateException("provider hiccup");
          }
        });
    String id = queue.enqueue("test.echo", "{}");

    assertThat(worker.runDue()).isEqualTo(1);

    // Backoff starts at a 5 s ceiling; the pinned jitter takes half of it.
    assertThat(status(id)).isEqualTo("ready");
    assertThat(runAt(id)).isEqualTo(T0.plusMillis(2500));
    assertThat(lastError(id)).isEqualTo("IllegalStateException: provider hiccup");
    assertThat(worker.runDue()).isZero();
    clock.advance(Duration.ofMillis(2499));
    assertThat(worker.runDue()).isZero();
    clock.advance(Duration.ofMillis(1));
    assertThat(worker.runDue()).isEqualTo(1);
    assertThat(status(id)).isEqualTo(GONE);
    assertThat(handler.seen).extracting(Job::attempt).containsExactly(1, 2);
    assertThat(meters.counter("switchboard.jobs", "type", "test.echo", "outcome", "retry").count())
        .isEqualTo(1.0);
  }

  @Test
  void handleWhenItMarksItsJobDoneInItsTransactionThenDoneCommitsWithItsWorkAndCountsOnce() {
    TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    List<Boolean> marked = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<String> statusInside = new java.util.concurrent.CopyOnWriteArrayList<>();
    handler.behave(
        job ->
            tx.executeWithoutResult(
                st -> {
                  marked.add(JobCompletion.inTransaction(job));
                  statusInside.add(statusOnAnotherConnection(job.id()));
                  queue.enqueue("test.other", "{\"after\":\"" + job.id() + "\"}");
                }));
    String id = queue.enqueue("test.echo", "{}");

    assertThat(worker.runDue()).isEqualTo(1);

    assertThat(marked).containsExactly(true);
    // Not done for anyone else until the handler's transaction committed.
    assertThat(statusInside).containsExactly("running");
    assertThat(status(id)).isEqualTo(GONE);
    // The job its work enqueued, committed with the completion.
    assertThat(rows()).isEqualTo(1);
    assertThat(jdbc.sql("SELECT type FROM jobs").query(String.class).single())
        .isEqualTo("test.other");
    assertThat(doneCount()).isEqualTo(1.0);
    assertThat(worker.runDue()).isZero();
  }

  double doneCount() {
    return meters.counter("switchboard.jobs", "type", "test.echo", "outcome", "done").count();
  }

  @Test
  void handleWhenItsTransactionRollsBackAfterMarkingDoneThenNotDoneAndRetried() {
    TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    handler.behave(
        job -> {
          if (job.attempt() == 1) {
            tx.executeWithoutResult(
                st -> {
                  assertThat(JobCompletion.inTransaction(job)).isTrue();
                  queue.enqueue("test.other", "{}");
                  throw new IllegalStateException("failed after the mark");
                });
          }
        });
    String id = queue.enqueue("test.echo", "{}");

    assertThat(worker.runDue()).isEqualTo(1);

    assertThat(status(id)).isEqualTo("ready");
    assertThat(lastError(id)).isEqualTo("IllegalStateException: failed after the mark");
    assertThat(rows()).isEqualTo(1);
    assertThat(meters.counter("switchboard.jobs", "type", "test.echo", "outcome", "done").count())
        .isZero();
    clock.advance(Duration.ofMillis(2500));
    assertThat(worker.runDue()).isEqualTo(1);
    assertThat(status(id)).isEqualTo(GONE);
  }

  /**
   * Four jobs of one lane: the first one's work is held until the three others wait for the lane,
   * so they are written as one group. {@code failing} jobs throw in their work; they call the lane
   * only once the first group is being written, so they join the second.
   */
  JobCommits.Lane<String> heldLane(List<String> failing) {
    JobCommits.Lane<String> lane =
        new JobCommits(new GroupCommits(new DataSourceTransactionManager(dataSource), meters, 1))
            .lane("test.echo");
    CountDownLatch firstWork = new CountDownLatch(1);
    CountDownLatch entered = new CountDownLatch(4);
    handler.behave(
        job -> {
          entered.countDown();
          boolean fails = failing.contains(job.payload());
          if (fails) {
            firstWork.await(5, TimeUnit.SECONDS);
          }
          lane.run(
              job,
              () -> {
                if (!fails && firstWork.getCount() == 1) {
                  firstWork.countDown();
                  try {
                    entered.await(5, TimeUnit.SECONDS);
                    Thread.sleep(500);
                  } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                  }
                }
                queue.enqueue("test.other", "{\"after\":\"" + job.id() + "\"}");
                if (fails) {
                  throw new IllegalStateException("refused " + job.payload());
                }
                return job.id();
              });
        });
    return lane;
  }

  /** Enqueues four jobs {"n":1} to {"n":4} in one batch; returns their ids in that order. */
  List<String> fourJobs() {
    return queue.enqueueAll(
        java.util.stream.IntStream.rangeClosed(1, 4)
            .mapToObj(n -> new NewJob("test.echo", "{\"n\":" + n + "}", JobOptions.defaults()))
            .toList());
  }

  DistributionSummary groups() {
    return meters.get("switchboard.db.group.size").tag("lane", "job test.echo").summary();
  }

  long others() {
    return jdbc.sql("SELECT COUNT(*) FROM jobs WHERE type = 'test.other'")
        .query(Long.class)
        .single();
  }

  @Test
  void jobCommitsWhenJobsRunAtOnceThenTheirWorkSharesCommitsAndEachIsDoneOnce() throws Exception {
    heldLane(List.of());
    worker.start();
    List<String> ids = fourJobs();

    awaitTrue(() -> ids.stream().allMatch(id -> GONE.equals(status(id))));
    // A job thread counts its job once the shared commit has woken it, a moment after the rows.
    awaitTrue(() -> doneCount() == 4.0);

    // Four jobs, fewer commits: the three that waited for the first were written together.
    assertThat(groups().totalAmount()).isEqualTo(4.0);
    assertThat(groups().count()).isEqualTo(2);
    assertThat(others()).isEqualTo(4);
    assertThat(meters.counter("switchboard.jobs", "type", "test.echo", "outcome", "done").count())
        .isEqualTo(4.0);
    assertThat(handler.seen).hasSize(4);
    assertThat(worker.runDue()).isZero();
  }

  @Test
  void jobCommitsWhenOneJobOfAGroupFailsThenTheOthersAreDoneAndOnlyItRunsAgain() throws Exception {
    heldLane(List.of("{\"n\":3}"));
    worker.start();
    List<String> ids = fourJobs();
    String failing = ids.get(2);

    awaitTrue(
        () ->
            meters.counter("switchboard.jobs", "type", "test.echo", "outcome", "retry").count()
                == 1.0);
    awaitTrue(
        () ->
            ids.stream().filter(id -> !id.equals(failing)).allMatch(id -> GONE.equals(status(id))));
    awaitTrue(() -> doneCount() == 3.0);

    // The group holding the failing job was rolled back (its completion and its rows with it) and
    // written again one job at a time: only the failing job's work is missing.
    assertThat(meters.counter("switchboard.db.group.retried", "lane", "job test.echo").count())
        .isEqualTo(1.0);
    assertThat(lastError(failing)).isEqualTo("IllegalStateException: refused {\"n\":3}");
    assertThat(others()).isEqualTo(3);
    assertThat(meters.counter("switchboard.jobs", "type", "test.echo", "outcome", "done").count())
        .isEqualTo(3.0);
    assertThat(meters.counter("switchboard.jobs", "type", "test.echo", "outcome", "retry").count())
        .isEqualTo(1.0);
  }

  @Test
  void batchLaneWhenJobsRunAtOnceThenTheGroupIsHandedWholeInJobIdOrderAndEachIsDoneOnce()
      throws Exception {
    List<List<String>> groupsSeen = new java.util.concurrent.CopyOnWriteArrayList<>();
    CountDownLatch firstWork = new CountDownLatch(1);
    CountDownLatch entered = new CountDownLatch(4);
    JobCommits.Batch<String, String> lane =
        new JobCommits(new GroupCommits(new DataSourceTransactionManager(dataSource), meters, 1))
            .batchLane(
                "test.echo",
                ids -> {
                  groupsSeen.add(List.copyOf(ids));
                  if (firstWork.getCount() == 1) {
                    // Hold the first group until the three other jobs wait for the lane.
                    firstWork.countDown();
                    try {
                      entered.await(5, TimeUnit.SECONDS);
                      Thread.sleep(500);
                    } catch (InterruptedException e) {
                      throw new IllegalStateException(e);
                    }
                  }
                  ids.forEach(id -> queue.enqueue("test.other", "{\"after\":\"" + id + "\"}"));
                  return ids.stream().map(id -> "out:" + id).toList();
                });
    List<String> outputs = new java.util.concurrent.CopyOnWriteArrayList<>();
    handler.behave(
        job -> {
          entered.countDown();
          outputs.add(lane.run(job, job.id()));
        });
    worker.start();
    List<String> ids = fourJobs();

    awaitTrue(() -> ids.stream().allMatch(id -> GONE.equals(status(id))));
    awaitTrue(() -> doneCount() == 4.0 && outputs.size() == 4);

    assertThat(groupsSeen).hasSize(2);
    assertThat(groupsSeen.get(1)).hasSize(3).isSorted();
    assertThat(groupsSeen.stream().flatMap(List::stream)).containsExactlyInAnyOrderElementsOf(ids);
    // Each job got the output of its own input.
    assertThat(outputs)
        .containsExactlyInAnyOrderElementsOf(ids.stream().map(id -> "out:" + id).toList());
    assertThat(others()).isEqualTo(4);
    assertThat(doneCount()).isEqualTo(4.0);
    assertThat(worker.runDue()).isZero();
  }

  @Test
  void yieldsToRequestsWhileARequestIsInFlightThenOneThreadProcessesAndAllRunAfterwards()
      throws Exception {
    AtomicInteger now = new AtomicInteger();
    AtomicInteger mostWhileBusy = new AtomicInteger();
    AtomicInteger batchesWhileBusy = new AtomicInteger();
    Foreground foreground = new Foreground();
    java.util.concurrent.CountDownLatch answer = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.atomic.AtomicBoolean busy =
        new java.util.concurrent.atomic.AtomicBoolean();
    JobHandler yielding =
        new JobHandler() {
          @Override
          public String type() {
            return "test.batch";
          }

          @Override
          public void handle(Job job) {}

          @Override
          public int jobsPerThread() {
            return 2;
          }

          @Override
          public boolean yieldsToRequests() {
            return true;
          }

          @Override
          public List<Exception> handleAll(List<Job> jobs) {
            int running = now.incrementAndGet();
            if (busy.get()) {
              mostWhileBusy.accumulateAndGet(running, Math::max);
              batchesWhileBusy.incrementAndGet();
            }
            try {
              Thread.sleep(20);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            now.decrementAndGet();
            return java.util.Collections.nCopies(jobs.size(), null);
          }
        };
    JobWorker yieldingWorker =
        new JobWorker(
            store,
            List.of(yielding),
            JobWorkerSettings.defaults()
                .withWorkerId("worker-y")
                .withPollInterval(Duration.ofMillis(100)),
            clock,
            signal,
            HALF,
            meters,
            java.util.function.UnaryOperator.identity(),
            List.of(),
            foreground);
    List<String> ids =
        queue.enqueueAll(
            java.util.stream.IntStream.rangeClosed(1, 40)
                .mapToObj(n -> new NewJob("test.batch", "{\"n\":" + n + "}", JobOptions.defaults()))
                .toList());
    // An ingest request in flight until answered.
    busy.set(true);
    Thread request =
        new Thread(
            () ->
                foreground.run(
                    () -> {
                      try {
                        return answer.await(30, java.util.concurrent.TimeUnit.SECONDS);
                      } catch (InterruptedException e) {
                        return false;
                      }
                    }));
    request.start();
    awaitTrue(foreground::busy);
    yieldingWorker.start();
    try {
      // The backlog keeps moving while the request waits, one thread at a time.
      awaitTrue(() -> batchesWhileBusy.get() >= 3);
      assertThat(mostWhileBusy.get()).isEqualTo(1);
      busy.set(false);
      answer.countDown();
      request.join();
      // Then everything left runs, without waiting for a poll.
      awaitTrue(() -> ids.stream().allMatch(id -> GONE.equals(status(id))));
    } finally {
      yieldingWorker.stop();
    }
  }

  /** A handler of {@code test.batch} that runs two jobs per thread and does nothing with them. */
  static JobHandler twoPerThread() {
    return new JobHandler() {
      @Override
      public String type() {
        return "test.batch";
      }

      @Override
      public void handle(Job job) {}

      @Override
      public int jobsPerThread() {
        return 2;
      }
    };
  }

  @Test
  void claimWhenWokenForJobsRunTogetherThenTypesRunAloneAreNotClaimedAgainUntilTheirOwnWakeUp()
      throws Exception {
    ClaimCounter counter = new ClaimCounter(dataSource);
    JobWorker counted =
        new JobWorker(
            new JdbcJobStore(counter.dataSource(), kind()),
            List.of(handler, twoPerThread()),
            JobWorkerSettings.defaults()
                .withWorkerId("worker-c")
                .withPollInterval(Duration.ofSeconds(10)),
            clock,
            signal,
            HALF,
            meters);
    counted.start();
    try {
      awaitTrue(() -> counter.claimsOf("test.batch") >= 1);
      // Each job a wake-up of its own (enqueued, then its thread free again).
      for (int n = 1; n <= 10; n++) {
        String id = queue.enqueue("test.batch", "{\"n\":" + n + "}");
        awaitTrue(() -> GONE.equals(status(id)));
      }
      // Only the claim at start asked for test.echo: nothing woke the worker about it since, and
      // its poll (10 s) has not come.
      assertThat(counter.claimsOf("test.batch")).isGreaterThanOrEqualTo(11);
      assertThat(counter.claimsOf("test.echo")).isEqualTo(1);

      // Its own wake-up claims it at once (well before the poll).
      String echo = queue.enqueue("test.echo", "{}");
      awaitTrue(() -> GONE.equals(status(echo)));
    } finally {
      counted.stop();
    }
  }

  @Test
  void claimWhenAJobRunAloneBecomesDueWithoutAWakeUpThenClaimedWithinAPollWhileOthersWakeTheWorker()
      throws Exception {
    JobWorker polling =
        new JobWorker(
            store,
            List.of(handler, twoPerThread()),
            JobWorkerSettings.defaults()
                .withWorkerId("worker-p")
                .withPollInterval(Duration.ofMillis(300)),
            clock,
            signal,
            HALF,
            meters);
    polling.start();
    try {
      Thread.sleep(100);
      // As another instance enqueues: in the table, no wake-up here.
      store.insert("echo-1", "test.echo", "{}", Optional.empty(), 3, T0, T0);
      long start = System.nanoTime();
      // Meanwhile wake-ups about the other type, more often than the poll.
      while (!GONE.equals(status("echo-1"))) {
        assertThat(System.nanoTime() - start).isLessThan(Duration.ofSeconds(3).toNanos());
        queue.enqueue("test.batch", "{}");
        Thread.sleep(20);
      }
    } finally {
      polling.stop();
    }
  }

  @Test
  void handleAllWhenAHandlerRunsJobsTogetherThenEachOutcomeIsRecordedAsIfRunAlone()
      throws Exception {
    List<List<String>> together = new java.util.concurrent.CopyOnWriteArrayList<>();
    JobCommits.Batch<String, String> lane =
        new JobCommits(new GroupCommits(new DataSourceTransactionManager(dataSource), meters, 1))
            .batchLane(
                "test.batch",
                payloads -> {
                  payloads.forEach(p -> queue.enqueue("test.other", p));
                  return payloads;
                });
    JobHandler batchHandler =
        new JobHandler() {
          @Override
          public String type() {
            return "test.batch";
          }

          @Override
          public void handle(Job job) {
            lane.run(job, job.payload());
          }

          @Override
          public int jobsPerThread() {
            return 8;
          }

          @Override
          public List<Exception> handleAll(List<Job> jobs) {
            together.add(jobs.stream().map(Job::payload).toList());
            List<Job> fine = jobs.stream().filter(j -> !j.payload().equals("{\"n\":3}")).toList();
            lane.runAll(fine, fine.stream().map(Job::payload).toList());
            return jobs.stream()
                .map(
                    j ->
                        j.payload().equals("{\"n\":3}")
                            ? (Exception) new IllegalStateException("refused " + j.payload())
                            : null)
                .toList();
          }
        };
    JobWorker batchWorker = worker("worker-b", batchHandler, handler);
    List<String> ids =
        queue.enqueueAll(
            java.util.stream.IntStream.rangeClosed(1, 12)
                .mapToObj(n -> new NewJob("test.batch", "{\"n\":" + n + "}", JobOptions.defaults()))
                .toList());
    String echo = queue.enqueue("test.echo", "{}");
    String refused = ids.get(2);

    batchWorker.start();
    try {
      awaitTrue(
          () ->
              GONE.equals(status(echo))
                  && ids.stream()
                      .filter(id -> !id.equals(refused))
                      .allMatch(id -> GONE.equals(status(id)))
                  && "ready".equals(status(refused)));
      awaitTrue(
          () ->
              meters.counter("switchboard.jobs", "type", "test.batch", "outcome", "done").count()
                  == 11.0);
    } finally {
      batchWorker.stop();
    }

    // Claimed several to a thread; the one-per-thread type still got a thread of its own.
    assertThat(together).anyMatch(jobs -> jobs.size() > 1);
    assertThat(together.stream().mapToInt(List::size).sum()).isEqualTo(12);
    assertThat(handler.seen).extracting(Job::id).containsExactly(echo);
    assertThat(lastError(refused)).isEqualTo("IllegalStateException: refused {\"n\":3}");
    assertThat(others()).isEqualTo(11);
    assertThat(meters.counter("switchboard.jobs", "type", "test.batch", "outcome", "retry").count())
        .isEqualTo(1.0);
  }

  @Test
  void markAllDoneWhenOneJobIsNoLongerTheWorkersThenOnlyTheOthersAreMarked() {
    fourJobs();
    List<Job> claimed = store.claim("worker-a", List.of("test.echo"), 4, T0, T0.plusSeconds(60));
    assertThat(claimed).hasSize(4);
    // The third job's lease lapsed and another worker took it.
    clock.advance(Duration.ofSeconds(61));
    Job lost = claimed.get(2);
    jdbc.sql("UPDATE jobs SET locked_by = 'worker-b', attempts = 2 WHERE id = :id")
        .param("id", lost.id())
        .update();

    boolean[] marked = store.markAllDone(claimed, "worker-a", clock.instant());

    assertThat(marked).containsExactly(true, true, false, true);
    for (Job job : claimed) {
      assertThat(status(job.id())).isEqualTo(job == lost ? "running" : GONE);
    }
  }

  @Test
  void markDoneInTransactionWhenNotInAWorkersRunThenNothingWritten() {
    TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    String id = queue.enqueue("test.echo", "{}");
    Job job = store.claim("worker-a", List.of("test.echo"), 1, T0, T0.plusSeconds(60)).get(0);

    Boolean marked = tx.execute(st -> JobCompletion.inTransaction(job));
    assertThat(marked).isFalse();
    assertThat(status(id)).isEqualTo("running");
  }

  @Test
  void handleWhenRetryAfterGivenThenRescheduledExactlyThatLate() {
    handler.behave(
        job -> {
          throw JobFailure.retryable("provider busy", Optional.of(Duration.ofSeconds(90)));
        });
    String id = queue.enqueue("test.echo", "{}");

    worker.runDue();

    assertThat(status(id)).isEqualTo("ready");
    assertThat(runAt(id)).isEqualTo(T0.plusSeconds(90));
    assertThat(lastError(id)).isEqualTo("provider busy");
  }

  @Test
  void handleWhenOutboundCallRateLimitedThenRescheduledAfterItsRetryAfter() {
    handler.behave(
        job -> {
          throw new OutboundException(
              "email.sendgrid",
              "POST",
              "api.sendgrid.com",
              429,
              "rate_limited",
              true,
              Optional.of(Duration.ofMinutes(10)),
              Optional.empty(),
              1,
              null,
              null,
              null);
        });
    String id = queue.enqueue("test.echo", "{}");

    worker.runDue();

    assertThat(status(id)).isEqualTo("ready");
    assertThat(runAt(id)).isEqualTo(T0.plus(Duration.ofMinutes(10)));
    assertThat(lastError(id)).contains("email.sendgrid", "HTTP 429");
  }

  @Test
  void handleWhenOutboundCallRejectedThenDeadAtOnce() {
    handler.behave(
        job -> {
          throw new OutboundException(
              "email.sendgrid",
              "POST",
              "api.sendgrid.com",
              400,
              "rejected",
              false,
              Optional.empty(),
              Optional.of("req_1"),
              1,
              "{}",
              null,
              null);
        });
    String id = queue.enqueue("test.echo", "{}");

    worker.runDue();

    assertThat(status(id)).isEqualTo("dead");
    assertThat(handler.seen).hasSize(1);
  }

  @Test
  void handleWhenPermanentFailureThenDeadAtOnceWithItsMessage() {
    handler.behave(
        job -> {
          throw JobFailure.permanent("template 'welcome' does not exist");
        });
    String id = queue.enqueue("test.echo", "{}", JobOptions.defaults().maxAttempts(5));

    worker.runDue();
    clock.advance(Duration.ofDays(1));

    assertThat(worker.runDue()).isZero();
    assertThat(status(id)).isEqualTo("dead");
    assertThat(queue.dead(10))
        .singleElement()
        .satisfies(
            dead -> {
              assertThat(dead.id()).isEqualTo(id);
              assertThat(dead.attempts()).isEqualTo(1);
              assertThat(dead.lastError()).isEqualTo("template 'welcome' does not exist");
              assertThat(dead.finishedAt()).isEqualTo(T0);
            });
    assertThat(queue.stats().total(JobStatus.DEAD)).isEqualTo(1);
  }

  @Test
  void handleWhenDatabaseUnreachableOnLastAttemptThenDeferredWithTheAttemptKept() {
    java.util.concurrent.atomic.AtomicInteger runs =
        new java.util.concurrent.atomic.AtomicInteger();
    handler.behave(
        job -> {
          if (runs.incrementAndGet() == 1) {
            throw new org.springframework.jdbc.CannotGetJdbcConnectionException(
                "Failed to obtain JDBC Connection",
                new java.sql.SQLTransientConnectionException("connection refused", "08001"));
          }
        });
    String id = queue.enqueue("test.echo", "{}", JobOptions.defaults().maxAttempts(1));

    assertThat(worker.runDue()).isEqualTo(1);

    // Not the job's fault: ready again after a few seconds, with its only attempt still unused.
    assertThat(status(id)).isEqualTo("ready");
    assertThat(runAt(id)).isEqualTo(T0.plus(JobRunner.DATABASE_RETRY));
    clock.advance(JobRunner.DATABASE_RETRY);
    assertThat(worker.runDue()).isEqualTo(1);
    assertThat(status(id)).isEqualTo(GONE);
    assertThat(handler.seen).extracting(Job::attempt).containsExactly(1, 1);
    assertThat(
            meters.counter("switchboard.jobs", "type", "test.echo", "outcome", "deferred").count())
        .isEqualTo(1.0);
  }

  @Test
  void handleWhenDatabaseGoesAwayBeforeTheJobIsMarkedDoneThenMarkedOnceItIsBackAndRunOnlyOnce()
      throws Exception {
    java.util.concurrent.atomic.AtomicBoolean down =
        new java.util.concurrent.atomic.AtomicBoolean();
    javax.sql.DataSource outage =
        new org.springframework.jdbc.datasource.DelegatingDataSource(dataSource) {
          @Override
          public java.sql.Connection getConnection() throws java.sql.SQLException {
            if (down.get()) {
              throw new java.sql.SQLTransientConnectionException("connection refused", "08001");
            }
            return super.getConnection();
          }
        };
    JobWorker flaky =
        new JobWorker(
            new JdbcJobStore(outage, kind()),
            List.of(handler),
            JobWorkerSettings.defaults().withWorkerId("worker-b"),
            clock,
            signal,
            HALF,
            meters);
    // The handler's work is done (the mail went out) when the database stops answering; it comes
    // back 1.5 s later.
    handler.behave(
        job -> {
          down.set(true);
          Thread comesBack =
              new Thread(
                  () -> {
                    try {
                      Thread.sleep(1_500);
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                    down.set(false);
                  });
          comesBack.setDaemon(true);
          comesBack.start();
        });
    String id = queue.enqueue("test.echo", "{}");

    assertThat(flaky.runDue()).isEqualTo(1);

    assertThat(status(id)).isEqualTo(GONE);
    assertThat(handler.seen).hasSize(1);
    assertThat(meters.counter("switchboard.jobs", "type", "test.echo", "outcome", "done").count())
        .isEqualTo(1.0);
  }

  /**
   * A database restart can cut the connection after the claim's commit and before its answer: the
   * job is leased to the worker, which does not know it. With the clock standing still the lease
   * never lapses, so the job runs only if the worker hands such leases back itself.
   */
  @Test
  void claimWhenItsAnswerIsLostAfterTheCommitThenTheJobRunsOnceWithoutWaitingForTheLease()
      throws Exception {
    java.util.concurrent.atomic.AtomicBoolean loseNextClaim =
        new java.util.concurrent.atomic.AtomicBoolean(true);
    javax.sql.DataSource lossy =
        new org.springframework.jdbc.datasource.DelegatingDataSource(dataSource) {
          @Override
          public java.sql.Connection getConnection() throws java.sql.SQLException {
            return answerLostAfterClaim(super.getConnection(), loseNextClaim);
          }
        };
    JobWorker lossyWorker =
        new JobWorker(
            new JdbcJobStore(lossy, kind()),
            List.of(handler),
            JobWorkerSettings.defaults()
                .withWorkerId("worker-lossy")
                .withPollInterval(Duration.ofMillis(100)),
            clock,
            signal,
            HALF,
            meters);
    // Keyed, so that its done row keeps the attempts to read.
    String id = queue.enqueue("test.echo", "{}", JobOptions.defaults().dedupeKey("lost-claim"));

    lossyWorker.start();
    try {
      dev.switchboard.testing.Eventually.await(
          "the job done", Duration.ofSeconds(20), () -> "done".equals(status(id)));
    } finally {
      lossyWorker.stop();
    }

    assertThat(loseNextClaim).as("a claim's answer was lost").isFalse();
    assertThat(handler.seen).hasSize(1);
    assertThat(
            jdbc.sql("SELECT attempts FROM jobs WHERE id = :id")
                .param("id", id)
                .query(Integer.class)
                .single())
        .as("the lost claim gave its attempt back")
        .isEqualTo(1);
  }

  /**
   * A connection on which the next claim statement runs (and, in autocommit, commits) and then
   * fails as a broken connection does, before its rows are read.
   */
  static java.sql.Connection answerLostAfterClaim(
      java.sql.Connection real, java.util.concurrent.atomic.AtomicBoolean loseNext) {
    return (java.sql.Connection)
        java.lang.reflect.Proxy.newProxyInstance(
            JobsContract.class.getClassLoader(),
            new Class<?>[] {java.sql.Connection.class},
            (proxy, method, args) -> {
              Object result = invoke(real, method, args);
              if (method.getName().equals("prepareStatement")
                  && ((String) args[0]).contains("SET status = 'running'")) {
                java.sql.PreparedStatement statement = (java.sql.PreparedStatement) result;
                return java.lang.reflect.Proxy.newProxyInstance(
                    JobsContract.class.getClassLoader(),
                    new Class<?>[] {java.sql.PreparedStatement.class},
                    (p, m, a) -> {
                      Object answer = invoke(statement, m, a);
                      if (m.getName().startsWith("execute") && loseNext.getAndSet(false)) {
                        throw new java.sql.SQLException(
                            "An I/O error occurred while sending to the backend", "08006");
                      }
                      return answer;
                    });
              }
              return result;
            });
  }

  private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args)
      throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (java.lang.reflect.InvocationTargetException e) {
      throw e.getCause();
    }
  }

  @Test
  void handleWhenEveryAttemptFailsThenDeadAfterMaxAttemptsWithLastError() {
    handler.behave(
        job -> {
          throw new IllegalStateException("boom #" + job.attempt());
        });
    String id = queue.enqueue("test.echo", "{}", JobOptions.defaults().maxAttempts(3));

    for (int i = 0; i < 5; i++) {
      worker.runDue();
      clock.advance(Duration.ofHours(2));
    }

    assertThat(status(id)).isEqualTo("dead");
    assertThat(lastError(id)).isEqualTo("IllegalStateException: boom #3");
    assertThat(handler.seen).hasSize(3);
    assertThat(meters.counter("switchboard.jobs", "type", "test.echo", "outcome", "dead").count())
        .isEqualTo(1.0);
  }

  @Test
  void claimWhenLeaseExpiredThenAnotherWorkerRunsItAndTheOldHolderCannotFinishIt() {
    String id = queue.enqueue("test.echo", "{}");
    Job lost =
        store.claim("crashed", List.of("test.echo"), 10, T0, T0.plus(Duration.ofMinutes(5))).get(0);

    assertThat(worker.runDue()).isZero();
    clock.advance(Duration.ofMinutes(5).plusSeconds(1));
    assertThat(worker.runDue()).isEqualTo(1);

    assertThat(status(id)).isEqualTo(GONE);
    assertThat(handler.seen)
        .singleElement()
        .satisfies(job -> assertThat(job.attempt()).isEqualTo(2));
    assertThat(store.markDone(lost, "crashed", clock.instant())).isFalse();
    assertThat(store.bury(lost, "crashed", "late", clock.instant())).isFalse();
    assertThat(status(id)).isEqualTo(GONE);
  }

  @Test
  void runWhenJobOutlivesOneThirdOfItsLeaseThenLeaseRenewedAndNobodyElseClaimsIt()
      throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    handler.behave(job -> release.await(10, TimeUnit.SECONDS));
    worker.start();
    String id = queue.enqueue("test.echo", "{}");
    awaitTrue(() -> handler.seen.size() == 1);

    clock.advance(Duration.ofMinutes(2));
    signal.signal();
    awaitTrue(() -> lockedUntil(id).isAfter(T0.plus(Duration.ofMinutes(5))));

    clock.advance(Duration.ofMinutes(4));
    assertThat(worker("worker-b", new RecordingHandler("test.echo")).runDue()).isZero();
    release.countDown();
    awaitTrue(() -> GONE.equals(status(id)));
    assertThat(handler.seen).hasSize(1);
  }

  @Test
  void stopClaimingWhenInstanceBeginsToStopThenQueuedJobsStayForOthersAndTheRunningOneFinishes()
      throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    handler.behave(job -> release.await(10, TimeUnit.SECONDS));
    worker.start();
    String running = queue.enqueue("test.echo", "{\"n\":1}");
    awaitTrue(() -> handler.seen.size() == 1);

    worker.stopClaiming();
    String queued = queue.enqueue("test.echo", "{\"n\":2}");
    signal.signal();
    Thread.sleep(500);
    assertThat(status(queued)).isEqualTo("ready");

    release.countDown();
    awaitTrue(() -> GONE.equals(status(running)));
    worker.stop();
    assertThat(handler.seen).extracting(Job::id).containsExactly(running);
    assertThat(worker("worker-b", new RecordingHandler("test.echo")).runDue()).isOne();
  }

  @Test
  void stopWhenHandlerOutlivesTheShutdownGraceThenItsJobIsReleasedAtOnceWithItsAttempt()
      throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    handler.behave(
        job -> {
          // A handler stuck where an interrupt does not reach (a blocking socket, a busy loop).
          boolean released = false;
          while (!released) {
            try {
              released = release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
              // ignores the interrupt, as such code does
            }
          }
        });
    worker =
        new JobWorker(
            store,
            List.of(handler),
            JobWorkerSettings.defaults()
                .withWorkerId("worker-a")
                .withPollInterval(Duration.ofSeconds(10))
                .withShutdownGrace(Duration.ofMillis(300)),
            clock,
            signal,
            HALF,
            meters);
    worker.start();
    String id = queue.enqueue("test.echo", "{}");
    awaitTrue(() -> handler.seen.size() == 1);

    long started = System.nanoTime();
    try {
      worker.stop();
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      assertThat(took)
          .isLessThan(Duration.ofMillis(300).plus(JobWorker.INTERRUPT_WAIT).plusSeconds(2));
      assertThat(status(id)).isEqualTo("ready");
      assertThat(lastError(id)).isEqualTo("released at shutdown");
      assertThat(runAt(id)).isEqualTo(T0);
      RecordingHandler other = new RecordingHandler("test.echo");
      assertThat(worker("worker-b", other).runDue()).isOne();
      assertThat(other.seen).singleElement().extracting(Job::attempt).isEqualTo(1);
      assertThat(status(id)).isEqualTo(GONE);
    } finally {
      release.countDown();
    }
  }

  Instant lockedUntil(String id) {
    return jdbc.sql("SELECT locked_until FROM jobs WHERE id = :id")
        .param("id", id)
        .query((rs, n) -> rs.getObject(1, OffsetDateTime.class).toInstant())
        .single();
  }

  static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition within 5 s").isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  @Test
  void claimWhenLeaseExpiredOnLastAttemptThenDeadWithoutRunningAgain() {
    String id = queue.enqueue("test.echo", "{}", JobOptions.defaults().maxAttempts(1));
    store.claim("crashed", List.of("test.echo"), 10, T0, T0.plus(Duration.ofMinutes(5)));
    clock.advance(Duration.ofMinutes(6));

    worker.runDue();

    assertThat(status(id)).isEqualTo("dead");
    assertThat(lastError(id)).contains("lease expired");
    assertThat(handler.seen).isEmpty();
  }

  @Test
  void claimWhenTypeHasNoHandlerThenLeftReadyForAnInstanceThatHasOne() {
    String id = queue.enqueue("other.type", "{}");

    assertThat(worker.runDue()).isZero();
    assertThat(status(id)).isEqualTo("ready");
  }

  @Test
  void enqueueWhenRunAtInFutureThenNotRunBefore() {
    String id = queue.enqueue("test.echo", "{}", JobOptions.defaults().runAt(T0.plusSeconds(60)));

    assertThat(worker.runDue()).isZero();
    clock.advance(Duration.ofSeconds(60));
    assertThat(worker.runDue()).isEqualTo(1);
    assertThat(status(id)).isEqualTo(GONE);
  }

  @Test
  void retryDeadWhenDeadThenReadyWithFreshAttempts() {
    handler.behave(
        job -> {
          if (job.attempt() == 1 && handler.seen.size() == 1) {
            throw JobFailure.permanent("fixed later");
          }
        });
    String id = queue.enqueue("test.echo", "{}");
    worker.runDue();
    assertThat(status(id)).isEqualTo("dead");

    assertThat(queue.retryDead(id)).isTrue();
    assertThat(status(id)).isEqualTo("ready");
    assertThat(queue.retryDead(id)).isFalse();
    worker.runDue();

    assertThat(status(id)).isEqualTo(GONE);
    assertThat(handler.seen).extracting(Job::attempt).containsExactly(1, 1);
    assertThat(queue.retryDead(id)).isFalse();
    assertThat(queue.retryDead("no-such-job")).isFalse();
    assertThat(queue.retryDead(null)).isFalse();
    assertThat(status(id)).isEqualTo(GONE);
  }

  @Test
  void enqueueWhenInputInvalidThenRejectedAndNothingInserted() {
    String longType = "t".repeat(JobQueue.MAX_TYPE_LENGTH + 1);
    String longKey = "k".repeat(JobOptions.MAX_DEDUPE_KEY_LENGTH + 1);
    List<Runnable> bad =
        List.of(
            () -> queue.enqueue(null, "{}"),
            () -> queue.enqueue(" ", "{}"),
            () -> queue.enqueue(longType, "{}"),
            () -> queue.enqueue("test.echo", null),
            () -> queue.enqueue("test.echo", ""),
            () -> queue.enqueue("test.echo", "not json"),
            () -> queue.enqueue("test.echo", "{\"open\":"),
            () -> queue.enqueue("test.echo", "{}", JobOptions.defaults().maxAttempts(0)),
            () -> queue.enqueue("test.echo", "{}", JobOptions.defaults().dedupeKey(" ")),
            () -> queue.enqueue("test.echo", "{}", JobOptions.defaults().dedupeKey(longKey)),
            () -> queue.dead(0));
    for (Runnable call : bad) {
      assertThatThrownBy(call::run).isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(rows()).isZero();
  }

  @Test
  void statsWhenJobsWaitPastThresholdThenHealthDegradedWithCounts() throws Exception {
    queue.enqueue("test.echo", "{}");
    queue.enqueue("test.echo", "{}", JobOptions.defaults().runAt(T0.plus(Duration.ofHours(1))));
    queue.enqueue("other.type", "{}");
    JobsHealthCheck health = new JobsHealthCheck(queue, Duration.ofMinutes(5));

    assertThat(health.check().status())
        .isEqualTo(dev.switchboard.platform.integrations.HealthStatus.UP);
    clock.advance(Duration.ofMinutes(7));

    JobStats stats = queue.stats();
    assertThat(stats.count("test.echo", JobStatus.READY)).isEqualTo(2);
    assertThat(stats.count("other.type", JobStatus.READY)).isEqualTo(1);
    assertThat(stats.oldestReadyAge()).contains(Duration.ofMinutes(7));
    assertThat(health.check().status())
        .isEqualTo(dev.switchboard.platform.integrations.HealthStatus.DEGRADED);
    assertThat(health.check().detail()).contains("ready 3", "dead 0", "420 s");
  }

  @Test
  void statsWhenJobDeadThenHealthDegraded() throws Exception {
    handler.behave(
        job -> {
          throw JobFailure.permanent("no");
        });
    queue.enqueue("test.echo", "{}");
    worker.runDue();

    assertThat(new JobsHealthCheck(queue, Duration.ofMinutes(5)).check().detail())
        .contains("dead 1");
    assertThat(new JobsHealthCheck(queue, Duration.ofMinutes(5)).check().status())
        .isEqualTo(dev.switchboard.platform.integrations.HealthStatus.DEGRADED);
  }

  /**
   * The health check and the dead-jobs alert read the stats every interval: they count what waits,
   * runs and died through the indexes, not the done jobs kept until the purge.
   */
  @Test
  void statsWhenThousandsOfDoneJobsKeptThenCountsReadOnlyTheLiveAndDeadOnes() {
    enqueueBacklog("test.history", 5_000);
    jdbc.sql("UPDATE jobs SET status = 'done', finished_at = run_at").update();
    List<String> ids = enqueueBacklog("test.echo", 4);
    List<Job> leased = store.claim("worker-a", List.of("test.echo"), 2, T0, T0.plusSeconds(60));
    assertThat(store.bury(leased.get(0), "worker-a", "gave up", T0)).isTrue();
    if (kind() == DatabaseConfig.Kind.POSTGRESQL) {
      jdbc.sql("ANALYZE jobs").update();
    }

    JobStats stats = queue.stats();
    long read = rowsRead(JdbcJobStore.COUNTS);

    assertThat(ids).hasSize(4);
    assertThat(stats.count("test.echo", JobStatus.READY)).isEqualTo(2);
    assertThat(stats.count("test.echo", JobStatus.RUNNING)).isEqualTo(1);
    assertThat(stats.count("test.echo", JobStatus.DEAD)).isEqualTo(1);
    assertThat(stats.count("test.history", JobStatus.DONE)).isZero();
    assertThat(stats.counts()).doesNotContainKey("test.history");
    System.out.printf("stats rows read on %s with 5,000 done jobs kept: %d%n", kind(), read);
    // Each status's index read stops after its own jobs (and one entry more).
    assertThat(read).isLessThanOrEqualTo(4 + 3);
  }

  @Test
  void runWhenJobCompletesThenKeylessRowDeletedAndKeyedRowKeepsItsKeyTaken() {
    String plain = queue.enqueue("test.echo", "{}");
    String keyed = queue.enqueue("test.echo", "{}", JobOptions.defaults().dedupeKey("evt_kept"));

    assertThat(worker.runDue()).isEqualTo(2);

    assertThat(status(plain)).isEqualTo(GONE);
    assertThat(rows()).isEqualTo(1);
    assertThat(status(keyed)).isEqualTo("done");
    assertThat(
            jdbc.sql(
                    "SELECT COUNT(*) FROM jobs WHERE id = :id AND finished_at IS NOT NULL"
                        + " AND locked_by IS NULL AND locked_until IS NULL")
                .param("id", keyed)
                .query(Long.class)
                .single())
        .isEqualTo(1);
    assertThat(queue.enqueue("test.echo", "{}", JobOptions.defaults().dedupeKey("evt_kept")))
        .isEqualTo(keyed);
    assertThat(rows()).isEqualTo(1);
    assertThat(worker.runDue()).isZero();
    assertThat(doneCount()).isEqualTo(2.0);
  }

  /** A lease that lapsed: the run that replaced it is the one that ends the job, on every path. */
  @Test
  void markDoneWhenLeaseTakenOverThenOnlyTheNewRunEndsTheJob() {
    List<String> ids =
        queue.enqueueAll(
            List.of(
                NewJob.of("test.echo", "{\"n\":1}"),
                NewJob.of("test.echo", "{\"n\":2}"),
                new NewJob("test.echo", "{\"n\":3}", JobOptions.defaults().dedupeKey("evt_3")),
                NewJob.of("test.echo", "{\"n\":4}")));
    Map<String, Job> old =
        byId(store.claim("worker-a", List.of("test.echo"), 4, T0, T0.plusSeconds(60)));
    Instant later = T0.plusSeconds(120);
    Map<String, Job> taken =
        byId(store.claim("worker-b", List.of("test.echo"), 4, later, later.plusSeconds(60)));
    assertThat(old.keySet()).containsExactlyInAnyOrderElementsOf(ids);
    assertThat(taken.keySet()).containsExactlyInAnyOrderElementsOf(ids);

    // The old run of each, alone and as a group (keyless and keyed together), ends nothing.
    assertThat(store.markDone(old.get(ids.get(0)), "worker-a", later)).isFalse();
    assertThat(store.markDone(old.get(ids.get(2)), "worker-a", later)).isFalse();
    assertThat(store.markAllDone(ids.stream().map(old::get).toList(), "worker-a", later))
        .containsExactly(false, false, false, false);
    assertThat(ids).allSatisfy(id -> assertThat(status(id)).isEqualTo("running"));

    // The new run: one job alone, then a group of the other three, keyed in the middle, each
    // answered in the order given.
    assertThat(store.markDone(taken.get(ids.get(3)), "worker-b", later)).isTrue();
    assertThat(
            store.markAllDone(
                List.of(taken.get(ids.get(1)), taken.get(ids.get(2)), taken.get(ids.get(0))),
                "worker-b",
                later))
        .containsExactly(true, true, true);
    assertThat(ids.stream().map(this::status).toList()).containsExactly(GONE, GONE, "done", GONE);
    // A second completion of the same run finds nothing: the row is gone, or no longer leased.
    assertThat(store.markDone(taken.get(ids.get(0)), "worker-b", later)).isFalse();
    assertThat(store.markAllDone(ids.stream().map(taken::get).toList(), "worker-b", later))
        .containsExactly(false, false, false, false);
    assertThat(rows()).isEqualTo(1);
  }

  @Test
  void buryWhenKeylessJobDiesThenRowStaysThroughThePurge() {
    String id = queue.enqueue("test.echo", "{}", JobOptions.defaults().maxAttempts(1));
    Job job = store.claim("worker-a", List.of("test.echo"), 1, T0, T0.plusSeconds(60)).get(0);
    assertThat(store.bury(job, "worker-a", "gave up", T0)).isTrue();

    assertThat(store.markDone(job, "worker-a", T0)).isFalse();
    assertThat(store.markAllDone(List.of(job, job), "worker-a", T0)).containsExactly(false, false);
    assertThat(store.purgeDone(T0.plus(Duration.ofDays(30)))).isZero();
    assertThat(status(id)).isEqualTo("dead");
    assertThat(queue.dead(10)).extracting(DeadJob::id).containsExactly(id);
  }

  private static Map<String, Job> byId(List<Job> jobs) {
    return jobs.stream().collect(Collectors.toMap(Job::id, job -> job));
  }

  @Test
  void purgeWhenDoneJobOlderThanRetentionThenDeletedAndDedupeKeyFree() {
    String id = queue.enqueue("test.echo", "{}", JobOptions.defaults().dedupeKey("once"));
    worker.runDue();
    clock.advance(Duration.ofDays(8));

    assertThat(store.purgeDone(clock.instant().minus(Duration.ofDays(7)))).isEqualTo(1);

    assertThat(queue.enqueue("test.echo", "{}", JobOptions.defaults().dedupeKey("once")))
        .isNotEqualTo(id);
  }

  @Test
  void enqueueWhenCallerTransactionRollsBackThenNoJobAndNoWakeUp() throws Exception {
    TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));

    tx.executeWithoutResult(
        status -> {
          queue.enqueue("test.echo", "{}");
          assertThat(rows()).isEqualTo(1);
          status.setRollbackOnly();
        });

    assertThat(rows()).isZero();
    assertThat(signal.await(Duration.ZERO)).isFalse();
  }

  @Test
  void enqueueWhenCallerTransactionCommitsThenJobExistsAndWorkerWokenAfterCommit()
      throws Exception {
    TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    String existing = queue.enqueue("test.echo", "{}", JobOptions.defaults().dedupeKey("evt_1"));
    signal.await(Duration.ZERO);

    String id =
        tx.execute(
            status -> {
              String created = queue.enqueue("test.echo", "{\"n\":2}");
              // A taken dedupe key must not poison the caller's transaction (PostgreSQL aborts on a
              // failed statement).
              assertThat(queue.enqueue("test.echo", "{}", JobOptions.defaults().dedupeKey("evt_1")))
                  .isEqualTo(existing);
              try {
                assertThat(signal.await(Duration.ZERO)).isFalse();
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
              return created;
            });

    assertThat(status(id)).isEqualTo("ready");
    assertThat(rows()).isEqualTo(2);
    assertThat(signal.await(Duration.ZERO)).isTrue();
  }

  @Test
  void workerWhenTwoHandlersShareATypeThenRefusesToStart() {
    assertThatThrownBy(() -> worker("w", handler, new RecordingHandler("test.echo")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("test.echo");
  }

  @Test
  void enqueueAllWhenManyJobsThenAllStoredInOneCallInOrderAndRunnable() throws Exception {
    List<NewJob> jobs = new java.util.ArrayList<>();
    for (int i = 0; i < 25; i++) {
      jobs.add(NewJob.of("test.echo", "{\"n\":" + i + "}"));
    }

    List<String> ids = queue.enqueueAll(jobs);

    assertThat(ids).hasSize(25).doesNotHaveDuplicates();
    assertThat(rows()).isEqualTo(25);
    assertThat(ids).allSatisfy(id -> assertThat(status(id)).isEqualTo("ready"));
    assertThat(signal.await(Duration.ZERO)).isTrue();
    int ran = 0;
    for (int batch = worker.runDue(); batch > 0; batch = worker.runDue()) {
      ran += batch;
    }
    assertThat(ran).isEqualTo(25);
    assertThat(handler.seen).extracting(Job::id).containsExactlyInAnyOrderElementsOf(ids);
  }

  @Test
  void enqueueAllWhenDedupeKeysTakenOrRepeatedThenIdsOfTheHoldersAndOneRowPerKey() {
    String existing =
        queue.enqueue("test.echo", "{\"n\":0}", JobOptions.defaults().dedupeKey("msg_0"));

    List<String> ids =
        queue.enqueueAll(
            List.of(
                new NewJob("test.echo", "{\"n\":1}", JobOptions.defaults().dedupeKey("msg_0")),
                new NewJob("test.echo", "{\"n\":2}", JobOptions.defaults().dedupeKey("msg_2")),
                new NewJob("test.echo", "{\"n\":3}", JobOptions.defaults().dedupeKey("msg_2")),
                NewJob.of("test.echo", "{\"n\":4}")));

    assertThat(ids.get(0)).isEqualTo(existing);
    assertThat(ids.get(2)).isEqualTo(ids.get(1));
    assertThat(List.of(ids.get(1), ids.get(3))).doesNotContain(existing).doesNotHaveDuplicates();
    assertThat(rows()).isEqualTo(3);
  }

  @Test
  void enqueueAllWhenOneRowFailsInTheDatabaseThenNoneStored() {
    java.util.concurrent.atomic.AtomicInteger calls =
        new java.util.concurrent.atomic.AtomicInteger();
    // The third id is longer than the column: the database refuses that row after accepting two.
    JobQueue failing =
        new JobQueue(
            store,
            clock,
            signal,
            JsonMapper.builder().build(),
            () -> calls.incrementAndGet() == 3 ? "x".repeat(37) : UUID.randomUUID().toString());
    List<NewJob> jobs =
        List.of(
            NewJob.of("test.echo", "{}"),
            NewJob.of("test.echo", "{}"),
            NewJob.of("test.echo", "{}"),
            NewJob.of("test.echo", "{}"));

    assertThatThrownBy(() -> failing.enqueueAll(jobs)).isInstanceOf(RuntimeException.class);

    assertThat(rows()).isZero();
  }

  @Test
  void enqueueAllWhenOneJobInvalidThenIllegalArgumentAndNothingStored() {
    List<NewJob> jobs = List.of(NewJob.of("test.echo", "{}"), NewJob.of("test.echo", "not json"));

    assertThatThrownBy(() -> queue.enqueueAll(jobs))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not valid JSON");

    assertThat(rows()).isZero();
    assertThat(queue.enqueueAll(List.of())).isEmpty();
  }

  @Test
  void enqueueAllWhenCallerTransactionRollsBackThenNoneStored() {
    TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));

    tx.executeWithoutResult(
        status -> {
          queue.enqueueAll(List.of(NewJob.of("test.echo", "{}"), NewJob.of("test.echo", "{}")));
          assertThat(rows()).isEqualTo(2);
          status.setRollbackOnly();
        });

    assertThat(rows()).isZero();
  }

  /**
   * Not a benchmark gate: prints what a 1,000-recipient bulk send costs the queue each way, on this
   * database.
   */
  @Test
  void enqueueAllWhenThousandJobsThenAllStoredAndTimingPrinted() {
    TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    List<NewJob> jobs = new java.util.ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      jobs.add(new NewJob("test.echo", "{\"messageId\":\"msg_" + i + "\"}", JobOptions.defaults()));
    }
    tx.executeWithoutResult(s -> queue.enqueueAll(jobs.subList(0, 50))); // warm-up of both paths
    tx.executeWithoutResult(
        s -> jobs.subList(0, 50).forEach(j -> queue.enqueue(j.type(), j.payloadJson())));

    long oneByOneStart = System.nanoTime();
    tx.executeWithoutResult(
        s -> jobs.forEach(j -> queue.enqueue(j.type(), j.payloadJson(), j.options())));
    long oneByOne = System.nanoTime() - oneByOneStart;
    long batchStart = System.nanoTime();
    tx.executeWithoutResult(s -> queue.enqueueAll(jobs));
    long batch = System.nanoTime() - batchStart;

    assertThat(rows()).isEqualTo(2_100);
    System.out.printf(
        "enqueue 1000 jobs on %s: one by one %d ms, enqueueAll %d ms%n",
        kind(), oneByOne / 1_000_000, batch / 1_000_000);
  }

  /**
   * Jobs enqueued at one instant share a run_at; a claim that broke ties differently on each look
   * at the rows, or that ran its LIMIT subquery more than once, claimed a wrong count.
   */
  @Test
  void claimWhenManyJobsShareOneRunAtThenEachClaimTakesExactlyTheLimitAndEveryJobOnce() {
    List<String> ids = new java.util.ArrayList<>();
    for (int i = 0; i < 60; i++) {
      ids.add(queue.enqueue("test.echo", "{\"n\":" + i + "}"));
    }
    assertThat(jdbc.sql("SELECT COUNT(DISTINCT run_at) FROM jobs").query(Long.class).single())
        .isEqualTo(1);

    List<String> claimedIds = new java.util.ArrayList<>();
    for (int round = 1; round <= 9; round++) {
      List<Job> claimed = store.claim("worker-a", List.of("test.echo"), 7, T0, T0.plusSeconds(60));
      long running =
          jdbc.sql("SELECT COUNT(*) FROM jobs WHERE status = 'running'").query(Long.class).single();
      int expected = Math.min(7, 60 - 7 * (round - 1));
      assertThat(claimed.size() + " returned, " + running + " running")
          .as("round " + round)
          .isEqualTo(expected + " returned, " + Math.min(60, 7 * round) + " running");
      claimed.forEach(job -> claimedIds.add(job.id()));
    }

    assertThat(claimedIds).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ids);
  }

  @Test
  void claimWhenJobsCameInOneBatchThenClaimedInTheBatchsOrder() {
    List<NewJob> jobs = new java.util.ArrayList<>();
    for (int i = 0; i < 30; i++) {
      jobs.add(NewJob.of("test.echo", "{\"n\":" + i + "}"));
    }
    List<String> ids = queue.enqueueAll(jobs);

    for (int from = 0; from < 30; from += 5) {
      List<Job> claimed =
          store.claim("worker-a", List.of("test.echo"), 5, T0.plusSeconds(1), T0.plusSeconds(60));
      assertThat(claimed)
          .extracting(Job::id)
          .as("claim from " + from)
          .containsExactlyInAnyOrderElementsOf(ids.subList(from, from + 5));
    }
  }

  /**
   * A claim reads about as many rows as it may lease, whatever waits of other types: through {@code
   * (status, run_at)} a claim for types with nothing due read every ready job of the others (all
   * 20,000 here), and the worker makes such a claim after every enqueue.
   */
  @Test
  void claimWhenThousandsOfJobsOfAnotherTypeWaitThenRowsReadStayNearTheLimit() {
    enqueueBacklog("test.backlog", 20_000);
    clock.advance(Duration.ofSeconds(1));
    List<String> echoes =
        queue.enqueueAll(
            List.of(
                NewJob.of("test.echo", "{\"n\":1}"),
                NewJob.of("test.echo", "{\"n\":2}"),
                NewJob.of("test.echo", "{\"n\":3}")));
    if (kind() == DatabaseConfig.Kind.POSTGRESQL) {
      jdbc.sql("ANALYZE jobs").update();
    }
    int limit = 5;

    ClaimCost others = claimCost(List.of("test.echo", "test.alert"), limit);
    ClaimCost backlog = claimCost(List.of("test.backlog"), limit);
    ClaimCost both = claimCost(List.of("test.backlog", "test.echo"), limit);

    System.out.printf(
        "claim rows read on %s with 20,000 ready of another type: %d; of the backlog's type: %d;"
            + " of both: %d%n",
        kind(), others.rowsRead(), backlog.rowsRead(), both.rowsRead());
    assertThat(others.leased()).isEqualTo(3);
    assertThat(backlog.leased()).isEqualTo(limit);
    assertThat(both.leased()).isEqualTo(limit);
    assertThat(
            jdbc.sql("SELECT COUNT(*) FROM jobs WHERE status = 'running' AND id IN (:ids)")
                .param("ids", echoes)
                .query(Long.class)
                .single())
        .isEqualTo(3);
    // Each query of a claim (expired leases, then one per type) reads at most its limit and one
    // row more, and the update reads each leased row again by its id.
    assertThat(List.of(others, backlog, both))
        .allSatisfy(
            cost ->
                assertThat(cost.rowsRead()).isLessThanOrEqualTo((cost.types() + 2L) * (limit + 1)));
  }

  /**
   * Only the claim's ready half reads jobs by status first. With {@code (status, locked_until)} and
   * {@code (status, finished_at)} beside {@code (status, type, run_at)}, PostgreSQL planned the
   * ready half through either of them (status the only index condition) when it planned on a table
   * without statistics, and kept the plan for the pooled connection: each claim read and sorted
   * every ready job (27 million index entries in a 20 s webhook burst, 5,000 a claim). Led by their
   * timestamps (V87), they cannot answer a condition on status.
   */
  @Test
  void indexesWhenClaimReadsReadyJobsThenOnlyTheClaimIndexIsLedByStatus() throws SQLException {
    Map<String, String> firstColumns = new HashMap<>();
    try (Connection c = dataSource.getConnection()) {
      for (String table : List.of("jobs", "JOBS")) {
        try (var rs = c.getMetaData().getIndexInfo(null, c.getSchema(), table, false, false)) {
          while (rs.next()) {
            if (rs.getShort("ORDINAL_POSITION") == 1) {
              firstColumns.put(
                  rs.getString("INDEX_NAME").toLowerCase(java.util.Locale.ROOT),
                  rs.getString("COLUMN_NAME").toLowerCase(java.util.Locale.ROOT));
            }
          }
        }
      }
    }

    assertThat(firstColumns).containsEntry("jobs_status_type_run_at", "status");
    if (kind() == DatabaseConfig.Kind.POSTGRESQL) {
      assertThat(firstColumns)
          .containsEntry("jobs_locked_until", "locked_until")
          .containsEntry("jobs_finished_at", "finished_at");
    } else {
      // H2 finds leases and finished jobs through (status, type, run_at) (V93).
      assertThat(firstColumns).doesNotContainKeys("jobs_locked_until", "jobs_finished_at");
    }
    assertThat(firstColumns.entrySet())
        .filteredOn(e -> e.getValue().equals("status"))
        .extracting(Map.Entry::getKey)
        .containsExactly("jobs_status_type_run_at");
  }

  /**
   * The expired-lease half finds leases by {@code locked_until} alone: a finished job, whatever it
   * was, carries none, so it is never claimed again however long ago its run ended.
   */
  @Test
  void claimWhenJobsFinishedLongAgoThenOnlyTheExpiredLeaseIsClaimedAgain() {
    List<String> ids =
        queue.enqueueAll(
            java.util.stream.IntStream.rangeClosed(1, 3)
                .mapToObj(n -> NewJob.of("test.echo", "{\"n\":" + n + "}"))
                .toList());
    List<Job> first = store.claim("worker-a", List.of("test.echo"), 3, T0, T0.plusSeconds(60));
    assertThat(first).hasSize(3);
    Job done = first.stream().filter(j -> j.id().equals(ids.get(0))).findFirst().orElseThrow();
    Job dead = first.stream().filter(j -> j.id().equals(ids.get(1))).findFirst().orElseThrow();
    assertThat(store.markDone(done, "worker-a", T0.plusSeconds(1))).isTrue();
    assertThat(store.bury(dead, "worker-a", "gave up", T0.plusSeconds(1))).isTrue();

    Instant later = T0.plus(Duration.ofDays(2));
    List<Job> again =
        store.claim("worker-b", List.of("test.echo"), 10, later, later.plusSeconds(60));

    assertThat(again).extracting(Job::id).containsExactly(ids.get(2));
    assertThat(status(ids.get(0))).isEqualTo(GONE);
    assertThat(status(ids.get(1))).isEqualTo("dead");
  }

  /** What one claim statement read, from the database's own count (EXPLAIN ANALYZE runs it). */
  record ClaimCost(int types, long rowsRead, int leased) {}

  ClaimCost claimCost(List<String> types, int limit) {
    var params =
        JdbcJobStore.claimParams(
            "worker-a", types, limit, clock.instant(), clock.instant().plusSeconds(60));
    long runningBefore = running();
    long read;
    if (kind() == DatabaseConfig.Kind.H2) {
      String plan =
          String.join(
              "\n",
              jdbc.sql("EXPLAIN ANALYZE " + JdbcJobStore.claimUpdate(types.size()))
                  .paramSource(params)
                  .query(String.class)
                  .list());
      // The plan of the IN (…) subquery is printed twice, first in the primary key's condition
      // (before SET).
      read = h2ScanCounts(plan.substring(0, plan.indexOf("\nSET\n")));
    } else {
      String json =
          jdbc.sql("EXPLAIN (ANALYZE, FORMAT JSON) " + store.claimSql(types.size()))
              .paramSource(params)
              .query(String.class)
              .single();
      read = rowsRead(JsonMapper.builder().build().readTree(json).get(0).get("Plan"));
    }
    return new ClaimCost(types.size(), read, (int) (running() - runningBefore));
  }

  /** Rows a read-only query looked at, from the database's own count (EXPLAIN ANALYZE runs it). */
  long rowsRead(String sql) {
    if (kind() == DatabaseConfig.Kind.H2) {
      return h2ScanCounts(
          String.join("\n", jdbc.sql("EXPLAIN ANALYZE " + sql).query(String.class).list()));
    }
    String json = jdbc.sql("EXPLAIN (ANALYZE, FORMAT JSON) " + sql).query(String.class).single();
    return rowsRead(JsonMapper.builder().build().readTree(json).get(0).get("Plan"));
  }

  /** The rows H2's index scans read, as each prints in {@code EXPLAIN ANALYZE}. */
  static long h2ScanCounts(String plan) {
    long read = 0;
    var scans =
        java.util.regex.Pattern.compile(
                "/\\* public\\.\\w+(:[^*]*)?\\*/\\s*/\\* scanCount: (\\d+) \\*/")
            .matcher(plan);
    while (scans.find()) {
      read += Long.parseLong(scans.group(2));
    }
    return read;
  }

  /** {@code count} ready jobs of a type, enqueued a thousand a batch; their ids in order. */
  List<String> enqueueBacklog(String type, int count) {
    List<String> ids = new java.util.ArrayList<>(count);
    for (int from = 0; from < count; from += 1_000) {
      ids.addAll(
          queue.enqueueAll(
              java.util.stream.IntStream.range(from, Math.min(count, from + 1_000))
                  .mapToObj(n -> NewJob.of(type, "{\"n\":" + n + "}"))
                  .toList()));
    }
    return ids;
  }

  long running() {
    return jdbc.sql("SELECT COUNT(*) FROM jobs WHERE status = 'running'")
        .query(Long.class)
        .single();
  }

  /** Rows the scans under {@code node} looked at: returned plus filtered out, over every loop. */
  static long rowsRead(tools.jackson.databind.JsonNode node) {
    long read = 0;
    String type = node.get("Node Type").asString();
    if (type.endsWith("Scan") && !type.equals("CTE Scan") && !type.equals("Subquery Scan")) {
      read +=
          (node.get("Actual Rows").asLong()
                  + node.path("Rows Removed by Filter").asLong(0)
                  + node.path("Rows Removed by Index Recheck").asLong(0))
              * node.get("Actual Loops").asLong();
    }
    for (var child : node.path("Plans")) {
      read += rowsRead(child);
    }
    return read;
  }
}
