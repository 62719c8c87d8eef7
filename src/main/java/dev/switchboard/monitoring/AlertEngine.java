package dev.switchboard.monitoring;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Evaluates the rules every {@code ALERT_EVALUATE_INTERVAL} and keeps incidents in step with them:
 * opens one when a rule fires for a subject with none open (unless silenced, or inhibited because
 * its integration is paged down), resolves it once its source says the condition is over, and
 * queues reminders. Only the instance holding the {@code alert_lease} row evaluates; each incident
 * change and the notices it causes commit together, so a crash or a lost database connection never
 * sends a notice for a change that was not stored, nor stores one without its notices. A tick that
 * fails (database down) changes nothing and the next one starts from the stored incidents.
 */
public final class AlertEngine implements SmartLifecycle {

  static final String LEASE = "alerts";
  private static final Logger log = LoggerFactory.getLogger(AlertEngine.class);

  private final List<AlertSource> sources;
  private final AlertStore store;
  private final AlertDispatcher dispatcher;
  private final HealthStreaks health;
  private final AlertsConfig.Rules rules;
  private final Clock clock;
  private final String instance;
  private ScheduledExecutorService timer;
  private volatile boolean running;

  public AlertEngine(
      List<AlertSource> sources,
      AlertStore store,
      AlertDispatcher dispatcher,
      HealthStreaks health,
      AlertsConfig.Rules rules,
      Clock clock) {
    this.sources = List.copyOf(sources);
    this.store = store;
    this.dispatcher = dispatcher;
    this.health = health;
    this.rules = rules;
    this.clock = clock;
    byte[] id = new byte[6];
    new SecureRandom().nextBytes(id);
    this.instance = "instance-" + HexFormat.of().formatHex(id);
  }

  /**
   * One evaluation. Safe to call from tests and from several instances at once.
   *
   * @return false when another instance holds the lease or the database could not be reached
   */
  public boolean tick() {
    Instant now = clock.instant();
    try {
      if (!store.tryLease(LEASE, instance, now, rules.lease())) {
        return false;
      }
      evaluate(now);
      return true;
    } catch (RuntimeException e) {
      log.warn(
          "Alert evaluation skipped, retried in {}: {}",
          CheckRun.human(rules.evaluateInterval()),
          e.toString());
      return false;
    }
  }

  private void evaluate(Instant now) {
    Map<String, Incident> open =
        store.openIncidents().stream()
            .collect(
                Collectors.toMap(
                    i -> i.rule() + "/" + i.subject(), Function.identity(), (a, b) -> a));
    List<Silence> silences = store.activeSilences(now);
    // Opened in this tick: inhibition must see an outage paged a moment ago (integration_down is
    // evaluated first).
    Set<String> paged = new HashSet<>(open.keySet());
    for (AlertSource source : sources) {
      for (Incident incident : open.values()) {
        if (incident.rule().equals(source.rule().id()) && source.cleared(incident.subject(), now)) {
          dispatcher.resolve(incident, now);
        }
      }
      for (AlertSignal signal : source.firing(now)) {
        Incident existing = open.get(signal.rule().id() + "/" + signal.subject());
        boolean silenced =
            silences.stream().anyMatch(s -> s.matches(signal.rule().id(), signal.subject(), now));
        if (existing != null) {
          remindIfDue(existing, silenced, now);
        } else if (!silenced && !inhibited(signal, paged)) {
          dispatcher.open(signal, now);
          paged.add(signal.rule().id() + "/" + signal.subject());
        }
      }
    }
  }

  private void remindIfDue(Incident incident, boolean silenced, Instant now) {
    if (silenced
        || incident.acknowledgedAt().isPresent()
        || incident.remindersSent() >= rules.maxReminders()
        || now.isBefore(incident.lastNotifiedAt().plus(rules.reminderInterval()))) {
      return;
    }
    dispatcher.remind(incident, now);
  }

  /**
   * Alertmanager's inhibit rule: no error-rate alert for an integration already paged (or counted)
   * as down.
   */
  private boolean inhibited(AlertSignal signal, Set<String> open) {
    if (signal.rule() != AlertRule.ERROR_RATE_HIGH) {
      return false;
    }
    String subject = signal.subject();
    Optional<String> area =
        subject.contains(".")
            ? Optional.of(subject.substring(0, subject.indexOf('.')))
            : Optional.empty();
    for (String candidate : area.map(a -> List.of(subject, a)).orElse(List.of(subject))) {
      if (open.contains(AlertRule.INTEGRATION_DOWN.id() + "/" + candidate)
          || health.down(candidate)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public synchronized void start() {
    if (running) {
      return;
    }
    timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "alert-engine");
              t.setDaemon(true);
              return t;
            });
    long every = rules.evaluateInterval().toMillis();
    timer.scheduleWithFixedDelay(this::tick, every, every, TimeUnit.MILLISECONDS);
    running = true;
  }

  @Override
  public synchronized void stop() {
    running = false;
    if (timer != null) {
      timer.shutdownNow();
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** This instance's name in the lease row. */
  public String instance() {
    return instance;
  }
}
