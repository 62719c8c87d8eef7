package dev.switchboard.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.switchboard.platform.integrations.HealthStatus;
import dev.switchboard.platform.integrations.Integration;
import dev.switchboard.platform.jobs.Job;
import dev.switchboard.platform.jobs.JobFailure;
import dev.switchboard.testing.ManualClock;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** A delivery's outcome decides the job's fate and the channel's box on the map. */
class AlertNotifyJobTest {

  static final Instant T0 = Instant.parse("2026-12-04T12:00:00Z");
  final ManualClock clock = new ManualClock(T0);
  final Deliveries store = new Deliveries();
  RuntimeException next;

  static final class Deliveries extends InMemoryAlertStore {
    final Map<String, ChannelDelivery> last = new HashMap<>();

    @Override
    public void recordDelivery(
        String channel, Instant at, boolean ok, boolean broken, String detail) {
      last.put(channel, new ChannelDelivery(channel, at, ok, broken, detail));
    }

    @Override
    public Optional<ChannelDelivery> lastDelivery(String channel) {
      return Optional.ofNullable(last.get(channel));
    }
  }

  final AlertNotifier slack =
      new AlertNotifier() {
        @Override
        public AlertChannel channel() {
          return AlertChannel.SLACK;
        }

        @Override
        public void send(AlertMessage message) {
          if (next != null) {
            throw next;
          }
        }
      };
  final AlertChannels channels = new AlertChannels(List.of(slack));
  final AlertNotifyJob job = new AlertNotifyJob(channels, store, clock);
  final AlertCatalog catalog =
      new AlertCatalog(
          new AlertsConfig(
              Optional.empty(),
              URI.create("https://pd.test"),
              Optional.empty(),
              List.of(),
              AlertsConfig.Rules.defaults()),
          channels,
          store,
          Map.of(AlertChannel.SLACK, "https://hooks.slack.com/…"));
  final Integration box = AlertsConfiguration.channelBox(catalog, AlertChannel.SLACK, "slack");

  Job job() {
    AlertMessage message =
        new AlertMessage(
            AlertMessage.TRIGGER,
            "jobs_dead",
            "email.send",
            "high",
            "Dead jobs",
            "1 job",
            "switchboard/production/jobs_dead/email.send",
            "production",
            T0,
            0);
    String payload =
        JsonMapper.builder()
            .build()
            .writeValueAsString(new AlertNotifyJob.Payload("slack", message));
    return new Job("job_1", AlertNotifyJob.TYPE, payload, Optional.empty(), 1, 12, T0);
  }

  @Test
  void handleWhenDeliveredThenChannelBoxUpWithLastDelivery() throws Exception {
    assertThat(box.healthCheck().check().detail()).isEqualTo("no delivery yet");
    job.handle(job());
    assertThat(catalog.status(AlertChannel.SLACK).state()).isEqualTo("ok");
    assertThat(box.healthCheck().check().status()).isEqualTo(HealthStatus.UP);
    assertThat(box.healthCheck().check().detail())
        .startsWith("last delivery 2026-12-04T12:00:00Z: trigger jobs_dead");
  }

  @Test
  void handleWhenChannelBrokenThenPermanentFailureAndBoxDown() throws Exception {
    next = AlertDeliveryException.broken("Slack refused the webhook (HTTP 404 no_service)");

    JobFailure failure = catchThrowableOfType(JobFailure.class, () -> job.handle(job()));

    assertThat(failure.retryable()).isFalse();
    assertThat(catalog.status(AlertChannel.SLACK).state()).isEqualTo("broken");
    assertThat(box.healthCheck().check().status()).isEqualTo(HealthStatus.DOWN);
    assertThat(box.healthCheck().check().detail()).contains("no_service");

    next = null;
    job.handle(job());
    assertThat(box.healthCheck().check().status())
        .as("a later delivery mends it")
        .isEqualTo(HealthStatus.UP);
  }

  @Test
  void handleWhenRateLimitedThenRetriedAfterTheDelayAndBoxDegraded() throws Exception {
    next =
        AlertDeliveryException.retryable(
            "Slack rate limited the webhook (HTTP 429)", Optional.of(Duration.ofSeconds(30)));

    JobFailure failure = catchThrowableOfType(JobFailure.class, () -> job.handle(job()));

    assertThat(failure.retryable()).isTrue();
    assertThat(failure.retryAfter()).contains(Duration.ofSeconds(30));
    assertThat(box.healthCheck().check().status()).isEqualTo(HealthStatus.DEGRADED);
  }
}
