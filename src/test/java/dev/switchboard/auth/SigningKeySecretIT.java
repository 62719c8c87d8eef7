package dev.switchboard.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.switchboard.Switchboard;
import dev.switchboard.platform.config.InvalidConfigurationException;
import dev.switchboard.platform.instances.InstanceRegistry;
import dev.switchboard.testing.PostgresTestDatabase;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A second instance on the same database whose {@code SWITCHBOARD_AUTH_KEY_SECRET} cannot open the
 * signing keys the first one created refuses to start, naming the variable, instead of answering
 * 500 to every sign-in and to the first instance's tokens.
 */
class SigningKeySecretIT {

  static final String FIRST = "first-instance-key-secret-0123456789-abcdef";
  static final String SECOND = "second-instance-key-secret-9876543210-zyxwv";

  final String database = PostgresTestDatabase.freshUrl();
  final Path dir = Path.of("target/it-data/key-secret-" + UUID.randomUUID());

  @Test
  void startWhenTheSecretDiffersFromTheOneThatSealedTheKeysThenRefusedNamingTheVariable() {
    try (ConfigurableApplicationContext first = start("a", FIRST)) {
      Throwable refused = catchThrowable(() -> start("b", SECOND).close());

      InvalidConfigurationException problem = configurationProblem(refused);
      assertThat(problem.problems()).hasSize(1);
      assertThat(problem.problems().get(0))
          .startsWith(
              "SWITCHBOARD_AUTH_KEY_SECRET: cannot open the access-token signing keys stored in"
                  + " the database (key ")
          .contains("this instance's value differs from the one they were sealed with")
          .contains("Every instance sharing a database needs the same value")
          .doesNotContain(FIRST, SECOND);
      assertThat(first.getBean(InstanceRegistry.class).roster().members())
          .as("refused before it registered")
          .hasSize(1);
    }
  }

  @Test
  void startWhenNeitherSetsTheSecretAndTheDataDirsDifferThenTheSecondIsRefused() {
    try (ConfigurableApplicationContext first = start("a", null)) {
      Throwable refused = catchThrowable(() -> start("b", null).close());

      String problem = configurationProblem(refused).problems().get(0);
      assertThat(problem)
          .startsWith("SWITCHBOARD_AUTH_KEY_SECRET: cannot open")
          .contains(
              "this instance has no SWITCHBOARD_AUTH_KEY_SECRET and uses the secret generated in "
                  + dir.resolve("b").toAbsolutePath().normalize().resolve("auth-key-secret"));
    }
  }

  @Test
  void startWhenTheSecondUsesTheSameSecretThenItStarts() {
    try (ConfigurableApplicationContext first = start("a", FIRST);
        ConfigurableApplicationContext second = start("b", FIRST)) {
      assertThat(second.getBean(InstanceRegistry.class).roster().members()).hasSize(2);
    }
  }

  ConfigurableApplicationContext start(String name, String secret) {
    Map<String, Object> env = new HashMap<>();
    env.put("DATABASE_URL", database);
    env.put("SWITCHBOARD_DATA_DIR", dir.resolve(name).toString());
    env.put("PORT", "0");
    if (secret != null) {
      env.put("SWITCHBOARD_AUTH_KEY_SECRET", secret);
    }
    return new SpringApplicationBuilder(Switchboard.class).properties(env).run();
  }

  static InvalidConfigurationException configurationProblem(Throwable thrown) {
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      if (t instanceof InvalidConfigurationException problem) {
        return problem;
      }
    }
    throw new AssertionError("startup did not fail with a configuration problem", thrown);
  }
}
