package dev.switchboard.monitoring;

import dev.switchboard.platform.jobs.Job;
import dev.switchboard.platform.jobs.JobFailure;
import dev.switchboard.platform.jobs.JobHandler;
import java.time.Clock;
import java.util.Optional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Delivers one alert notice to one channel, one attempt per run; the queue retries (after the delay
 * the channel asked for). A channel that refuses for good is recorded as broken and the job ends at
 * once.
 */
public final class AlertNotifyJob implements JobHandler {

  public static final String TYPE = "alert.notify";

  /** The stored job payload. */
  public record Payload(String channel, AlertMessage message) {}

  private final AlertChannels channels;
  private final AlertStore store;
  private final Clock clock;
  private final JsonMapper json = JsonMapper.builder().build();

  public AlertNotifyJob(AlertChannels channels, AlertStore store, Clock clock) {
    this.channels = channels;
    this.store = store;
    this.clock = clock;
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public void handle(Job job) {
    Payload payload = json.readValue(job.payload(), Payload.class);
    AlertChannel channel = AlertChannel.of(payload.channel());
    Optional<AlertNotifier> notifier = channels.notifier(channel);
    if (notifier.isEmpty()) {
      throw JobFailure.permanent("the " + channel.id() + " channel is no longer configured");
    }
    try {
      notifier.get().send(payload.message());
    } catch (AlertDeliveryException e) {
      store.recordDelivery(channel.id(), clock.instant(), false, e.channelBroken(), e.getMessage());
      throw e.retryable()
          ? JobFailure.retryable(e.getMessage(), e.retryAfter())
          : JobFailure.permanent(e.getMessage());
    }
    store.recordDelivery(
        channel.id(),
        clock.instant(),
        true,
        false,
        payload.message().action()
            + " "
            + payload.message().rule()
            + "/"
            + payload.message().subject());
  }
}
