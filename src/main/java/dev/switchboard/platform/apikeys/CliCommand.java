package dev.switchboard.platform.apikeys;

import java.io.PrintStream;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * One parsed {@code keys} command: parsing is separate from running so bad usage never touches the
 * database.
 */
sealed interface CliCommand {

  /**
   * Runs the command against {@code keys}, printing to {@code out}.
   *
   * @return the exit status
   * @throws dev.switchboard.platform.http.ApiException on invalid input or an unknown key
   */
  int execute(Keys keys, PrintStream out);

  /**
   * Where the commands act: the database directly ({@link #of(ApiKeyService)}) or a running
   * server's key API ({@link ServerKeys}).
   */
  interface Keys {
    CreatedApiKey create(String name, List<String> scopes);

    List<ApiKey> list();

    ApiKey revoke(String id);

    static Keys of(ApiKeyService service) {
      return new Keys() {
        @Override
        public CreatedApiKey create(String name, List<String> scopes) {
          return service.create(name, scopes);
        }

        @Override
        public List<ApiKey> list() {
          return service.list();
        }

        @Override
        public ApiKey revoke(String id) {
          return service.revoke(id);
        }
      };
    }
  }

  /**
   * Parses the arguments after {@code keys}.
   *
   * @throws IllegalArgumentException with a message for the user when the usage is wrong
   */
  static CliCommand parse(String[] args) {
    if (args.length == 0) {
      throw new IllegalArgumentException("missing command");
    }
    List<String> rest = List.of(args).subList(1, args.length);
    return switch (args[0]) {
      case "create" -> Create.parse(rest);
      case "list" -> {
        noMoreArguments(rest);
        yield new ListKeys();
      }
      case "revoke" -> {
        if (rest.size() != 1 || rest.get(0).startsWith("-")) {
          throw new IllegalArgumentException("revoke takes exactly one KEY_ID");
        }
        yield new Revoke(rest.get(0));
      }
      case "help", "--help", "-h" -> new Help();
      default ->
          throw new IllegalArgumentException("unknown command '" + Scopes.printable(args[0]) + "'");
    };
  }

  private static void noMoreArguments(List<String> rest) {
    if (!rest.isEmpty()) {
      throw new IllegalArgumentException(
          "unexpected argument '" + Scopes.printable(rest.get(0)) + "'");
    }
  }

  /** Prints the usage. */
  record Help() implements CliCommand {
    @Override
    public int execute(Keys keys, PrintStream out) {
      out.print(ApiKeyCli.USAGE_TEXT);
      return ApiKeyCli.OK;
    }
  }

  /** {@code create --name NAME --scopes a,b}; also {@code --name=NAME}. */
  record Create(String name, String scopes) implements CliCommand {

    static Create parse(List<String> args) {
      String name = null;
      String scopes = null;
      for (int i = 0; i < args.size(); i++) {
        String arg = args.get(i);
        String option = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
        String value;
        if (arg.contains("=")) {
          value = arg.substring(arg.indexOf('=') + 1);
        } else if (i + 1 < args.size()) {
          value = args.get(++i);
        } else {
          throw new IllegalArgumentException(option + " needs a value");
        }
        switch (option) {
          case "--name" -> name = value;
          case "--scopes" -> scopes = value;
          default ->
              throw new IllegalArgumentException(
                  "unknown option '" + Scopes.printable(option) + "'");
        }
      }
      if (name == null || scopes == null) {
        throw new IllegalArgumentException("create needs --name and --scopes");
      }
      return new Create(name, scopes);
    }

    @Override
    public int execute(Keys keys, PrintStream out) {
      CreatedApiKey created = keys.create(name, Scopes.parseCommaSeparated(scopes));
      ApiKey key = created.key();
      out.println(
          "Created "
              + key.id()
              + " \""
              + key.name()
              + "\" with scopes "
              + String.join(", ", key.scopes())
              + ".");
      out.println("Its secret is shown only now; store it where your app reads its secrets:");
      out.println();
      out.println(created.secret().reveal());
      return ApiKeyCli.OK;
    }
  }

  /** {@code list}: a table of keys, never their secrets. */
  record ListKeys() implements CliCommand {
    private static final String ROW = "%-26s  %-24s  %-9s  %-40s  %-20s  %-20s  %s%n";

    @Override
    public int execute(Keys keys, PrintStream out) {
      List<ApiKey> all = keys.list();
      if (all.isEmpty()) {
        out.println("No API keys yet. Create one with: keys create --name NAME --scopes SCOPES");
        return ApiKeyCli.OK;
      }
      out.printf(ROW, "ID", "NAME", "KEY", "SCOPES", "CREATED", "LAST USED", "STATUS");
      for (ApiKey key : all) {
        out.printf(
            ROW,
            key.id(),
            key.name(),
            key.prefix() + "…",
            String.join(",", key.scopes()),
            time(Optional.of(key.createdAt())),
            time(key.lastUsedAt()),
            key.revokedAt().map(at -> "revoked " + time(Optional.of(at))).orElse("active"));
      }
      return ApiKeyCli.OK;
    }

    private static String time(Optional<Instant> at) {
      return at.map(t -> DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS)))
          .orElse("never");
    }
  }

  /** {@code revoke KEY_ID}. */
  record Revoke(String id) implements CliCommand {
    @Override
    public int execute(Keys keys, PrintStream out) {
      ApiKey key = keys.revoke(id);
      out.println("Revoked " + key.id() + " \"" + key.name() + "\"; it no longer authenticates.");
      return ApiKeyCli.OK;
    }
  }
}
