package dev.switchboard.platform.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.switchboard.monitoring.Breadcrumb;
import dev.switchboard.monitoring.BreadcrumbTrail;
import dev.switchboard.monitoring.ErrorContext;
import dev.switchboard.monitoring.ErrorOccurrence;
import dev.switchboard.monitoring.ErrorPage;
import dev.switchboard.monitoring.ErrorStore;
import dev.switchboard.monitoring.JdbcErrorReporter;
import dev.switchboard.monitoring.JobErrorContext;
import dev.switchboard.platform.config.DatabaseConfig;
import dev.switchboard.platform.config.SecretScrubber;
import dev.switchboard.testing.Eventually;
import dev.switchboard.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * Job listeners on a started one-thread worker (H2): told around every job on the thread that runs it, and, with
 * error monitoring's listener, one job's breadcrumbs never reach the error report of the next job on that thread.
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
  final List<ErrorOccurrence> reports = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() {
    dataSource = new HikariDataSource();
    dataSource.setJdbcUrl("jdbc:h2:mem:listeners_" + UUID.randomUUID().toString().replace("-", "")
        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1");
    dataSource.setUsername("sa");
    Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
    store = new JdbcJobStore(dataSource, DatabaseConfig.Kind.H2);
    clock = new ManualClock(T0);
    signal = new JobSignal();
    queue = new JobQueue(store, clock, signal, JsonMapper.builder().build(), () -> UUID.randomUUID().toString());
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
    JobListener recording = new JobListener() {
      @Override
      public void beforeJob(Job job) {
        events.add("before " + job.type() + " on " + Thread.currentThread().getName());
      }

      @Override
      public void afterJob(Job job) {
        events.add("after " + job.type() + " on " + Thread.currentThread().getName());
      }
    };
    JobListener broken = new JobListener() {
      @Override
      public void beforeJob(Job job) {
        throw new IllegalStateException("listener bug");
      }

      @Override
      public void afterJob(Job job) {
        throw new IllegalStateException("listener bug");
      }
    };
    JobHandler failing = handler("test.fails", job -> {
      events.add("handle on " + Thread.currentThread().getName());
      throw JobFailure.permanent("provider said no");
    });
    worker = start(List.of(failing), List.of(broken, recording));

    String id = queue.enqueue("test.fails", "{}");

    Eventually.await("job buried", Duration.ofSeconds(20), () -> events.size() == 3);
    String thread = events.get(1).substring("handle on ".length());
    assertThat(events).containsExactly("before test.fails on " + thread, "handle on " + thread,
        "after test.fails on " + thread);
    assertThat(queue.dead(10)).extracting(DeadJob::id).containsExactly(id);
  }

  @Test
  void errorReportWhenSecondJobOnSameThreadThenCarriesNoneOfTheFirstJobsBreadcrumbs() {
    BreadcrumbTrail trail = new BreadcrumbTrail(clock, SecretScrubber.of(List.of()));
    JdbcErrorReporter reporter = new JdbcErrorReporter(recordingStore(), SecretScrubber.of(List.of()), trail, clock);
    JobHandler first = handler("test.first", job -> {
      events.add(Thread.currentThread().getName());
      reporter.breadcrumb("http", "POST api.first.example/v1/charges → 200", Map.of("integration", "first"));
    });
    JobHandler second = handler("test.second", job -> {
      events.add(Thread.currentThread().getName());
      reporter.breadcrumb("http", "POST api.second.example/v1/send → 500", Map.of("integration", "second"));
      reporter.report(new IllegalStateException("second failed"), ErrorContext.task(job.type(), job.id()));
    });
    worker = start(List.of(first, second), List.of(new JobErrorContext(trail)));

    queue.enqueue("test.first", "{}");
    Eventually.await("first job ran", Duration.ofSeconds(20), () -> events.size() == 1);
    queue.enqueue("test.second", "{}");
    Eventually.await("second job ran", Duration.ofSeconds(20), () -> events.size() == 2);
    reporter.flush(Duration.ofSeconds(10));

    assertThat(events.get(1)).isEqualTo(events.get(0));
    assertThat(reports).hasSize(1);
    assertThat(reports.get(0).breadcrumbs()).extracting(Breadcrumb::message)
        .containsExactly("POST api.second.example/v1/send → 500");
  }

  private JobWorker start(List<JobHandler> handlers, List<JobListener> listeners) {
    JobWorkerSettings settings = JobWorkerSettings.defaults().withBatch(10, 1).withPollInterval(Duration.ofMillis(200));
    JobWorker started = new JobWorker(store, handlers, settings, clock, signal, JobsContract.HALF, null,
        UnaryOperator.identity(), listeners);
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

  private ErrorStore recordingStore() {
    return new ErrorStore() {
      @Override
      public void record(ErrorOccurrence occurrence) {
        reports.add(occurrence);
      }

      @Override
      public ErrorPage page(int limit, int offset) {
        throw new UnsupportedOperationException();
      }

      @Override
      public long count() {
        return reports.size();
      }

      @Override
      public String userHashSalt() {
        return "salt";
      }
    };
  }
}
