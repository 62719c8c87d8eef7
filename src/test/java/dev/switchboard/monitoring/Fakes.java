package dev.switchboard.monitoring;

import dev.switchboard.platform.integrations.HealthCheck;
import dev.switchboard.platform.integrations.Integration;
import java.time.Duration;
import java.util.Map;

/** Integrations with hand-written checks for monitor tests. */
final class Fakes {

  private Fakes() {}

  static Integration integration(String id, String area, HealthCheck check, Duration timeout) {
    return integration(id, area, check, Duration.ofMinutes(10), timeout);
  }

  static Integration integration(
      String id, String area, HealthCheck check, Duration interval, Duration timeout) {
    return new Integration(
        id,
        area,
        id + "-provider",
        Integration.Mode.DEV,
        false,
        Map.of("SETTING", "value"),
        Map.of("outbound", "10/s"),
        check,
        interval,
        timeout);
  }
}
