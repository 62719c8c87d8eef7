package dev.switchboard.platform.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.platform.config.DatabaseConfig;
import dev.switchboard.platform.http.ApiException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.DefaultTransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

/** Group commit on a real (in-memory H2) database: shared commits, isolated failures, bounds. */
class GroupCommitTest {

  final DriverManagerDataSource dataSource =
      new DriverManagerDataSource(
          "jdbc:h2:mem:group_" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", "");
  final JdbcClient jdbc = JdbcClient.create(dataSource);
  final AtomicInteger commits = new AtomicInteger();
  final DataSourceTransactionManager transactions =
      new DataSourceTransactionManager(dataSource) {
        @Override
        protected void doCommit(DefaultTransactionStatus status) {
          commits.incrementAndGet();
          super.doCommit(status);
        }
      };
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  final ExecutorService threads = Executors.newFixedThreadPool(12);

  /** Held by the writer of the first group until released: lets the others queue behind it. */
  final CountDownLatch release = new CountDownLatch(1);

  final CountDownLatch firstGroupWriting = new CountDownLatch(1);

  GroupCommitTest() {
    jdbc.sql("CREATE TABLE rows_written (id VARCHAR(20) PRIMARY KEY)").update();
  }

  @AfterEach
  void stop() {
    release.countDown();
    releaseBrief.countDown();
    threads.shutdownNow();
  }

  /** Counted down by each group holding a "slow" input (several groups in flight). */
  final CountDownLatch slowGroupsWriting = new CountDownLatch(2);

  /** Held by the writer of a group holding a "brief" input until released (a second hold). */
  final CountDownLatch releaseBrief = new CountDownLatch(1);

  final CountDownLatch briefGroupWriting = new CountDownLatch(1);

  /** Inserts each input with a plain INSERT (a repeated id violates the primary key). */
  List<String> insert(List<String> ids) {
    for (String id : ids) {
      if (id.startsWith("brief")) {
        briefGroupWriting.countDown();
        await(releaseBrief);
      }
      if (id.startsWith("slow")) {
        firstGroupWriting.countDown();
        slowGroupsWriting.countDown();
        await(release);
      }
      jdbc.sql("INSERT INTO rows_written (id) VALUES (?)").params(id).update();
    }
    return ids.stream().map(id -> "stored " + id).toList();
  }

  /** One group at a time. */
  GroupCommit<String, String> lane(int maxGroup, Duration maxWait) {
    return lane(maxGroup, maxWait, 1);
  }

  /** Another group beside those in flight as soon as one request waits. */
  GroupCommit<String, String> lane(int maxGroup, Duration maxWait, int inFlight) {
    return lane(maxGroup, maxWait, inFlight, 1);
  }

  /** No overlap after a wait unless a test asks for it. */
  GroupCommit<String, String> lane(int maxGroup, Duration maxWait, int inFlight, int minOverlap) {
    return lane(maxGroup, maxWait, inFlight, minOverlap, Duration.ofMinutes(1));
  }

  GroupCommit<String, String> lane(
      int maxGroup, Duration maxWait, int inFlight, int minOverlap, Duration overlapAfter) {
    return new GroupCommit<>(
        "test",
        transactions,
        meters,
        this::insert,
        id -> 1,
        maxGroup,
        true,
        maxWait,
        inFlight,
        minOverlap,
        overlapAfter);
  }

  /** A group of one held in its write until {@link #release}. */
  Future<String> slowGroupWriting(GroupCommit<String, String> lane) throws InterruptedException {
    Future<String> first = threads.submit(() -> lane.write("slow"));
    assertThat(firstGroupWriting.await(5, TimeUnit.SECONDS)).isTrue();
    return first;
  }

  List<String> stored() {
    return jdbc.sql("SELECT id FROM rows_written ORDER BY id").query(String.class).list();
  }

  double groupSizeMax() {
    return meters.get("switchboard.db.group.size").tag("lane", "test").summary().max();
  }

  @Test
  void writeWhenAloneThenWrittenAndCommittedAtOnce() {
    GroupCommit<String, String> lane = lane(256, Duration.ofSeconds(5));

    assertThat(lane.write("a")).isEqualTo("stored a");

    assertThat(stored()).containsExactly("a");
    assertThat(commits).hasValue(1);
    assertThat(groupSizeMax()).isEqualTo(1);
  }

  @Test
  void writeWhenRequestsOverlapThenTheyShareOneCommitAndEachGetsItsOutput() throws Exception {
    GroupCommit<String, String> lane = lane(256, Duration.ofSeconds(5));
    Future<String> first = threads.submit(() -> lane.write("slow"));
    assertThat(firstGroupWriting.await(5, TimeUnit.SECONDS)).isTrue();
    List<Future<String>> others = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      String id = "r" + i;
      others.add(threads.submit(() -> lane.write(id)));
    }
    Thread.sleep(200); // let all eight queue behind the first group

    release.countDown();

    assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo("stored slow");
    for (int i = 0; i < 8; i++) {
      assertThat(others.get(i).get(5, TimeUnit.SECONDS)).isEqualTo("stored r" + i);
    }
    assertThat(stored()).hasSize(9);
    assertThat(commits).as("the first group, then the eight in one").hasValue(2);
    assertThat(groupSizeMax()).isEqualTo(8);
  }

