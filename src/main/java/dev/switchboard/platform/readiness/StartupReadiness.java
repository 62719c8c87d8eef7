package dev.switchboard.platform.readiness;

import dev.switchboard.platform.config.ConfigFinding;
import dev.switchboard.platform.config.ConfigFinding.Kind;
import dev.switchboard.platform.config.SwitchboardConfig;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;

/**
 * The readiness of the running configuration, for the dashboard's map, and the startup warnings:
 * misspelled variables in every mode; in production also each unsafe-but-accepted setting and what
 * a single box means.
 */
public class StartupReadiness {

  private static final Logger log = LoggerFactory.getLogger("dev.switchboard");

  private final Readiness readiness;

  public StartupReadiness(SwitchboardConfig config, ConfigurableEnvironment environment) {
    this.readiness = new Readiness(config, variableNames(environment));
  }

  public Readiness readiness() {
    return readiness;
  }

  /**
   * Names that look like environment variables (upper case) in every enumerable property source.
   */
  static Set<String> variableNames(ConfigurableEnvironment environment) {
    Set<String> names = new TreeSet<>();
    for (PropertySource<?> source : environment.getPropertySources()) {
      if (source instanceof EnumerablePropertySource<?> enumerable) {
        for (String name : enumerable.getPropertyNames()) {
          if (name.matches("^[A-Z][A-Z0-9_]*$")) {
            names.add(name);
          }
        }
      }
    }
    return names;
  }

  @EventListener(ApplicationReadyEvent.class)
  void warn() {
    for (String line : startupWarnings()) {
      log.warn(line);
    }
  }

  /** The lines logged at startup; values are never part of them. */
  List<String> startupWarnings() {
    boolean production = readiness.config().core().production();
    return readiness.checklist().stream()
        .filter(
            f ->
                f.kind() == Kind.UNKNOWN_VARIABLE
                    || (production
                        && (f.kind() == Kind.WARNING
                            || f.kind() == Kind.EMBEDDED
                            || f.kind() == Kind.MISSING)))
        .map(StartupReadiness::line)
        .toList();
  }

  private static String line(ConfigFinding f) {
    return switch (f.kind()) {
      case UNKNOWN_VARIABLE -> f.variable() + " " + f.message();
      case EMBEDDED -> "Single box: " + f.variable() + ": " + f.message();
      default -> "Production " + f.kind().label() + ": " + f.variable() + " " + f.message();
    };
  }
}
