package dev.switchboard.platform.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.TransactionSystemException;

class DatabaseFailuresTest {

  @Test
  void unavailableWhenServerShutsDownMidStatementThenTrue() {
    SQLException terminating =
        new SQLException("terminating connection due to administrator command", "57P01");

    assertThat(
            DatabaseFailures.unavailable(
                new DataAccessResourceFailureException("PreparedStatementCallback", terminating)))
        .isTrue();
    assertThat(DatabaseFailures.unreachable(terminating)).isTrue();
  }

  @Test
  void unavailableWhenConnectRefusedBehindThePoolTimeoutThenTrueAndUnreachable() {
    SQLException refused =
        new SQLException("Connection to 127.0.0.1:5999 refused", "08001", new ConnectException());
    SQLTransientConnectionException timeout =
        new SQLTransientConnectionException(
            "switchboard - Connection is not available, request timed out after 3000ms.",
            "08001",
            refused);

    assertThat(
            DatabaseFailures.unavailable(
                new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection", timeout)))
        .isTrue();
    assertThat(DatabaseFailures.unreachable(timeout)).isTrue();
  }

  @Test
  void unreachableWhenPoolMerelyBusyThenFalseButStillUnavailable() {
    SQLTransientConnectionException busy =
        new SQLTransientConnectionException(
            "switchboard - Connection is not available, request timed out after 3000ms.");

    assertThat(DatabaseFailures.unavailable(busy)).isTrue();
    assertThat(DatabaseFailures.unreachable(busy)).isFalse();
  }

  @Test
  void unavailableWhenRollbackFailsAfterALostConnectionThenTrue() {
    TransactionSystemException rollback =
        new TransactionSystemException("JDBC rollback failed", new SQLException("closed"));
    rollback.initApplicationException(
        new DataAccessResourceFailureException(
            "insert", new SQLException("An I/O error occurred while sending", "08006")));

    assertThat(DatabaseFailures.unavailable(rollback)).isTrue();
  }

  @Test
  void unavailableWhenCommitFailsAndItsRollbackTooThenTrue() {
    // Spring's shape when the server terminates the connection during COMMIT: the rollback that
    // follows fails on the closed connection and replaces the commit's failure.
    TransactionSystemException rollback =
        new TransactionSystemException(
            "JDBC rollback failed", new SQLException("Connection is closed"));

    assertThat(DatabaseFailures.unavailable(rollback)).isTrue();
  }

  @Test
  void unavailableWhenStatementRefusedThenFalse() {
    SQLException duplicate = new SQLException("duplicate key value", "23505");

    assertThat(
            DatabaseFailures.unavailable(new DataIntegrityViolationException("insert", duplicate)))
        .isFalse();
    assertThat(DatabaseFailures.unavailable(new IllegalStateException("bug"))).isFalse();
    assertThat(
            DatabaseFailures.unavailable(
                new TransactionSystemException("commit failed", new SQLException("x", "40001"))))
        .isFalse();
  }
}