  @Test
  void writeWhenAGroupIsStillBeingWrittenThenTheNextIsWrittenAndCommittedBesideIt()
      throws Exception {
    GroupCommit<String, String> lane = lane(256, Duration.ofSeconds(5), 2);
    Future<String> first = threads.submit(() -> lane.write("slow"));
    assertThat(firstGroupWriting.await(5, TimeUnit.SECONDS)).isTrue();

    // Not behind the held group: written on another connection and committed at once.
    Future<String> second = threads.submit(() -> lane.write("b"));

    assertThat(second.get(5, TimeUnit.SECONDS)).isEqualTo("stored b");
    assertThat(stored()).as("the first group is not committed yet").containsExactly("b");
    assertThat(first).isNotDone();
    release.countDown();
    assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo("stored slow");
    assertThat(stored()).containsExactly("b", "slow");
    assertThat(commits).hasValue(2);
  }

  @Test
  void writeWhenAGroupIsInFlightAndFewerThanMinOverlapWaitThenTheyWaitForItsCommit()
      throws Exception {
    GroupCommit<String, String> lane = lane(256, Duration.ofSeconds(5), 2, 3);
    Future<String> first = slowGroupWriting(lane);
    Future<String> b0 = threads.submit(() -> lane.write("b0"));
    Future<String> b1 = threads.submit(() -> lane.write("b1"));
    Thread.sleep(200);

    // A place is free, but two requests are not worth a transaction of their own beside it.
    assertThat(b0).isNotDone();
    assertThat(b1).isNotDone();
    assertThat(stored()).isEmpty();
    release.countDown();

    assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo("stored slow");
    assertThat(b0.get(5, TimeUnit.SECONDS)).isEqualTo("stored b0");
    assertThat(b1.get(5, TimeUnit.SECONDS)).isEqualTo("stored b1");
    assertThat(commits).hasValue(2);
    assertThat(groupSizeMax()).isEqualTo(2);
  }

