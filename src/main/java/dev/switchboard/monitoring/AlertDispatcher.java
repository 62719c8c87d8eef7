package dev.switchboard.monitoring;

import dev.switchboard.platform.jobs.JobOptions;
import dev.switchboard.platform.jobs.JobQueue;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Changes an incident and queues its notices in one transaction. Each notice is an {@code
 * alert.notify} job per channel with a dedupe key naming the incident, the action and the reminder
 * number, so however often a change is attempted each notice exists once.
 */
public class AlertDispatcher {

  private final AlertStore store;
  private final JobQueue jobs;
  private final TransactionTemplate transactions;
  private final AlertChannels channels;
  private final String environment;
  private final Supplier<String> ids;
  private final JsonMapper json = JsonMapper.builder().build();

  public AlertDispatcher(
      AlertStore store,
      JobQueue jobs,
      TransactionTemplate transactions,
      AlertChannels channels,
      String environment,
      Supplier<String> ids) {
    this.store = store;
    this.jobs = jobs;
    this.transactions = transactions;
    this.channels = channels;
    this.environment = environment;
    this.ids = ids;
  }

  /** {@code switchboard/<env>/<rule>/<subject>}, at most 255 characters as PagerDuty allows. */
  public String dedupKey(String rule, String subject) {
    String key = "switchboard/" + environment + "/" + rule + "/" + subject;
    return key.length() <= 255 ? key : key.substring(0, 255);
  }

  /** Opens an incident for the signal and queues its trigger; nothing when one is already open. */
  void open(AlertSignal signal, Instant now) {
    AlertRule rule = signal.rule();
    Incident incident =
        new Incident(
            ids.get(),
            rule.id(),
            signal.subject(),
            rule.severity(),
            signal.title(),
            signal.detail(),
            dedupKey(rule.id(), signal.subject()),
            now,
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            0,
            now);
    transactions.executeWithoutResult(
        tx -> {
          if (store.open(incident)) {
            enqueue(incident, AlertMessage.TRIGGER, 0, signal.detail(), now);
          }
        });
  }

  /** Resolves an incident and queues its recovery notice, once. */
  void resolve(Incident incident, Instant now) {
    transactions.executeWithoutResult(
        tx -> {
          if (store.resolve(incident.id(), now)) {
            enqueue(
                incident,
                AlertMessage.RESOLVE,
                0,
                "recovered after "
                    + CheckRun.human(
                        Duration.ofSeconds(
                            Math.max(
                                1, now.getEpochSecond() - incident.openedAt().getEpochSecond()))),
                now);
          }
        });
  }

  /** Counts and queues the next reminder, once. */
  void remind(Incident incident, Instant now) {
    transactions.executeWithoutResult(
        tx -> {
          if (store.recordReminder(incident.id(), incident.remindersSent(), now)) {
            enqueue(
                incident,
                AlertMessage.REMINDER,
                incident.remindersSent() + 1,
                incident.detail(),
                now);
          }
        });
  }

  /**
   * Queues a test alert to every configured channel.
   *
   * @return the channels it goes to
   */
  public List<AlertChannel> test(Instant now) {
    List<AlertChannel> targets = channels.all();
    String id = ids.get();
    AlertMessage message =
        new AlertMessage(
            AlertMessage.TEST,
            "test",
            id,
            "info",
            "Test alert from Switchboard",
            "Sent from the API or the dashboard to check the wiring; nothing is wrong.",
            dedupKey("test", id),
            environment,
            now,
            0);
    for (AlertChannel channel : targets) {
      jobs.enqueue(AlertNotifyJob.TYPE, payload(channel, message), JobOptions.defaults());
    }
    return targets;
  }

  private void enqueue(Incident incident, String action, int reminder, String detail, Instant now) {
    AlertMessage message =
        new AlertMessage(
            action,
            incident.rule(),
            incident.subject(),
            incident.severity(),
            incident.title(),
            detail,
            incident.dedupKey(),
            environment,
            now,
            reminder);
    for (AlertChannel channel : channels.route(AlertRule.byId(incident.rule()).orElseThrow())) {
      jobs.enqueue(
          AlertNotifyJob.TYPE,
          payload(channel, message),
          JobOptions.defaults()
              .dedupeKey(
                  "alert:" + incident.id() + ":" + action + ":" + reminder + ":" + channel.id()));
    }
  }

  private String payload(AlertChannel channel, AlertMessage message) {
    return json.writeValueAsString(new AlertNotifyJob.Payload(channel.id(), message));
  }
}
