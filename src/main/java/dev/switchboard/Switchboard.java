package dev.switchboard;

import dev.switchboard.monitoring.ArchitectureCli;
import dev.switchboard.platform.apikeys.ApiKeyCli;
import dev.switchboard.platform.config.InvalidConfigurationException;
import dev.switchboard.platform.config.KnownVariables;
import dev.switchboard.platform.config.SwitchboardConfig;
import dev.switchboard.platform.crypto.NativeCrypto;
import dev.switchboard.platform.readiness.StatusCli;
import java.util.Arrays;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Starts Switchboard. Wiring lives in each area's {@code @Configuration}; nothing else belongs
 * here.
 */
@SpringBootApplication
@EnableScheduling
public class Switchboard {

  /** Exit status when the environment is invalid, distinct from a crash (1). */
  public static final int EXIT_CONFIGURATION = 2;

  public static void main(String[] args) {
    // `keys …` manages API keys on the database and exits; it never starts the web server.
    if (args.length > 0 && args[0].equals("keys")) {
      System.exit(ApiKeyCli.runFromCommandLine(Arrays.copyOfRange(args, 1, args.length)));
    }
    // `status` prints each integration's mode and the production checklist from the environment
    // alone.
    if (args.length > 0 && args[0].equals("status")) {
      System.exit(
          StatusCli.run(
              Arrays.copyOfRange(args, 1, args.length),
              System::getenv,
              System.getenv().keySet(),
              System.out,
              System.err));
    }
    // `architecture` prints the integration architecture document generated from the environment;
    // no server.
    if (args.length > 0 && args[0].equals("architecture")) {
      System.exit(ArchitectureCli.runFromCommandLine(Arrays.copyOfRange(args, 1, args.length)));
    }
    // The native cryptography provider loads beside the configuration check and Spring's first
    // steps; it is registered, or not, once the environment is read (NativeCryptoInstaller).
    NativeCrypto.preload();
    // Check the environment before Spring starts, so a typo fails in well under a second with just
    // the list of
    // problems. The same validation runs again inside the context (tests, command-line property
    // overrides).
    try {
      SwitchboardConfig.load(System::getenv);
    } catch (InvalidConfigurationException e) {
      System.err.println(e.getMessage());
      // A misspelled name is often why a required variable looks missing.
      KnownVariables.unknown(System.getenv().keySet()).forEach(w -> System.err.println("  - " + w));
      System.err.println(
          "Set or correct the variables above (each also accepts NAME_FILE); docs/configuration.md lists them all.");
      System.exit(EXIT_CONFIGURATION);
    }
    SpringApplication.run(Switchboard.class, args);
  }
}
