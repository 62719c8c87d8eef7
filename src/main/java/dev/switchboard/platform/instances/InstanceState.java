package dev.switchboard.platform.instances;

import java.util.Locale;

/** Where an instance stands, as the others see it from its row. */
public enum InstanceState {
  /** Heartbeats arrive on time. */
  LIVE,
  /**
   * Missed {@value Instance#MISSED_BEATS} heartbeats without saying it stopped: crashed, frozen or
   * cut off.
   */
  STALE,
  /** Shut down cleanly. */
  STOPPED;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
