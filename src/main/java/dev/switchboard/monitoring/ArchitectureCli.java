package dev.switchboard.monitoring;

import dev.switchboard.platform.config.EnvironmentCommand;
import dev.switchboard.platform.config.SwitchboardConfig;
import dev.switchboard.platform.integrations.ArchitectureSection;
import dev.switchboard.platform.readiness.StartupReadiness;
import java.io.PrintStream;
import java.time.Clock;
import java.util.List;
import java.util.function.Function;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.ClassPathBeanDefinitionScanner;
import org.springframework.core.type.filter.AssignableTypeFilter;

/**
 * {@code java -jar switchboard.jar architecture}: prints the generated architecture document from
 * the environment alone; no server, no database. The sections are the same beans the server uses,
 * found by a scan that builds only them (each takes nothing but the configuration and its
 * readiness). Exit status: 0 printed, 1 invalid configuration, 2 bad usage.
 */
public final class ArchitectureCli {

  private ArchitectureCli() {}

  /**
   * Entry point from {@code Switchboard.main}: the process environment, and only warnings on the
   * log.
   */
  public static int runFromCommandLine(String[] args) {
    // Without Spring Boot's logging set-up, Logback would print the scan's debug lines into the
    // document.
    LoggingSystem logging = LoggingSystem.get(ArchitectureCli.class.getClassLoader());
    logging.setLogLevel(LoggingSystem.ROOT_LOGGER_NAME, LogLevel.WARN);
    return run(args, System::getenv, System.out, System.err);
  }

  public static int run(
      String[] args, Function<String, String> env, PrintStream out, PrintStream err) {
    return EnvironmentCommand.run(
        "architecture",
        "java -jar switchboard.jar architecture > INTEGRATIONS.md",
        args,
        env,
        err,
        config -> {
          out.print(document(config, Clock.systemUTC()));
          out.flush();
          return 0;
        });
  }

  /**
   * Builds every {@link ArchitectureSection} under {@code dev.switchboard} and renders the
   * document.
   */
  static String document(SwitchboardConfig config, Clock clock) {
    try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext()) {
      context.registerBean(SwitchboardConfig.class, () -> config);
      context.registerBean(Clock.class, () -> clock);
      // The readiness checklist of the overview, with the process environment's names for
      // misspelled variables.
      context.registerBean(StartupReadiness.class);
      ClassPathBeanDefinitionScanner scanner = new ClassPathBeanDefinitionScanner(context, false);
      scanner.addIncludeFilter(new AssignableTypeFilter(ArchitectureSection.class));
      scanner.scan("dev.switchboard");
      context.refresh();
      List<ArchitectureSection> sections =
          List.copyOf(context.getBeansOfType(ArchitectureSection.class).values());
      return new ArchitectureDocument(config, sections, clock).render();
    }
  }
}
