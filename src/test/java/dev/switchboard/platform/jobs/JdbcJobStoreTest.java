package dev.switchboard.platform.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Statement;
import org.junit.jupiter.api.Test;

class JdbcJobStoreTest {

  @Test
  void batchOutcomeWhenDriverAnswersSuccessNoInfoThenUnknownNotInserted() {
    assertThat(JdbcJobStore.BatchOutcome.of(Statement.SUCCESS_NO_INFO))
        .isEqualTo(JdbcJobStore.BatchOutcome.UNKNOWN);
  }

  @Test
  void batchOutcomeWhenOneOrZeroThenInsertedOrSkipped() {
    assertThat(JdbcJobStore.BatchOutcome.of(1)).isEqualTo(JdbcJobStore.BatchOutcome.INSERTED);
    assertThat(JdbcJobStore.BatchOutcome.of(0)).isEqualTo(JdbcJobStore.BatchOutcome.SKIPPED);
  }

  @Test
  void batchOutcomeWhenExecuteFailedThenIllegalState() {
    assertThatThrownBy(() -> JdbcJobStore.BatchOutcome.of(Statement.EXECUTE_FAILED))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("-3");
  }
}
