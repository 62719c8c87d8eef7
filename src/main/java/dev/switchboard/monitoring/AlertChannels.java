package dev.switchboard.monitoring;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The channels that can deliver, and where each rule goes: to its own channel when configured, else
 * to email (the dev outbox in development), else only to the dashboard.
 */
public final class AlertChannels {

  private final Map<AlertChannel, AlertNotifier> notifiers = new EnumMap<>(AlertChannel.class);

  public AlertChannels(List<AlertNotifier> configured) {
    for (AlertNotifier notifier : configured) {
      notifiers.put(notifier.channel(), notifier);
    }
  }

  public boolean configured(AlertChannel channel) {
    return notifiers.containsKey(channel);
  }

  public Optional<AlertNotifier> notifier(AlertChannel channel) {
    return Optional.ofNullable(notifiers.get(channel));
  }

  /**
   * Where a rule's notices go; empty when no channel can deliver (they still show on the
   * dashboard).
   */
  public List<AlertChannel> route(AlertRule rule) {
    if (configured(rule.channel())) {
      return List.of(rule.channel());
    }
    return configured(AlertChannel.EMAIL) ? List.of(AlertChannel.EMAIL) : List.of();
  }

  /** Every channel that can deliver, for test alerts. */
  public List<AlertChannel> all() {
    return new ArrayList<>(notifiers.keySet());
  }
}
