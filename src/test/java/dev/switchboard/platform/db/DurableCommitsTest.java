package dev.switchboard.platform.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
}
