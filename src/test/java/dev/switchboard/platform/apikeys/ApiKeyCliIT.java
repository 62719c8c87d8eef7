package dev.switchboard.platform.apikeys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.platform.config.PlatformConfiguration;
import dev.switchboard.platform.config.SwitchboardConfig;
import dev.switchboard.platform.db.FailFastDataSource;
import dev.switchboard.testing.PostgresTestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The {@code keys} command in-process, against an H2 file database and a fresh PostgreSQL schema.
 */
class ApiKeyCliIT {

  record Run(int status, String out, String err) {}

  static Run run(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        ApiKeyCli.run(
            args,
            env::get,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(
        status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  static Map<String, String> environment(String database) {
    return database.equals("h2")
        ? Map.of(
            "SWITCHBOARD_DATA_DIR",
            Path.of("target", "it-data", "cli-" + UUID.randomUUID()).toString())
        : Map.of("DATABASE_URL", PostgresTestDatabase.freshUrl());
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgresql"})
  void keysWhenCreateListRevokeThenSecretPrintedOnceAndStoredHashed(String database)
      throws Exception {
    Map<String, String> env = environment(database);
    assertThat(run(env, "list").out()).contains("No API keys yet");

    Run created =
        run(env, "create", "--name", "nightly export", "--scopes", "analytics:read,email:send");
    assertThat(created.status()).as(created.err()).isEqualTo(ApiKeyCli.OK);
    List<String> lines = created.out().lines().filter(l -> !l.isBlank()).toList();
    String secret = lines.get(lines.size() - 1);
    assertThat(secret).matches("^sk_[0-9A-Za-z]{43}$");
    String id = created.out().replaceAll("(?s)^Created (key_[0-9A-Za-z]+) .*", "$1");
    assertThat(created.out())
        .contains("\"nightly export\" with scopes email:send, analytics:read.");

    Run listed = run(env, "list");
    assertThat(listed.status()).isEqualTo(ApiKeyCli.OK);
    assertThat(listed.out())
        .contains(id)
        .contains("nightly export")
        .contains(secret.substring(0, 7) + "…")
        .contains("email:send,analytics:read")
        .contains("active")
        .doesNotContain(secret)
        .doesNotContain(secret.substring(7));

    try (FailFastDataSource db =
        (FailFastDataSource)
            new PlatformConfiguration().dataSource(SwitchboardConfig.load(env::get))) {
      JdbcClient jdbc = JdbcClient.create(db);
      assertThat(
              jdbc.sql("SELECT key_hash FROM api_keys WHERE id = ?")
                  .param(id)
                  .query(String.class)
                  .single())
          .isEqualTo(ApiKeyHash.of(secret));
      String everything =
          jdbc.sql("SELECT id || name || prefix || key_hash || scopes FROM api_keys")
              .query(String.class)
              .single();
      assertThat(everything).doesNotContain(secret.substring(7));
    }

    Run revoked = run(env, "revoke", id);
    assertThat(revoked.status()).isEqualTo(ApiKeyCli.OK);
    assertThat(revoked.out()).contains("Revoked " + id);
    assertThat(run(env, "list").out()).contains("revoked 20").doesNotContain("active");
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgresql"})
  void keysWhenBadValuesOrUnknownIdThenErrorAndNothingChanged(String database) {
    Map<String, String> env = environment(database);
    Run unknownScope = run(env, "create", "--name", "ci", "--scopes", "email:send,email:read");
    assertThat(unknownScope.status()).isEqualTo(ApiKeyCli.USAGE);
    assertThat(unknownScope.err())
        .contains("unknown scope 'email:read'")
        .contains("analytics:read");
    Run blankName = run(env, "create", "--name", " ", "--scopes", "admin");
    assertThat(blankName.status()).isEqualTo(ApiKeyCli.USAGE);
    assertThat(blankName.err()).contains("name is required");
    Run unknownId = run(env, "revoke", "key_nope");
    assertThat(unknownId.status()).isEqualTo(ApiKeyCli.FAILED);
    assertThat(unknownId.err()).contains("API key 'key_nope' not found");
    assertThat(run(env, "list").out()).contains("No API keys yet");
  }

  @Test
  void keysWhenDatabaseUnreachableThenSaysSoAndExits1() {
    Run run =
        run(Map.of("DATABASE_URL", "postgresql://nobody:hunter2secret@127.0.0.1:1/none"), "list");
    assertThat(run.status()).isEqualTo(ApiKeyCli.FAILED);
    assertThat(run.err())
        .startsWith("error: cannot open the database jdbc:postgresql://127.0.0.1:1/none")
        .doesNotContain("hunter2secret");
  }

  @Test
  void keysWhenUrlGivenWithoutAnyAdminKeyThenSaysWhichCredentialToProvideAndExits1() {
    Run run =
        run(
            Map.of(
                "SWITCHBOARD_DATA_DIR",
                Path.of("target", "it-data", "cli-" + UUID.randomUUID()).toString()),
            "--url",
            "http://127.0.0.1:1",
            "list");
    assertThat(run.status()).isEqualTo(ApiKeyCli.FAILED);
    assertThat(run.err())
        .startsWith("error: no admin API key to use the server at http://127.0.0.1:1")
        .contains("--key")
        .contains("SWITCHBOARD_ADMIN_API_KEY");
  }

  @Test
  void keysWhenServerUnreachableThenSaysSoWithoutTheKeyAndExits1() throws Exception {
    int port = dev.switchboard.testing.FreePort.next();
    Run run =
        run(
            Map.of(
                "SWITCHBOARD_DATA_DIR",
                Path.of("target", "it-data", "cli-" + UUID.randomUUID()).toString()),
            "list",
            "--url=http://127.0.0.1:" + port,
            "--key",
            "sk_cli_unreachable_secret_0123456789");
    assertThat(run.status()).isEqualTo(ApiKeyCli.FAILED);
    assertThat(run.err())
        .startsWith("error: cannot reach the server at http://127.0.0.1:" + port)
        .doesNotContain("sk_cli_unreachable_secret");
  }
}
