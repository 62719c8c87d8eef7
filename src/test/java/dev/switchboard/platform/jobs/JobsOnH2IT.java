package dev.switchboard.platform.jobs;

import dev.switchboard.platform.config.DatabaseConfig;
import java.util.UUID;

/** The queue contract on H2 in PostgreSQL mode, with the options the application uses. */
class JobsOnH2IT extends JobsContract {

  @Override
  DatabaseConfig.Kind kind() {
    return DatabaseConfig.Kind.H2;
  }

  @Override
  String freshJdbcUrl() {
    return "jdbc:h2:mem:jobs_"
        + UUID.randomUUID().toString().replace("-", "")
        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1";
  }

  @Override
  String user() {
    return "sa";
  }
}
