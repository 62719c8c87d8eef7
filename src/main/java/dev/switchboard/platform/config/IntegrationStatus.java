package dev.switchboard.platform.config;

/**
 * One row of {@code switchboard status} and of the dashboard's status table, derived from the
 * configuration alone (no server needed).
 *
 * @param integration the integration map's id ({@code database}, {@code email}, {@code
 *     payments.stripe}, …)
 * @param provider what serves it now
 * @param mode {@code dev}, {@code embedded}, {@code test}, {@code live} or {@code off}
 * @param toGoLive the variables to set to make it live; empty when it is live
 */
public record IntegrationStatus(String integration, String provider, String mode, String toGoLive) {

  public boolean live() {
    return mode.equals("live");
  }
}
