package dev.switchboard.platform.config;

import java.io.PrintStream;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * The start every command-line tool that reads only the environment shares ({@code status}, {@code
 * architecture}): it takes no arguments, then loads the configuration, then runs. Exit status: what
 * the command returns, 1 when the configuration is invalid (every problem printed), 2 bad usage.
 */
public final class EnvironmentCommand {

  private EnvironmentCommand() {}

  /**
   * @param name the command's name, for the usage error
   * @param usage the usage line printed after it
   * @param command runs on the loaded configuration and returns the exit status
   */
  public static int run(
      String name,
      String usage,
      String[] args,
      Function<String, String> env,
      PrintStream err,
      ToIntFunction<SwitchboardConfig> command) {
    if (args.length > 0) {
      err.println("error: " + name + " takes no arguments");
      err.println("Usage: " + usage);
      return 2;
    }
    SwitchboardConfig config;
    try {
      config = SwitchboardConfig.load(env);
    } catch (InvalidConfigurationException e) {
      err.println(e.getMessage());
      return 1;
    }
    return command.applyAsInt(config);
  }
}
