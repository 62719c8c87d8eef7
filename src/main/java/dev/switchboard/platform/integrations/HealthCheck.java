package dev.switchboard.platform.integrations;

/** Checks one integration. Run on a schedule by the health monitor, never on a request thread. */
@FunctionalInterface
public interface HealthCheck {

  /**
   * Performs one check: a cheap, read-only round trip to the dependency ({@code SELECT 1}, {@code
   * PING}, an authenticated metadata call). The monitor enforces the timeout and measures latency.
   *
   * @return the outcome; throwing counts as {@link HealthStatus#DOWN} with the exception's class as
   *     detail
   * @throws Exception when the dependency cannot be reached
   */
  HealthResult check() throws Exception;
}
