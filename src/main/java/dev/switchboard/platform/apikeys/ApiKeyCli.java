package dev.switchboard.platform.apikeys;

import dev.switchboard.platform.config.InvalidConfigurationException;
import dev.switchboard.platform.config.PlatformConfiguration;
import dev.switchboard.platform.config.SwitchboardConfig;
import dev.switchboard.platform.http.ApiException;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.function.Function;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * {@code java -jar switchboard.jar keys create|list|revoke}: manages keys without starting the web
 * server, on the database the server uses (migrated first, with the same migrations). The
 * environment and output streams are parameters so tests run it in-process. Exit status: 0 done, 1
 * configuration or database problem or unknown key, 2 bad usage.
 */
public final class ApiKeyCli {

  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int USAGE = 2;

  static final String USAGE_TEXT =
      """
      Usage: java -jar switchboard.jar keys <command>

        keys create --name NAME --scopes SCOPE[,SCOPE...]   create a key and print its secret (shown only once)
        keys list                                           list keys (never their secrets)
        keys revoke KEY_ID                                  revoke a key; it stops working at once

      Scopes: %s (admin grants every scope).
      The database is the server's: DATABASE_URL, or the H2 file under SWITCHBOARD_DATA_DIR.
      """
          .formatted(String.join(", ", Scopes.ALL));

  private ApiKeyCli() {}

  /**
   * Entry point from {@code Switchboard.main}: the process environment, quiet logging, and the exit
   * status.
   */
  public static int runFromCommandLine(String[] args) {
    // Connection pool and migration chatter would bury the one line the user needs (the secret).
    LoggingSystem logging = LoggingSystem.get(ApiKeyCli.class.getClassLoader());
    logging.setLogLevel(LoggingSystem.ROOT_LOGGER_NAME, LogLevel.WARN);
    // Flyway warns about driver versions it has not certified; real migration failures still reach
    // the user below.
    logging.setLogLevel("org.flywaydb", LogLevel.ERROR);
    return run(args, System::getenv, System.out, System.err);
  }

  /**
   * Runs one command.
   *
   * @param args the arguments after {@code keys}
   * @param env looks up environment variables
   * @return the exit status
   */
  public static int run(
      String[] args, Function<String, String> env, PrintStream out, PrintStream err) {
    CliCommand command;
    try {
      command = CliCommand.parse(args);
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      err.print(USAGE_TEXT);
      return USAGE;
    }
    if (command instanceof CliCommand.Help) {
      out.print(USAGE_TEXT);
      return OK;
    }
    SwitchboardConfig config;
    try {
      config = SwitchboardConfig.load(env);
    } catch (InvalidConfigurationException e) {
      err.println(e.getMessage());
      return FAILED;
    }
    DataSource dataSource;
    try {
      dataSource = new PlatformConfiguration().dataSource(config);
      Flyway.configure()
          .dataSource(dataSource)
          .locations("classpath:db/migration")
          .validateMigrationNaming(true)
          .load()
          .migrate();
    } catch (RuntimeException e) {
      err.println(
          "error: cannot open the database "
              + config.core().database().display()
              + ": "
              + rootMessage(e));
      err.println(
          "(an H2 file database cannot be opened while the server is running on it; use the HTTP API then)");
      return FAILED;
    }
    try {
      ApiKeyService keys =
          new ApiKeyService(
              new JdbcApiKeyStore(JdbcClient.create(dataSource)),
              new ApiKeyGenerator(new SecureRandom()),
              Clock.systemUTC(),
              config.core().adminApiKey());
      return command.execute(keys, out);
    } catch (ApiException e) {
      err.println("error: " + e.getMessage());
      return e.status() == 404 ? FAILED : USAGE;
    } finally {
      if (dataSource instanceof AutoCloseable closeable) {
        try {
          closeable.close();
        } catch (Exception ignored) {
          // The process is about to exit; nothing useful to do with a failed pool shutdown.
        }
      }
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message =
        root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return List.of(message.split("\\R")).get(0);
  }
}
