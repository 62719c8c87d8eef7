package dev.switchboard.platform.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.switchboard.platform.config.DatabaseConfig;
import dev.switchboard.testing.Eventually;
import dev.switchboard.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Job listeners on a started one-thread worker (H2): told around every job on the thread that runs
 * it, and a listener that throws, even an {@link Error}, neither fails the job nor keeps the other
 * listeners from being told.
 */
class JobListenerIT {

  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  HikariDataSource dataSource;
  JdbcJobStore store;
  ManualClock clock;
  JobSignal signal;
  JobQueue queue;
  JobWorker worker;
  final List<String> events = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() {
    dataSource = new HikariDataSource();
    dataSource.setJdbcUrl(
        "jdbc:h2:mem:listeners_"
            + UUID.randomUUID().toString().replace("-", "")
            + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1");
    dataSource.setUsername("sa");
    Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
    store = new JdbcJobStore(dataSource, DatabaseConfig.Kind.H2);
    clock = new ManualClock(T0);
    signal = new JobSignal();
    queue =
        new JobQueue(
            store, clock, signal, JsonMapper.builder().build(), () -> UUID.randomUUID().toString());
  }

  @AfterEach
  void tearDown() {
    if (worker != null) {
      worker.stop();
    }
    dataSource.close();
  }

  @Test
  void runWhenHandlerThrowsThenListenersToldBeforeAndAfterOnTheJobsThread() {
    JobListener recording =
        new JobListener() {
          @Override
          public void beforeJob(Job job) {
            events.add("before " + job.type() + " on " + Thread.currentThread().getName());
          }

          @Override
          public void afterJob(Job job) {
            events.add("after " + job.type() + " on " + Thread.currentThread().getName());
          }
        };
    JobListener broken =
        new JobListener() {
          @Override
          public void beforeJob(Job job) {
            throw new IllegalStateException("listener bug");
          }

          @Override
          public void afterJob(Job job) {
            throw new IllegalStateException("listener bug");
          }
        };
    JobHandler failing =
        handler(
            "test.fails",
            job -> {
              events.add("handle on " + Thread.currentThread().getName());
              throw JobFailure.permanent("provider said no");
            });
    worker = start(List.of(failing), List.of(broken, recording));

    String id = queue.enqueue("test.fails", "{}");

    Eventually.await("job buried", Duration.ofSeconds(20), () -> events.size() == 3);
    String thread = events.get(1).substring("handle on ".length());
    assertThat(events)
        .containsExactly(
            "before test.fails on " + thread,
            "handle on " + thread,
            "after test.fails on " + thread);
    assertThat(queue.dead(10)).extracting(DeadJob::id).containsExactly(id);
  }

  @Test
  void runWhenListenerThrowsAnErrorThenHandlerStillRunsAfterJobToldAndJobDone() {
    JobListener linkageBroken =
        new JobListener() {
          @Override
          public void beforeJob(Job job) {
            throw new NoClassDefFoundError("dev/example/Missing");
          }

          @Override
          public void afterJob(Job job) {
            throw new AssertionError("listener bug");
          }
        };
    JobListener recording =
        new JobListener() {
          @Override
          public void beforeJob(Job job) {
            events.add("before " + job.type());
          }

          @Override
          public void afterJob(Job job) {
            events.add("after " + job.type());
          }
        };
    JobHandler fine = handler("test.fine", job -> events.add("handle " + job.type()));
    worker = start(List.of(fine), List.of(linkageBroken, recording));

    String id = queue.enqueue("test.fine", "{}");

    Eventually.await("job finished", Duration.ofSeconds(20), () -> events.size() == 3);
    assertThat(events).containsExactly("before test.fine", "handle test.fine", "after test.fine");
    // Done without a dedupe key: its row deleted.
    Eventually.await(
        "job done",
        Duration.ofSeconds(10),
        () ->
            JdbcClient.create(dataSource)
                    .sql("SELECT COUNT(*) FROM jobs WHERE id = ?")
                    .param(id)
                    .query(Long.class)
                    .single()
                == 0);
  }

  private JobWorker start(List<JobHandler> handlers, List<JobListener> listeners) {
    JobWorkerSettings settings =
        JobWorkerSettings.defaults().withBatch(10, 1).withPollInterval(Duration.ofMillis(200));
    JobWorker started =
        new JobWorker(
            store,
            handlers,
            settings,
            clock,
            signal,
            JobsContract.HALF,
            null,
            UnaryOperator.identity(),
            listeners);
    started.start();
    return started;
  }

  interface Body {
    void run(Job job) throws Exception;
  }

  private static JobHandler handler(String type, Body body) {
    return new JobHandler() {
      @Override
      public String type() {
        return type;
      }

      @Override
      public void handle(Job job) throws Exception {
        body.run(job);
      }
    };
  }
}
