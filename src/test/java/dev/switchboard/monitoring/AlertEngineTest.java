package dev.switchboard.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Incident bookkeeping: one trigger, reminders, acknowledge, silences, inhibition, a lost database,
 * the lease.
 */
class AlertEngineTest {

  static final Instant T0 = Instant.parse("2026-12-04T12:00:00Z");
  final ManualClock clock = new ManualClock(T0);
  final AlertsConfig.Rules rules =
      new AlertsConfig.Rules(
          3,
          2,
          0.05,
          20,
          Duration.ofMinutes(5),
          10,
          0.8,
          Duration.ofMinutes(1),
          90,
          14,
          Duration.ofHours(4),
          2,
          Duration.ofSeconds(10),
          Duration.ofSeconds(30));
  final InMemoryAlertStore store = new InMemoryAlertStore();
  final List<String> sent = new ArrayList<>();
  final Scripted down = new Scripted(AlertRule.INTEGRATION_DOWN);
  final Scripted errors = new Scripted(AlertRule.ERROR_RATE_HIGH);
  final HealthStreaks noStreaks = new HealthStreaks(3, 2, Set.of());
  final AlertEngine engine = engine();

  AlertEngine engine() {
    return new AlertEngine(List.of(down, errors), store, new Recording(), noStreaks, rules, clock);
  }

  @Test
  void tickWhenRuleFiresForManyTicksThenOneTriggerAndWhenClearedOneResolve() {
    down.firing.add("redis");
    for (int i = 0; i < 5; i++) {
      assertThat(engine.tick()).isTrue();
      clock.advance(Duration.ofSeconds(10));
    }
    down.firing.clear();
    down.cleared.add("redis");
    engine.tick();
    engine.tick();

    assertThat(sent)
        .containsExactly("trigger integration_down/redis", "resolve integration_down/redis");
    assertThat(store.openIncidents()).isEmpty();
    assertThat(store.incidents.values())
        .singleElement()
        .extracting(Incident::dedupKey)
        .isEqualTo("switchboard/production/integration_down/redis");
  }

  @Test
  void tickWhenStillOpenThenRemindersEveryIntervalUpToTheMaximum() {
    down.firing.add("redis");
    engine.tick();
    clock.advance(Duration.ofHours(4).minusSeconds(1));
    engine.tick();
    assertThat(sent).hasSize(1);
    for (int i = 0; i < 4; i++) {
      clock.advance(Duration.ofHours(4));
      engine.tick();
    }
    assertThat(sent)
        .containsExactly(
            "trigger integration_down/redis",
            "reminder 1 integration_down/redis",
            "reminder 2 integration_down/redis");
  }

  @Test
  void tickWhenAcknowledgedThenNoReminderButStillOneResolve() {
    down.firing.add("redis");
    engine.tick();
    Incident open = store.openIncidents().get(0);
    store.acknowledge(open.id(), "api:key_1", clock.instant());
    clock.advance(Duration.ofHours(9));
    engine.tick();
    down.firing.clear();
    down.cleared.add("redis");
    engine.tick();

    assertThat(sent)
        .containsExactly("trigger integration_down/redis", "resolve integration_down/redis");
  }

  @Test
  void tickWhenSilencedThenNoIncidentUntilTheSilenceEnds() {
    store.addSilence(
        new Silence(
            "sil_1",
            Optional.of("error_rate_high"),
            Optional.empty(),
            T0.plusSeconds(60),
            "deploy",
            Optional.empty(),
            T0));
    errors.firing.add("payments.stripe");
    engine.tick();
    assertThat(sent).isEmpty();

    clock.advance(Duration.ofSeconds(61));
    engine.tick();
    assertThat(sent).containsExactly("trigger error_rate_high/payments.stripe");
  }

  @Test
  void tickWhenIntegrationAlreadyPagedDownThenItsErrorRateAlertIsInhibited() {
    down.firing.add("payments");
    errors.firing.add("payments.stripe");
    errors.firing.add("email.sendgrid");
    engine.tick();

    assertThat(sent)
        .containsExactly(
            "trigger integration_down/payments", "trigger error_rate_high/email.sendgrid");
  }

  @Test
  void tickWhenDatabaseDownWhileIncidentOpenThenNothingAndOneResolveOnceBack() {
    down.firing.add("redis");
    engine.tick();
    store.down = true;
    down.firing.clear();
    down.cleared.add("redis");
    for (int i = 0; i < 3; i++) {
      assertThat(engine.tick()).isFalse();
      clock.advance(Duration.ofSeconds(10));
    }
    assertThat(sent).containsExactly("trigger integration_down/redis");

    store.down = false;
    engine.tick();
    engine.tick();

    assertThat(sent)
        .containsExactly("trigger integration_down/redis", "resolve integration_down/redis");
  }

  @Test
  void tickWhenThreeInstancesShareTheStoreThenOnlyTheLeaseHolderEvaluates() {
    AlertEngine second = engine();
    AlertEngine third = engine();
    down.firing.add("redis");
    AtomicInteger evaluated = new AtomicInteger();
    for (AlertEngine e : List.of(engine, second, third)) {
      if (e.tick()) {
        evaluated.incrementAndGet();
      }
    }
    assertThat(evaluated).hasValue(1);
    assertThat(sent).containsExactly("trigger integration_down/redis");

    clock.advance(Duration.ofSeconds(31));
    assertThat(second.tick()).as("the holder stopped renewing; another takes over").isTrue();
    assertThat(engine.tick()).isFalse();
    assertThat(sent).hasSize(1);
  }

  /** A source whose firing and cleared subjects the test sets. */
  static final class Scripted implements AlertSource {
    final AlertRule rule;
    final Set<String> firing = new HashSet<>();
    final Set<String> cleared = new HashSet<>();

    Scripted(AlertRule rule) {
      this.rule = rule;
    }

    @Override
    public AlertRule rule() {
      return rule;
    }

    @Override
    public List<AlertSignal> firing(Instant now) {
      return firing.stream()
          .sorted()
          .map(s -> new AlertSignal(rule, s, rule.id() + " " + s, "detail"))
          .toList();
    }

    @Override
    public boolean cleared(String subject, Instant now) {
      return cleared.contains(subject);
    }
  }

  /** The dispatcher's bookkeeping without the job queue: each notice it would queue is recorded. */
  final class Recording extends AlertDispatcher {
    int next;

    Recording() {
      super(store, null, null, null, "production", null);
    }

    @Override
    void open(AlertSignal signal, Instant now) {
      Incident incident =
          new Incident(
              "inc_" + (++next),
              signal.rule().id(),
              signal.subject(),
              signal.rule().severity(),
              signal.title(),
              signal.detail(),
              dedupKey(signal.rule().id(), signal.subject()),
              now,
              Optional.empty(),
              Optional.empty(),
              Optional.empty(),
              0,
              now);
      if (store.open(incident)) {
        sent.add("trigger " + incident.rule() + "/" + incident.subject());
      }
    }

    @Override
    void resolve(Incident incident, Instant now) {
      if (store.resolve(incident.id(), now)) {
        sent.add("resolve " + incident.rule() + "/" + incident.subject());
      }
    }

    @Override
    void remind(Incident incident, Instant now) {
      if (store.recordReminder(incident.id(), incident.remindersSent(), now)) {
        sent.add(
            "reminder "
                + (incident.remindersSent() + 1)
                + " "
                + incident.rule()
                + "/"
                + incident.subject());
      }
    }
  }
}
