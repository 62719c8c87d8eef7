package dev.switchboard.platform.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Function;

/**
 * Every setting, read once from the environment at startup and never changed: the process-wide
 * {@link CoreConfig} and one record per area, each read by the {@link ConfigArea} its area
 * registers. {@link #load} reports every problem at once; see {@code docs/configuration.md} for the
 * variables.
 */
public record SwitchboardConfig(CoreConfig core, Map<Class<?>, Object> areas) {

  /** The registered areas, in the order of their service file: read, checked and shown so. */
  static final List<ConfigArea<?>> AREAS =
      ServiceLoader.load(ConfigArea.class, ConfigArea.class.getClassLoader()).stream()
          .<ConfigArea<?>>map(ServiceLoader.Provider::get)
          .toList();

  /**
   * @param areas each area's record by its type, in registration order; built by {@link #load}
   */
  public SwitchboardConfig {
    areas = Collections.unmodifiableMap(new LinkedHashMap<>(areas));
  }

  /**
   * Loads and validates the configuration.
   *
   * @param env looks up a variable by name; {@code System::getenv} in production
   * @throws InvalidConfigurationException listing every problem, each naming its variable
   */
  public static SwitchboardConfig load(Function<String, String> env) {
    ConfigReader r = new ConfigReader(env);
    CoreConfig core = CoreConfig.load(r);
    Map<Class<?>, Object> areas = new LinkedHashMap<>();
    for (ConfigArea<?> area : AREAS) {
      areas.put(area.type(), area.load(r, core));
    }
    SwitchboardConfig config = new SwitchboardConfig(core, areas);
    if (core.production()) {
      ProductionSafety.refuse(r, config);
    }
    if (!r.problems().isEmpty()) {
      throw new InvalidConfigurationException(r.problems());
    }
    return config;
  }

  /**
   * One area's record, e.g. {@code config.area(EmailConfig.class)}.
   *
   * @throws IllegalArgumentException when no registered area reads {@code type}
   */
  public <T> T area(Class<T> type) {
    Object value = areas.get(type);
    if (value == null) {
      throw new IllegalArgumentException(
          type.getName() + " is not the record of a registered ConfigArea");
    }
    return type.cast(value);
  }

  /** Every area's findings (unsafe settings and checklist lines), in registration order. */
  public List<ConfigFinding> areaFindings() {
    List<ConfigFinding> out = new ArrayList<>();
    for (ConfigArea<?> area : AREAS) {
      out.addAll(findings(area));
    }
    return out;
  }

  /** Every area's status rows, each with what its {@code embedded} mode means on a single box. */
  public List<AreaStatus> areaStatus() {
    List<AreaStatus> out = new ArrayList<>();
    for (ConfigArea<?> area : AREAS) {
      out.addAll(status(area));
    }
    return out;
  }

  /** A status row and, when its mode is {@code embedded}, what that means on a single box. */
  public record AreaStatus(IntegrationStatus row, String embedded) {}

  private <T> List<ConfigFinding> findings(ConfigArea<T> area) {
    return area.findings(area(area.type()), core);
  }

  private <T> List<AreaStatus> status(ConfigArea<T> area) {
    T value = area(area.type());
    return area.integrations(value, core).stream()
        .map(row -> new AreaStatus(row, area.embedded(row, value, core)))
        .toList();
  }

  @Override
  public String toString() {
    return "SwitchboardConfig[mode=" + core.mode().id() + "]";
  }
}
