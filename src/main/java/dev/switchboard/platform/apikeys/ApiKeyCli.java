package dev.switchboard.platform.apikeys;

import dev.switchboard.platform.config.InvalidConfigurationException;
import dev.switchboard.platform.config.PlatformConfiguration;
import dev.switchboard.platform.config.Secret;
import dev.switchboard.platform.config.SwitchboardConfig;
import dev.switchboard.platform.http.ApiException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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

      Options (before or after the command):
        --url URL    go through the running server at URL (default: when the database cannot be opened,
                     SWITCHBOARD_PUBLIC_URL or http://localhost:PORT)
        --key KEY    admin API key for the server (default: SWITCHBOARD_ADMIN_API_KEY, then the dev key file)

      Scopes: %s (admin grants every scope).
      The database is the server's: DATABASE_URL, or the H2 file under SWITCHBOARD_DATA_DIR. While the server
      holds it (an H2 file is locked), the commands go through the server's key API instead.
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
    String url;
    String key;
    try {
      List<String> rest = new ArrayList<>(List.of(args));
      url = takeOption(rest, "--url");
      key = takeOption(rest, "--key");
      command = CliCommand.parse(rest.toArray(String[]::new));
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
    if (url != null) {
      return throughServer(command, config, url, key, out, err);
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
      if (locked(e)) {
        // The running server holds the H2 file: its key API does the work.
        err.println(
            "note: the database "
                + config.core().database().display()
                + " is in use by a running server; going through its key API.");
        return throughServer(command, config, null, key, out, err);
      }
      err.println(
          "error: cannot open the database "
              + config.core().database().display()
              + ": "
              + rootMessage(e));
      err.println("(if a server is running on it, pass --url to go through its key API)");
      return FAILED;
    }
    try {
      ApiKeyService keys =
          new ApiKeyService(
              new JdbcApiKeyStore(JdbcClient.create(dataSource)),
              new ApiKeyGenerator(new SecureRandom()),
              Clock.systemUTC(),
              config.core().adminApiKey());
      return command.execute(CliCommand.Keys.of(keys), out);
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

  /**
   * Runs {@code command} through the server's key API at {@code url} (or the configured public
   * URL), authenticated with {@code key}, {@code SWITCHBOARD_ADMIN_API_KEY} or the dev key file.
   */
  private static int throughServer(
      CliCommand command,
      SwitchboardConfig config,
      String url,
      String key,
      PrintStream out,
      PrintStream err) {
    URI base;
    try {
      base = URI.create(url != null ? url : config.core().publicUrl().toString());
      if (!"http".equalsIgnoreCase(base.getScheme()) && !"https".equalsIgnoreCase(base.getScheme())
          || base.getHost() == null) {
        throw new IllegalArgumentException("not an http(s) URL");
      }
    } catch (IllegalArgumentException e) {
      err.println(
          "error: --url "
              + Scopes.printable(String.valueOf(url))
              + " is not an http:// or https:// URL");
      return USAGE;
    }
    Optional<Secret> credential = adminCredential(config, key);
    if (credential.isEmpty()) {
      err.println(
          "error: no admin API key to use the server at "
              + base
              + " with: pass --key sk_…, set SWITCHBOARD_ADMIN_API_KEY, or (development) keep "
              + config.core().dataDir().resolve(DevApiKey.FILE_NAME)
              + ". If no server runs, check that the database "
              + config.core().database().display()
              + " is reachable.");
      return FAILED;
    }
    ServerKeys keys = new ServerKeys(base, credential.get());
    try {
      return command.execute(keys, out);
    } catch (ServerKeys.Unreachable e) {
      err.println(
          "error: cannot reach the server at "
              + keys.base()
              + ": "
              + e.getMessage()
              + ". Start the server, pass --url, or check that the database "
              + config.core().database().display()
              + " is reachable.");
      return FAILED;
    } catch (ApiException e) {
      if (e.status() == 401 || e.status() == 403) {
        err.println(
            "error: the server at "
                + keys.base()
                + " refused the admin key ("
                + e.code()
                + "): "
                + e.getMessage());
        return FAILED;
      }
      err.println("error: " + e.getMessage());
      return e.status() == 404 ? FAILED : USAGE;
    }
  }

  private static Optional<Secret> adminCredential(SwitchboardConfig config, String key) {
    if (key != null && !key.isBlank()) {
      return Optional.of(Secret.of(key.strip()));
    }
    if (config.core().adminApiKey().isPresent()) {
      return config.core().adminApiKey();
    }
    Path file = config.core().dataDir().resolve(DevApiKey.FILE_NAME);
    try {
      String value = Files.readString(file, StandardCharsets.UTF_8).strip();
      return value.isEmpty() ? Optional.empty() : Optional.of(Secret.of(value));
    } catch (IOException | SecurityException e) {
      return Optional.empty();
    }
  }

  /** Removes {@code --name VALUE} or {@code --name=VALUE} from {@code args}; returns the value. */
  private static String takeOption(List<String> args, String name) {
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.startsWith(name + "=")) {
        args.remove(i);
        return arg.substring(name.length() + 1);
      }
      if (arg.equals(name)) {
        if (i + 1 >= args.size()) {
          throw new IllegalArgumentException(name + " needs a value");
        }
        args.remove(i);
        return args.remove(i);
      }
    }
    return null;
  }

  /** H2's "Database may be already in use" (error 90020): another process holds the file. */
  private static boolean locked(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SQLException sql && sql.getErrorCode() == 90020) {
        return true;
      }
    }
    return false;
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
