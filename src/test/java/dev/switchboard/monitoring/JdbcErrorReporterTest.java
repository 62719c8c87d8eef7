package dev.switchboard.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.platform.config.SecretScrubber;
import dev.switchboard.testing.Eventually;
import dev.switchboard.testing.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JdbcErrorReporterTest {

  final ManualClock clock = new ManualClock(Instant.parse("2026-03-01T10:00:00Z"));
  final BreadcrumbTrail trail = new BreadcrumbTrail(clock, SecretScrubber.of(List.of()));
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  final GatedStore store = new GatedStore();
  JdbcErrorReporter reporter;

  @AfterEach
  void tearDown() {
    store.open.countDown();
    if (reporter != null) {
      reporter.close();
    }
  }

  @Test
  void reportWhenStoreBlocksThenCallerReturnsAtOnceAndReportsAreWrittenInOrderOnceItRecovers()
      throws Exception {
    reporter = reporter(10);

    long started = System.nanoTime();
    for (int i = 1; i <= 5; i++) {
      reporter.report(
          new IllegalStateException("failure " + i), ErrorContext.task("test", "run_" + i));
    }
    long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    assertThat(store.entered.await(10, TimeUnit.SECONDS)).isTrue();

    assertThat(tookMillis).isLessThan(1_000);
    assertThat(store.written).isEmpty();
    store.open.countDown();
    reporter.flush(Duration.ofSeconds(10));
    assertThat(store.written).containsExactly("run_1", "run_2", "run_3", "run_4", "run_5");
  }

  @Test
  void reportWhenQueueIsFullThenOldestDroppedCountedAndCallerNeverBlocks() throws Exception {
    reporter = reporter(3);
    reporter.report(
        new IllegalStateException("held by the writer"), ErrorContext.task("test", "run_0"));
    assertThat(store.entered.await(10, TimeUnit.SECONDS)).isTrue();

    for (int i = 1; i <= 5; i++) {
      reporter.report(
          new IllegalStateException("failure " + i), ErrorContext.task("test", "run_" + i));
    }

    assertThat(reporter.overflowed()).isEqualTo(2);
    assertThat(meters.counter("switchboard.errors.dropped", "reason", "overflow").count())
        .isEqualTo(2.0);
    store.open.countDown();
    reporter.flush(Duration.ofSeconds(10));
    assertThat(store.written).containsExactly("run_0", "run_3", "run_4", "run_5");
  }

  @Test
  void reportWhenWriteFailsThenRetriedAndWrittenOnceTheStoreAnswers() {
    store.open.countDown();
    store.failuresLeft.set(JdbcErrorReporter.WRITE_ATTEMPTS - 1);
    reporter = reporter(10);

    reporter.report(new IllegalStateException("database blip"), ErrorContext.task("test", "run_1"));
    reporter.flush(Duration.ofSeconds(10));

    assertThat(store.written).containsExactly("run_1");
    assertThat(meters.counter("switchboard.errors.dropped", "reason", "failed").count()).isZero();
  }

  @Test
  void reportWhenDatabaseAwayLongerThanTheAttemptsThenKeptAndWrittenInOrderOnceItIsBack() {
    store.open.countDown();
    store.failuresLeft.set(
        4 * JdbcErrorReporter.WRITE_ATTEMPTS); // the table does not answer either meanwhile
    reporter = reporter(10);

    reporter.report(
        new IllegalStateException("during the outage"), ErrorContext.task("test", "run_1"));
    reporter.report(
        new IllegalStateException("also during it"), ErrorContext.task("test", "run_2"));
    reporter.flush(Duration.ofSeconds(20));

    assertThat(store.written).containsExactly("run_1", "run_2");
    assertThat(meters.counter("switchboard.errors.dropped", "reason", "failed").count()).isZero();
  }

  @Test
  void reportWhenReporterClosedThenDroppedAndCountedNotQueued() throws Exception {
    store.open.countDown();
    reporter = reporter(10);
    reporter.close();

    reporter.report(
        new IllegalStateException("after shutdown"), ErrorContext.task("test", "run_1"));
    Thread.sleep(100);

    assertThat(reporter.droppedAfterClose()).isEqualTo(1);
    assertThat(meters.counter("switchboard.errors.dropped", "reason", "closed").count())
        .isEqualTo(1.0);
    assertThat(store.written).isEmpty();
  }

  @Test
  void reportWhenDatabaseAnswersButRefusesTheReportThenDroppedCountedAndNextReportStillWritten() {
    store.open.countDown();
    store.refused.add("run_1");
    reporter = reporter(10);

    reporter.report(new IllegalStateException("poison"), ErrorContext.task("test", "run_1"));
    reporter.report(new IllegalStateException("fine"), ErrorContext.task("test", "run_2"));
    reporter.flush(Duration.ofSeconds(10));

    assertThat(store.written).containsExactly("run_2");
    assertThat(meters.counter("switchboard.errors.dropped", "reason", "failed").count())
        .isEqualTo(1.0);
  }

  @Test
  void closeWhenReportsQueuedThenWritesThemBeforeStopping() {
    reporter = reporter(10);
    reporter.report(new IllegalStateException("late"), ErrorContext.task("test", "run_1"));
    reporter.report(new IllegalStateException("later"), ErrorContext.task("test", "run_2"));
    Eventually.await(
        "writer holds the first report",
        Duration.ofSeconds(10),
        () -> store.entered.getCount() == 0);

    store.open.countDown();
    reporter.close();

    assertThat(store.written).containsExactly("run_1", "run_2");
  }

  @Test
  void reportWhenBreadcrumbsRecordedThenReportKeepsTheCallersTrailNotTheWriters() {
    store.open.countDown();
    reporter = reporter(10);

    reporter.breadcrumb("http", "POST api.example/v1/send → 500", null);
    reporter.report(new IllegalStateException("boom"), ErrorContext.task("test", "run_1"));
    reporter.flush(Duration.ofSeconds(10));

    assertThat(store.occurrences.get(0).breadcrumbs())
        .extracting(Breadcrumb::message)
        .containsExactly("POST api.example/v1/send → 500");
  }

  private JdbcErrorReporter reporter(int capacity) {
    return new JdbcErrorReporter(
        store, SecretScrubber.of(List.of()), trail, clock, capacity, meters, Duration.ofMillis(10));
  }

  /** A store whose writes wait until the test opens it, as with a database that does not answer. */
  static final class GatedStore implements ErrorStore {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch open = new CountDownLatch(1);

    /**
     * Writes that fail before the next one works; meanwhile {@link #count} fails too, as with the
     * database away.
     */
    final AtomicInteger failuresLeft = new AtomicInteger();

    /** Request ids of reports this store refuses every time, while it otherwise answers. */
    final List<String> refused = new CopyOnWriteArrayList<>();

    final List<String> written = new CopyOnWriteArrayList<>();
    final List<ErrorOccurrence> occurrences = new CopyOnWriteArrayList<>();

    @Override
    public void record(ErrorOccurrence occurrence) {
      entered.countDown();
      try {
        open.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (failuresLeft.getAndDecrement() > 0) {
        throw new IllegalStateException("connection is not available");
      }
      if (refused.contains(occurrence.context().requestId())) {
        throw new IllegalStateException("value too long for column");
      }
      written.add(occurrence.context().requestId());
      occurrences.add(occurrence);
    }

    @Override
    public ErrorPage page(int limit, int offset) {
      throw new UnsupportedOperationException();
    }

    @Override
    public long count() {
      if (failuresLeft.get() > 0) {
        throw new IllegalStateException("connection is not available");
      }
      return written.size();
    }

    @Override
    public String userHashSalt() {
      return "salt";
    }
  }
}
