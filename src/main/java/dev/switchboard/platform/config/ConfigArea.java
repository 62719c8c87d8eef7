package dev.switchboard.platform.config;

import java.util.List;

/**
 * One area's configuration, registered with the platform's reader: the variables the area reads,
 * how it reads and validates them into its record, and what it adds to the production checklist and
 * the status table. The platform knows no area: each registers its implementation in {@code
 * META-INF/services/dev.switchboard.platform.config.ConfigArea} (the JDK's {@link
 * java.util.ServiceLoader}), in the order the areas are read and shown, and {@link
 * SwitchboardConfig#load} reads them all with one {@link ConfigReader}, so a failed start still
 * lists every problem with the variable to set.
 *
 * @param <T> the area's configuration record
 */
public interface ConfigArea<T> {

  /** The record {@link #load} returns; {@link SwitchboardConfig#area} finds it by this type. */
  Class<T> type();

  /** Every variable {@link #load} reads; {@link KnownVariables} is the union over the areas. */
  List<String> variables();

  /**
   * Prefixes that mark a variable as meant for this area ({@code STRIPE_}), so a misspelled one is
   * reported.
   */
  List<String> prefixes();

  /**
   * Reads and validates the area's variables. Every problem goes to {@link ConfigReader#problem}
   * and a usable value is returned anyway, so reading runs to the end.
   */
  T load(ConfigReader reader, CoreConfig core);

  /**
   * What an operator should know before production, from this area's settings: unsafe settings
   * ({@link ConfigFinding.Kind#REFUSED_IN_PRODUCTION}, refused at startup in production; {@link
   * ConfigFinding.Kind#WARNING}) and the area's own checklist lines. Dev stand-ins in {@link
   * #integrations} are listed by the checklist itself.
   */
  default List<ConfigFinding> findings(T config, CoreConfig core) {
    return List.of();
  }

  /** The area's rows of {@code switchboard status}, in the integration map's order. */
  default List<IntegrationStatus> integrations(T config, CoreConfig core) {
    return List.of();
  }

  /**
   * What one of this area's {@code embedded} rows means on a single box, for the checklist.
   *
   * @param row one of {@link #integrations}' rows whose mode is {@code embedded}
   */
  default String embedded(IntegrationStatus row, T config, CoreConfig core) {
    return row.integration() + " runs embedded; set " + row.toGoLive();
  }
}
