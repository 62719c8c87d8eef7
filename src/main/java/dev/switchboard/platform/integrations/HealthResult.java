package dev.switchboard.platform.integrations;

/**
 * The outcome of one check.
 *
 * @param status up, degraded or down
 * @param detail a short human note, never a secret ({@code "SELECT 1 ok"}, {@code "connection
 *     refused"})
 */
public record HealthResult(HealthStatus status, String detail) {

  public static HealthResult up(String detail) {
    return new HealthResult(HealthStatus.UP, detail);
  }

  public static HealthResult degraded(String detail) {
    return new HealthResult(HealthStatus.DEGRADED, detail);
  }

  public static HealthResult down(String detail) {
    return new HealthResult(HealthStatus.DOWN, detail);
  }
}
