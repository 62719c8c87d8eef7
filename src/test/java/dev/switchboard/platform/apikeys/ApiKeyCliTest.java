package dev.switchboard.platform.apikeys;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Usage and configuration errors: answered before any database is opened. */
class ApiKeyCliTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(Map<String, String> env, String... args) {
    return ApiKeyCli.run(
        args,
        env::get,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "frobnicate",
        "create",
        "create --name x",
        "create --scopes admin",
        "create --name",
        "create --name x --scopes admin --colour red",
        "list extra",
        "revoke",
        "revoke a b",
        "revoke --force"
      })
  void runWhenBadUsageThenPrintsUsageAndExits2(String line) {
    String[] args = line.isEmpty() ? new String[0] : line.split(" ");
    // DATABASE_URL points nowhere: bad usage must fail before any connection is tried.
    assertThat(run(Map.of("DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none"), args))
        .isEqualTo(ApiKeyCli.USAGE);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .startsWith("error: ")
        .contains("Usage: java -jar switchboard.jar keys");
    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void runWhenHelpThenUsageOnStdoutAndExit0() {
    assertThat(run(Map.of(), "--help")).isEqualTo(ApiKeyCli.OK);
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("keys create --name NAME --scopes")
        .contains("email:send, files:write, payments:write, analytics:read, admin");
  }

  @Test
  void runWhenConfigurationInvalidThenListsEveryProblemAndExits1() {
    int status = run(Map.of("SWITCHBOARD_ENV", "staging", "PORT", "99999"), "list");
    assertThat(status).isEqualTo(ApiKeyCli.FAILED);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("SWITCHBOARD_ENV:").contains("PORT:");
    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
  }
}
