package dev.switchboard.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.platform.config.InvalidConfigurationException;
import dev.switchboard.platform.config.SwitchboardConfig;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnalyticsConfigTest {

  @Test
  void loadWhenNothingSetThen400DaysAnd1000PerSecond() {
    AnalyticsConfig config =
        SwitchboardConfig.load(Map.<String, String>of()::get).area(AnalyticsConfig.class);

    assertThat(config.retention()).isEqualTo(Duration.ofDays(400));
    assertThat(config.ingestRateLimit().toString()).isEqualTo("1000/s");
    assertThat(config.writeKeys()).isEmpty();
  }

  @Test
  void loadWhenRetentionInDaysOrHoursThenParsed() {
    assertThat(
            SwitchboardConfig.load(Map.of("ANALYTICS_RETENTION", "30d")::get)
                .area(AnalyticsConfig.class)
                .retention())
        .isEqualTo(Duration.ofDays(30));
    assertThat(
            SwitchboardConfig.load(Map.of("ANALYTICS_RETENTION", "48h")::get)
                .area(AnalyticsConfig.class)
                .retention())
        .isEqualTo(Duration.ofHours(48));
  }

  @Test
  void loadWhenRetentionUnderADayOrMalformedThenProblemNamesTheVariable() {
    for (String value : new String[] {"12h", "forever"}) {
      InvalidConfigurationException e =
          org.assertj.core.api.Assertions.catchThrowableOfType(
              InvalidConfigurationException.class,
              () -> SwitchboardConfig.load(Map.of("ANALYTICS_RETENTION", value)::get));
      assertThat(e).as(value).isNotNull();
      assertThat(e.problems()).anyMatch(p -> p.contains("ANALYTICS_RETENTION"));
    }
  }
}
