package dev.switchboard.platform.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Field;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

class DurableCommitsTest {

  @TempDir Path dir;

  DurableCommits durable() throws Exception {
    DurableCommits ds =
        new DurableCommits(
            new DriverManagerDataSource(
                "jdbc:h2:file:" + dir.resolve("db") + ";WRITE_DELAY=10", "sa", ""));
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      s.execute("create table t(id int primary key)");
    }
    return ds;
  }

  @Test
  void commitWhenTheTransactionWroteThenWaitsForAStoreWrite() throws Exception {
    DurableCommits ds = durable();
    long before = ds.storeWrites();
    DurableCommits.answering(() -> insert(ds, 1));
    assertThat(ds.storeWrites()).isEqualTo(before + 1);
  }

  @Test
  void commitWhenNotAnsweringAClientThenLeavesTheWriteToH2() throws Exception {
    DurableCommits ds = durable();
    long before = ds.storeWrites();
    insert(ds, 3);
    assertThat(ds.storeWrites()).as("a job or schedule commit does not wait").isEqualTo(before);
  }

  static void insert(DurableCommits ds, int id) throws Exception {
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try (var p = c.prepareStatement("insert into t values (?)")) {
        p.setInt(1, id);
        p.executeUpdate();
      }
      c.commit();
    }
  }

  @Test
  void commitWhenTheTransactionOnlyReadThenDoesNotWait() throws Exception {
    DurableCommits ds = durable();
    long before = ds.storeWrites();
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement();
          ResultSet r = s.executeQuery("select count(*) from t")) {
        r.next();
      }
      c.commit();
    }
    assertThat(ds.storeWrites()).isEqualTo(before);
  }

  @Test
  void commitWhenRolledBackThenNextReadOnlyCommitDoesNotWait() throws Exception {
    DurableCommits ds = durable();
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.executeUpdate("insert into t values (7)");
      }
      c.rollback();
      long before = ds.storeWrites();
      c.commit();
      assertThat(ds.storeWrites()).isEqualTo(before);
    }
  }

  @Test
  void autoCommitWriteWhenExecutedThenWaitsForAStoreWrite() throws Exception {
    DurableCommits ds = durable();
    long before = ds.storeWrites();
    DurableCommits.answering(
        () -> {
          try (Connection c = ds.getConnection();
              Statement s = c.createStatement()) {
            s.executeUpdate("insert into t values (2)");
          }
        });
    assertThat(ds.storeWrites()).isEqualTo(before + 1);
  }

  @Test
  void commitsWhenConcurrentThenShareStoreWrites() throws Exception {
    DurableCommits ds = durable();
    long writesBefore = ds.storeWrites();
    long commitsBefore = ds.flushedCommits();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Callable<Void>> work = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      int base = 1000 * (t + 1);
      work.add(
          () -> {
            DurableCommits.answering(
                () -> {
                  try (Connection c = ds.getConnection()) {
                    c.setAutoCommit(false);
                    for (int i = 0; i < 100; i++) {
                      try (var p = c.prepareStatement("insert into t values (?)")) {
                        p.setInt(1, base + i);
                        p.executeUpdate();
                      }
                      c.commit();
                    }
                  }
                });
            return null;
          });
    }
    for (Future<Void> f : pool.invokeAll(work)) {
      f.get();
    }
    pool.shutdown();
    long commits = ds.flushedCommits() - commitsBefore;
    long writes = ds.storeWrites() - writesBefore;
    assertThat(commits).isEqualTo(800);
    assertThat(writes).as("store writes shared by concurrent commits").isLessThan(commits);
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("select count(*) from t")) {
      r.next();
      assertThat(r.getInt(1)).isEqualTo(800);
    }
  }

  /**
   * H2's background writer commits the store without waiting for the file write: it serialises what
   * is committed and queues the write on H2's save thread, and a store commit asked for after that
   * finds nothing unsaved. Here that queued write is held (a task ahead of it on the save thread,
   * as a slow disk would): a commit that must be in the file waits for it. Before, the answer went
   * out at once, and a kill in that moment lost 5 of 305 accepted webhooks in the crash test.
   */
  @Test
  void storeWriteWhenH2QueuedTheWriteOfTheCommitThenWaitsForIt() throws Exception {
    DurableCommits ds = durable();
    ExecutorService pool = Executors.newFixedThreadPool(1);
    CountDownLatch release = new CountDownLatch(1);
    try (Connection c = ds.getConnection()) {
      MVStore store =
          ((SessionLocal) c.unwrap(JdbcConnection.class).getSession())
              .getDatabase()
              .getStore()
              .getMvStore();
      insert(ds, 11); // committed in memory; not answering, so left to H2's writer
      CountDownLatch held = new CountDownLatch(1);
      try {
        saveThread(store)
            .submit(
                () -> {
                  held.countDown();
                  release.await();
                  return null;
                });
        assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
        store.tryCommit(); // as H2's background writer does: serialise, queue the write, return
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (store.hasUnsavedChanges() && System.nanoTime() < until) {
          Thread.sleep(1);
        }
        assertThat(store.hasUnsavedChanges()).as("serialised, its write queued").isFalse();
        Future<?> flush =
            pool.submit(
                () -> {
                  ds.awaitStoreWrite(c);
                  return null;
                });
        assertThatThrownBy(() -> flush.get(300, TimeUnit.MILLISECONDS))
            .as("returned while the write of the commit was still queued")
            .isInstanceOf(TimeoutException.class);
        release.countDown();
        flush.get(10, TimeUnit.SECONDS);
      } finally {
        // Before the connection closes: closing the database waits for the save thread.
        release.countDown();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** H2's single thread that writes serialised chunks to the file. */
  static ExecutorService saveThread(MVStore store) throws ReflectiveOperationException {
    Field executor = FileStore.class.getDeclaredField("bufferSaveExecutor");
    executor.setAccessible(true);
    return (ExecutorService) executor.get(store.getFileStore());
  }
}
