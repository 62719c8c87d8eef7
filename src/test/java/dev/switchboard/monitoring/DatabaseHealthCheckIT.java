package dev.switchboard.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.platform.integrations.HealthResult;
import dev.switchboard.platform.integrations.HealthStatus;
import dev.switchboard.testing.PostgresTestDatabase;
import dev.switchboard.testing.TcpProxy;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

class DatabaseHealthCheckIT {

  @Test
  void checkWhenPostgresReachableThenUp() {
    DriverManagerDataSource dataSource =
        new DriverManagerDataSource(PostgresTestDatabase.jdbcUrl(), PostgresTestDatabase.USER, "");

    HealthResult result = new DatabaseHealthCheck(dataSource, Duration.ofSeconds(2)).check();

    assertThat(result).isEqualTo(HealthResult.up("SELECT 1 ok"));
  }

  @Test
  void checkWhenServerUnreachableThenDownWithSqlStateAndNoUrl() {
    try (TcpProxy proxy = TcpProxy.toPostgres()) {
      proxy.cut();
      String url = "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/test?connectTimeout=2";
      DriverManagerDataSource dataSource =
          new DriverManagerDataSource(url, "postgres", "not-a-real-password");

      HealthResult result = new DatabaseHealthCheck(dataSource, Duration.ofSeconds(2)).check();

      assertThat(result.status()).isEqualTo(HealthStatus.DOWN);
      assertThat(result.detail())
          .isEqualTo("connection failed (SQLState 08001)")
          .doesNotContain("127.0.0.1")
          .doesNotContain("password");
    }
  }
}
