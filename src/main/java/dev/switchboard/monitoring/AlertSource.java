package dev.switchboard.monitoring;

import java.time.Instant;
import java.util.List;

/**
 * Evaluates one rule. Sources keep their measurements in memory on every instance; only the
 * instance holding the alert lease asks them, so an incident is opened and resolved from one place.
 */
public interface AlertSource {

  /** The rule this source evaluates. */
  AlertRule rule();

  /**
   * The subjects for which the rule's condition holds now.
   *
   * @param now the evaluation time, from the injected clock
   */
  List<AlertSignal> firing(Instant now);

  /**
   * Whether an open incident about {@code subject} is over. Rules with hysteresis ({@code
   * integration_down} waits for M good checks) answer false while the subject is neither firing nor
   * recovered.
   */
  boolean cleared(String subject, Instant now);
}
