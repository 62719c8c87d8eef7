package dev.switchboard.analytics;

import dev.switchboard.testing.PostgresTestDatabase;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Every ingest case of {@link AnalyticsIngestIT} on PostgreSQL (NUL bytes, batches, dedupe behave
 * alike).
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "SWITCHBOARD_DATA_DIR=target/it-data/analytics-ingest-pg",
      "ANALYTICS_KEY=" + AnalyticsIngestIT.OLD_KEY + "," + AnalyticsIngestIT.KEY,
      "SWITCHBOARD_ADMIN_API_KEY=" + AnalyticsIngestIT.ADMIN_KEY
    })
class AnalyticsIngestPostgresIT extends AnalyticsIngestIT {

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    String url = PostgresTestDatabase.freshUrl();
    registry.add("DATABASE_URL", () -> url);
  }

  @org.junit.jupiter.api.Test
  void databaseWhenThisClassRunsThenPostgres() throws Exception {
    try (java.sql.Connection c = dataSource.getConnection()) {
      org.assertj.core.api.Assertions.assertThat(c.getMetaData().getDatabaseProductName())
          .isEqualTo("PostgreSQL");
    }
  }
}
