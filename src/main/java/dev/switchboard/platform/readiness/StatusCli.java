package dev.switchboard.platform.readiness;

import dev.switchboard.platform.config.ConfigFinding;
import dev.switchboard.platform.config.EnvironmentCommand;
import dev.switchboard.platform.config.IntegrationStatus;
import dev.switchboard.platform.config.SwitchboardConfig;
import java.io.PrintStream;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;

/**
 * {@code java -jar switchboard.jar status}: what each integration runs on, what to set to make it
 * live, where the dashboard and its key are, and the production readiness checklist; from the
 * environment alone, without starting the server or opening the database (like {@code supabase
 * status}). Exit status: 0 printed, 1 the configuration is invalid (its problems are printed), 2
 * bad usage.
 */
public final class StatusCli {

  private static final String ROW = "%-16s %-22s %-9s %s%n";

  private StatusCli() {}

  /**
   * @param args arguments after {@code status} (none are accepted)
   * @param env looks up a variable
   * @param setVariables names of the variables that are set, to report misspelled ones
   */
  public static int run(
      String[] args,
      Function<String, String> env,
      Collection<String> setVariables,
      PrintStream out,
      PrintStream err) {
    return EnvironmentCommand.run(
        "status",
        "java -jar switchboard.jar status",
        args,
        env,
        err,
        config -> {
          print(new Readiness(config, setVariables), out);
          return 0;
        });
  }

  static void print(Readiness readiness, PrintStream out) {
    SwitchboardConfig config = readiness.config();
    out.println("Switchboard (" + config.core().mode().id() + " mode)");
    out.println();
    out.printf(ROW, "INTEGRATION", "PROVIDER", "MODE", "TO MAKE IT LIVE");
    for (IntegrationStatus row : readiness.integrations()) {
      out.printf(
          ROW, row.integration(), row.provider(), row.mode(), row.live() ? "-" : row.toGoLive());
    }
    out.println();
    out.println("Dashboard:  " + readiness.dashboardUrl());
    out.println("Admin key:  " + readiness.adminKeyLocation());
    out.println("Data dir:   " + config.core().dataDir());
    out.println("Database:   " + config.core().database().display());
    out.println();
    List<ConfigFinding> checklist = readiness.checklist();
    if (checklist.isEmpty()) {
      out.println("Ready for production: nothing is a dev or embedded default, weak, or missing.");
      return;
    }
    out.println("Before production (" + checklist.size() + "):");
    for (ConfigFinding item : checklist) {
      out.println("  [" + item.kind().label() + "] " + item.variable() + ": " + item.message());
    }
  }
}
