package dev.switchboard.platform.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.AbstractDataSource;

class FailFastDataSourceTest {

  /** A pool whose database is up or down at the test's command; counts what reached it. */
  static final class SwitchablePool extends AbstractDataSource {
    volatile boolean up = true;
    volatile SQLException failure =
        new SQLTransientConnectionException(
            "Connection is not available, request timed out after 3000ms.",
            "08001",
            new SQLException("Connection refused", "08001"));
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public Connection getConnection() throws SQLException {
      calls.incrementAndGet();
      if (!up) {
        throw failure;
      }
      return (Connection)
          Proxy.newProxyInstance(
              getClass().getClassLoader(), new Class<?>[] {Connection.class}, (p, m, a) -> null);
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
      return getConnection();
    }
  }

  final SwitchablePool pool = new SwitchablePool();
  final AtomicLong now = new AtomicLong(1_000_000_000L);
  final FailFastDataSource dataSource = new FailFastDataSource(pool, now::get);

  @Test
  void getConnectionWhenServerUnreachableThenLaterCallersFailAtOnceWithoutReachingThePool() {
    pool.up = false;
    assertThatThrownBy(dataSource::getConnection).isSameAs(pool.failure);
    assertThat(dataSource.failingFast()).isTrue();

    for (int i = 0; i < 5; i++) {
      assertThatThrownBy(dataSource::getConnection)
          .isInstanceOf(SQLTransientConnectionException.class)
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("08001"))
          .satisfies(e -> assertThat(DatabaseFailures.unavailable(e)).isTrue());
    }
    assertThat(pool.calls).hasValue(1);
  }

  @Test
  void getConnectionWhenProbeDueAndServerBackThenOutageEndsForEveryone() throws SQLException {
    pool.up = false;
    assertThatThrownBy(dataSource::getConnection).isSameAs(pool.failure);
    now.addAndGet(FailFastDataSource.PROBE_EVERY.toNanos());
    assertThatThrownBy(dataSource::getConnection).isSameAs(pool.failure);
    assertThat(pool.calls).as("one probe per interval").hasValue(2);

    pool.up = true;
    assertThatThrownBy(dataSource::getConnection)
        .isInstanceOf(SQLTransientConnectionException.class);
    now.addAndGet(FailFastDataSource.PROBE_EVERY.toNanos());
    assertThat(dataSource.getConnection()).isNotNull();

    assertThat(dataSource.failingFast()).isFalse();
    assertThat(dataSource.getConnection()).isNotNull();
    assertThat(pool.calls).hasValue(4);
  }

  @Test
  void getConnectionWhenPoolOnlyBusyThenEveryCallerKeepsWaitingItsTurn() {
    pool.up = false;
    pool.failure =
        new SQLTransientConnectionException(
            "Connection is not available, request timed out after 3000ms.");

    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(dataSource::getConnection).isSameAs(pool.failure);
    }
    assertThat(dataSource.failingFast()).isFalse();
    assertThat(pool.calls).hasValue(3);
    assertThat(Duration.ofNanos(now.get())).isEqualTo(Duration.ofSeconds(1));
  }
}
