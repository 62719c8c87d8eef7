package dev.switchboard.monitoring;

import java.util.Locale;

/** Where alerts are delivered. Each is a box on the integration map ({@code alerts.<id>}). */
public enum AlertChannel {
  PAGERDUTY,
  SLACK,
  EMAIL;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The channel with this id. */
  public static AlertChannel of(String id) {
    return valueOf(id.toUpperCase(Locale.ROOT));
  }
}
