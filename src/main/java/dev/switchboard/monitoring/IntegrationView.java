package dev.switchboard.monitoring;

import dev.switchboard.platform.integrations.Integration;
import java.time.Instant;
import java.util.Map;

/**
 * One box of the integration map as the API and dashboard show it. Configuration values are already
 * masked by the area that declared the integration.
 *
 * @param id integration id
 * @param area owning area
 * @param provider provider id
 * @param mode dev, test or live
 * @param configured whether the operator configured it
 * @param health the cached result of the last check
 * @param rateLimits name to rate, e.g. {@code outbound: 100/s}
 * @param config variable name to masked value
 */
public record IntegrationView(
    String id,
    String area,
    String provider,
    String mode,
    boolean configured,
    Health health,
    Map<String, String> rateLimits,
    Map<String, String> config) {

  /**
   * The last check.
   *
   * @param status up, degraded, down or unknown (not checked yet)
   * @param detail short note from the check
   * @param latencyMs how long the check took; {@code null} before the first check
   * @param checkedAt when it finished; {@code null} before the first check
   * @param since when the status last changed
   */
  public record Health(
      String status, String detail, Long latencyMs, Instant checkedAt, Instant since) {}

  static IntegrationView of(Integration integration, IntegrationHealth health) {
    Health view =
        new Health(
            health.status().id(),
            health.detail(),
            health.checked() ? health.latency().toMillis() : null,
            health.checkedAt(),
            health.since());
    return new IntegrationView(
        integration.id(),
        integration.area(),
        integration.provider(),
        integration.mode() == null ? null : integration.mode().id(),
        integration.configured(),
        view,
        integration.rateLimits(),
        integration.maskedConfig());
  }
}
