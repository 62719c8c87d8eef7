package dev.switchboard.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.platform.config.SwitchboardConfig;
import dev.switchboard.platform.integrations.Integration;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

class DatabaseIntegrationTest {

  static Integration describe(Map<String, String> env) {
    SwitchboardConfig config = SwitchboardConfig.load(env::get);
    return DatabaseIntegration.of(
        config.core(), new DriverManagerDataSource(), env.containsKey("DATABASE_URL"));
  }

  @Test
  void ofWhenNoDatabaseUrlThenEmbeddedH2InDevMode() {
    Integration db = describe(Map.of("SWITCHBOARD_DATA_DIR", "target/unit-data"));

    assertThat(db.id()).isEqualTo("database");
    assertThat(db.area()).isEqualTo("platform");
    assertThat(db.provider()).isEqualTo("h2");
    assertThat(db.mode()).isEqualTo(Integration.Mode.EMBEDDED);
    assertThat(db.configured()).isFalse();
    assertThat(db.maskedConfig().get("DATABASE_URL")).startsWith("jdbc:h2:file:");
    assertThat(db.checkInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(db.checkTimeout()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void ofWhenPostgresUrlWithPasswordThenLiveAndPasswordNeverShown() {
    Integration db =
        describe(
            Map.of(
                "DATABASE_URL",
                "postgresql://app:s3cr3t-pw@db.internal:6543/prod",
                "SWITCHBOARD_HEALTH_INTERVAL",
                "2s"));

    assertThat(db.provider()).isEqualTo("postgresql");
    assertThat(db.mode()).isEqualTo(Integration.Mode.LIVE);
    assertThat(db.configured()).isTrue();
    assertThat(db.maskedConfig())
        .containsEntry("DATABASE_URL", "jdbc:postgresql://db.internal:6543/prod (user app)");
    assertThat(db.maskedConfig().toString()).doesNotContain("s3cr3t-pw");
    assertThat(db.checkInterval()).isEqualTo(Duration.ofSeconds(2));
    assertThat(db.checkTimeout()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void ofWhenIntervalBelowOneSecondThenTimeoutStaysOneSecond() {
    Integration db = describe(Map.of("SWITCHBOARD_HEALTH_INTERVAL", "200ms"));

    assertThat(db.checkInterval()).isEqualTo(Duration.ofMillis(200));
    assertThat(db.checkTimeout()).isEqualTo(Duration.ofSeconds(1));
  }
}
