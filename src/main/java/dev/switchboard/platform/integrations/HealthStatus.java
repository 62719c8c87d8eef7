package dev.switchboard.platform.integrations;

import java.util.Locale;

/**
 * Health of one integration; the order is from best to worst, except {@code UNKNOWN} (not checked
 * yet).
 */
public enum HealthStatus {
  UP,
  DEGRADED,
  DOWN,
  UNKNOWN;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
