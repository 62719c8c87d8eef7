package dev.switchboard.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.switchboard.platform.config.InvalidConfigurationException;
import dev.switchboard.platform.config.SwitchboardConfig;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertsConfigTest {

  static final String KEY = "R0ut1ngKeyR0ut1ngKeyR0ut1ngKey32";

  static InvalidConfigurationException problems(Map<String, String> env) {
    return catchThrowableOfType(
        InvalidConfigurationException.class, () -> SwitchboardConfig.load(env::get));
  }

  @Test
  void loadWhenNothingSetThenDocumentedDefaults() {
    AlertsConfig alerts =
        SwitchboardConfig.load(Map.<String, String>of()::get).area(AlertsConfig.class);
    assertThat(alerts.pagerdutyRoutingKey()).isEmpty();
    assertThat(alerts.pagerdutyUrl()).hasToString("https://events.pagerduty.com/v2/enqueue");
    assertThat(alerts.rules()).isEqualTo(AlertsConfig.Rules.defaults());
    assertThat(alerts.rules().downAfter()).isEqualTo(3);
    assertThat(alerts.rules().upAfter()).isEqualTo(2);
    assertThat(alerts.rules().errorRate()).isEqualTo(0.05);
    assertThat(alerts.rules().errorMinRequests()).isEqualTo(20);
    assertThat(alerts.rules().reminderInterval()).isEqualTo(Duration.ofHours(4));
    assertThat(alerts.rules().secretMaxAgeDays()).isEqualTo(90);
    assertThat(alerts.rules().secretWarnDays()).isEqualTo(14);
  }

  @Test
  void loadWhenRoutingKeyIsNot32CharactersThenStartupNamesTheVariableWithoutTheValue() {
    InvalidConfigurationException e = problems(Map.of("PAGERDUTY_ROUTING_KEY", "short-key-123"));
    assertThat(e.problems())
        .singleElement()
        .asString()
        .startsWith("PAGERDUTY_ROUTING_KEY: expected the 32-character")
        .doesNotContain("short-key-123");
  }

  @Test
  void loadWhenSlackWebhookIsPlainHttpThenStartupNamesTheVariable() {
    InvalidConfigurationException e =
        problems(Map.of("SLACK_WEBHOOK_URL", "http://hooks.slack.com/services/T0/B0/secret"));
    assertThat(e.problems())
        .singleElement()
        .asString()
        .startsWith("SLACK_WEBHOOK_URL: must be an https:// URL")
        .doesNotContain("secret");
  }

  @Test
  void loadWhenSlackWebhookIsLoopbackHttpThenAllowedOnlyInDevelopment() {
    String local = "http://127.0.0.1:9/services/T0/B0/x";
    assertThat(
            SwitchboardConfig.load(Map.of("SLACK_WEBHOOK_URL", local)::get)
                .area(AlertsConfig.class)
                .slackWebhookUrl())
        .isPresent();
    InvalidConfigurationException e =
        problems(Map.of("SLACK_WEBHOOK_URL", local, "SWITCHBOARD_ENV", "production"));
    assertThat(e.problems())
        .anySatisfy(p -> assertThat(p).startsWith("SLACK_WEBHOOK_URL: must be an https:// URL"));
  }

  @Test
  void loadWhenThresholdsSetThenUsedAndBadOnesNamed() {
    AlertsConfig alerts =
        SwitchboardConfig.load(
                Map.of(
                        "PAGERDUTY_ROUTING_KEY",
                        KEY,
                        "ALERT_DOWN_AFTER",
                        "5",
                        "ALERT_REMINDER_INTERVAL",
                        "30m",
                        "ALERT_MAX_REMINDERS",
                        "0")
                    ::get)
            .area(AlertsConfig.class);
    assertThat(alerts.rules().downAfter()).isEqualTo(5);
    assertThat(alerts.rules().reminderInterval()).isEqualTo(Duration.ofMinutes(30));
    assertThat(alerts.rules().maxReminders()).isZero();

    InvalidConfigurationException e =
        problems(
            Map.of(
                "ALERT_DOWN_AFTER",
                "0",
                "ALERT_ERROR_RATE",
                "5%",
                "ALERT_EVALUATE_INTERVAL",
                "1m"));
    assertThat(e.problems())
        .hasSize(3)
        .anySatisfy(
            p ->
                assertThat(p).startsWith("ALERT_DOWN_AFTER: expected a whole number from 1 to 100"))
        .anySatisfy(p -> assertThat(p).startsWith("ALERT_ERROR_RATE:"))
        .anySatisfy(
            p ->
                assertThat(p)
                    .startsWith("ALERT_LEASE: must be longer than ALERT_EVALUATE_INTERVAL"));
  }
}