  @Test
  void writeWhenAGroupInFlightIsHeldUpLongerThanOverlapAfterThenAFewWaitingAreWrittenBesideIt()
      throws Exception {
    GroupCommit<String, String> lane =
        lane(256, Duration.ofSeconds(5), 2, 3, Duration.ofMillis(300));
    Future<String> first = slowGroupWriting(lane);
    long start = System.nanoTime();
    Future<String> b0 = threads.submit(() -> lane.write("b0"));

    // Fewer than minOverlap, but the held group is not waited for past overlapAfter.
    assertThat(b0.get(5, TimeUnit.SECONDS)).isEqualTo("stored b0");
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(300));
    assertThat(first).isNotDone();
    assertThat(stored()).containsExactly("b0");
    release.countDown();
    assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo("stored slow");
    assertThat(commits).hasValue(2);
  }

  @Test
  void writeWhenAPlaceFreesBesideAHeldUpGroupThenARequestPastOverlapAfterTakesIt()
      throws Exception {
    GroupCommit<String, String> lane =
        lane(256, Duration.ofSeconds(5), 2, 3, Duration.ofMillis(100));
    Future<String> first = slowGroupWriting(lane);
    // Past overlapAfter, "brief" takes the second place and holds it.
    Future<String> brief = threads.submit(() -> lane.write("brief"));
    assertThat(briefGroupWriting.await(5, TimeUnit.SECONDS)).isTrue();
    Future<String> b0 = threads.submit(() -> lane.write("b0"));
    Thread.sleep(300); // b0 is past overlapAfter with no place free

    // brief's writer ends beside the held group and leaves the small queue (waking no one).
    releaseBrief.countDown();
    assertThat(brief.get(5, TimeUnit.SECONDS)).isEqualTo("stored brief");

    // b0 finds the freed place at its next look, not when the held group commits.
    assertThat(b0.get(2, TimeUnit.SECONDS)).isEqualTo("stored b0");
    assertThat(first).isNotDone();
    release.countDown();
    assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo("stored slow");
    assertThat(stored()).containsExactly("b0", "brief", "slow");
  }

  @Test
  void writeWhenTheLaneHasAllItsGroupsInFlightThenOverlapAfterDoesNotAddAnother() throws Exception {
    GroupCommit<String, String> lane =
        lane(256, Duration.ofSeconds(5), 1, 3, Duration.ofMillis(50));
    Future<String> first = slowGroupWriting(lane);
    Future<String> b0 = threads.submit(() -> lane.write("b0"));
    Thread.sleep(300);

    assertThat(b0).as("no place free beside the held group").isNotDone();
    assertThat(stored()).isEmpty();
    release.countDown();
    assertThat(b0.get(5, TimeUnit.SECONDS)).isEqualTo("stored b0");
    assertThat(commits).hasValue(2);
  }

  @Test
  void writeWhenMinOverlapRequestsWaitBehindAGroupInFlightThenTheyAreWrittenBesideIt()
      throws Exception {
    GroupCommit<String, String> lane = lane(256, Duration.ofSeconds(5), 2, 3);
    Future<String> first = slowGroupWriting(lane);
    List<Future<String>> waiting = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String id = "b" + i;
      waiting.add(threads.submit(() -> lane.write(id)));
    }

    for (int i = 0; i < 3; i++) {
      assertThat(waiting.get(i).get(5, TimeUnit.SECONDS)).isEqualTo("stored b" + i);
    }
    assertThat(first).isNotDone();
    assertThat(stored()).containsExactly("b0", "b1", "b2");
    release.countDown();
    assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo("stored slow");
    assertThat(commits).hasValue(2);
  }

  @Test
  void writeWhenTheLaneHasAllItsGroupsInFlightThenTheNextWaitsForOneToCommit() throws Exception {
    GroupCommit<String, String> lane = lane(256, Duration.ofSeconds(5), 2);
    Future<String> first = threads.submit(() -> lane.write("slow1"));
    Future<String> second = threads.submit(() -> lane.write("slow2"));
    assertThat(slowGroupsWriting.await(5, TimeUnit.SECONDS)).isTrue();
    List<Future<String>> queued = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String id = "q" + i;
      queued.add(threads.submit(() -> lane.write(id)));
    }
    Thread.sleep(200);

    assertThat(queued).noneMatch(Future::isDone);
    assertThat(stored()).isEmpty();
    release.countDown();

    assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo("stored slow1");
    assertThat(second.get(5, TimeUnit.SECONDS)).isEqualTo("stored slow2");
    for (int i = 0; i < 5; i++) {
      assertThat(queued.get(i).get(5, TimeUnit.SECONDS)).isEqualTo("stored q" + i);
    }
    assertThat(stored()).hasSize(7);
    // The five waited together; the two places freed at once may share them out.
    assertThat(commits.get()).isBetween(3, 4);
    assertThat(groupSizeMax()).isGreaterThanOrEqualTo(3);
  }

  @Test
  void writeWhenManyRequestsRaceThroughSeveralGroupsInFlightThenEachIsWrittenOnceAndAnswered()
      throws Exception {
    // Small groups and many handovers: a place handed to a request is never lost or doubled.
    GroupCommit<String, String> lane = lane(4, Duration.ofSeconds(30), 3);
    List<Future<List<String>>> callers = new ArrayList<>();
    for (int t = 0; t < 12; t++) {
      int caller = t;
      callers.add(
          threads.submit(
              () -> {
                List<String> answers = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                  answers.add(lane.write("c" + caller + "-" + i));
                }
                return answers;
              }));
    }

    for (int t = 0; t < 12; t++) {
      List<String> answers = callers.get(t).get(60, TimeUnit.SECONDS);
      for (int i = 0; i < 50; i++) {
        assertThat(answers.get(i)).isEqualTo("stored c" + t + "-" + i);
      }
    }
    assertThat(stored()).hasSize(600).doesNotHaveDuplicates();
    assertThat(groupSizeMax()).isLessThanOrEqualTo(4);
    assertThat(commits.get()).isLessThanOrEqualTo(600);
  }

  @Test
  void inFlightWhenPostgresqlThenAThirdOfThePoolUpToFourAndOnH2OneGroupAtATime() {
    assertThat(GroupCommits.inFlight(DatabaseConfig.Kind.POSTGRESQL, 10)).isEqualTo(3);
    assertThat(GroupCommits.inFlight(DatabaseConfig.Kind.POSTGRESQL, 2)).isEqualTo(1);
    assertThat(GroupCommits.inFlight(DatabaseConfig.Kind.POSTGRESQL, 100)).isEqualTo(4);
    assertThat(GroupCommits.inFlight(DatabaseConfig.Kind.H2, 100)).isEqualTo(1);
  }

  @Test
  void writeWhenOneInputOfAGroupFailsThenOnlyThatRequestFails() throws Exception {
    jdbc.sql("INSERT INTO rows_written (id) VALUES ('taken')").update();
    GroupCommit<String, String> lane = lane(256, Duration.ofSeconds(5));
    Future<String> first = threads.submit(() -> lane.write("slow"));
    assertThat(firstGroupWriting.await(5, TimeUnit.SECONDS)).isTrue();
    Future<String> before = threads.submit(() -> lane.write("b1"));
    Future<String> failing = threads.submit(() -> lane.write("taken"));
    Future<String> after = threads.submit(() -> lane.write("b2"));
    Thread.sleep(200);

    release.countDown();

    assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo("stored slow");
    assertThat(before.get(5, TimeUnit.SECONDS)).isEqualTo("stored b1");
    assertThat(after.get(5, TimeUnit.SECONDS)).isEqualTo("stored b2");
    assertThatThrownBy(() -> failing.get(5, TimeUnit.SECONDS))
        .hasCauseInstanceOf(DuplicateKeyException.class);
    assertThat(stored()).containsExactly("b1", "b2", "slow", "taken");
    assertThat(meters.get("switchboard.db.group.retried").tag("lane", "test").counter().count())
        .isEqualTo(1);
  }

  @Test
  void writeWhenTheCallerIsInATransactionThenJoinsItAndRollsBackWithIt() {
    GroupCommit<String, String> lane = lane(256, Duration.ofSeconds(5));

    new TransactionTemplate(transactions)
        .executeWithoutResult(
            status -> {
              assertThat(lane.write("joined")).isEqualTo("stored joined");
              status.setRollbackOnly();
            });

    assertThat(stored()).isEmpty();
  }

  @Test
  void writeWhenTheLaneHasItsOwnTransactionThenCommitsEvenIfTheCallerRollsBack() {
    GroupCommit<String, String> lane =
        GroupCommits.of(transactions).ownTransactionLane("own", this::insert, id -> 1, 10);

    new TransactionTemplate(transactions)
        .executeWithoutResult(
            status -> {
              lane.write("own");
              status.setRollbackOnly();
            });

    assertThat(stored()).containsExactly("own");
  }

  @Test
  void writeWhenTheQueueStaysFullThenRefusedWith503AndNothingWritten() throws Exception {
    GroupCommit<String, String> lane = lane(1, Duration.ofMillis(300));
    Future<String> first = threads.submit(() -> lane.write("slow"));
    assertThat(firstGroupWriting.await(5, TimeUnit.SECONDS)).isTrue();
    List<Future<String>> queued = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      String id = "q" + i;
      queued.add(threads.submit(() -> lane.write(id)));
    }
    Thread.sleep(100);

    assertThatThrownBy(() -> lane.write("refused"))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(503);
              assertThat(e.code()).isEqualTo("database_busy");
            });
    release.countDown();
    first.get(5, TimeUnit.SECONDS);
    int written = 0;
    for (Future<String> f : queued) {
      try {
        f.get(5, TimeUnit.SECONDS);
        written++;
      } catch (java.util.concurrent.ExecutionException e) {
        assertThat(e.getCause()).isInstanceOf(ApiException.class);
      }
    }
    assertThat(stored()).doesNotContain("refused").hasSize(1 + written);
    assertThat(meters.get("switchboard.db.group.refused").tag("lane", "test").counter().count())
        .isGreaterThanOrEqualTo(1);
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
}
