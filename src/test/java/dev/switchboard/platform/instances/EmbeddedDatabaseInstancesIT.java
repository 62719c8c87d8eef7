package dev.switchboard.platform.instances;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.switchboard.Switchboard;
import dev.switchboard.monitoring.HealthMonitor;
import dev.switchboard.platform.config.InvalidConfigurationException;
import dev.switchboard.platform.integrations.HealthStatus;
import dev.switchboard.testing.Eventually;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The embedded H2 database and several instances. A second process on the same data dir finds the
 * file locked (H2 error 90020) and is refused with the variables to set; instances that do share
 * one H2 database (here two in one JVM, as {@code AUTO_SERVER} or a TCP server would allow) see
 * each other in the registry and flag the database box.
 */
@ExtendWith(OutputCaptureExtension.class)
class EmbeddedDatabaseInstancesIT {

  final Path dir = Path.of("target/it-data/h2-instances-" + UUID.randomUUID()).toAbsolutePath();

  @Test
  void startWhenAnotherProcessHoldsTheH2FileThenRefusedNamingTheDataDir() throws Exception {
    start().close();
    Path file = dir.resolve("db").resolve("switchboard.mv.db");
    // H2 locks its file with a FileChannel lock; held here, it is what a second process sees.
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE);
        FileLock lock = channel.lock()) {
      Throwable refused = catchThrowable(() -> start().close());

      InvalidConfigurationException problem = null;
      for (Throwable t = refused; t != null; t = t.getCause()) {
        if (t instanceof InvalidConfigurationException p) {
          problem = p;
        }
      }
      assertThat(problem).as("refused with a configuration problem: %s", refused).isNotNull();
      assertThat(problem.problems())
          .containsExactly(
              "SWITCHBOARD_DATA_DIR: the embedded H2 database in "
                  + dir.resolve("db")
                  + " is open in another process (another Switchboard on the same data dir?);"
                  + " H2 lets one process hold its file. Stop the other process or give this one"
                  + " its own SWITCHBOARD_DATA_DIR; to run several instances on one database, set"
                  + " DATABASE_URL=postgresql://user:pass@host:5432/db on each");
    }
  }

  @Test
  void twoInstancesWhenTheyShareOneH2DatabaseThenStartupWarnsAndTheDatabaseBoxIsDegraded(
      CapturedOutput output) {
    try (ConfigurableApplicationContext a = start();
        ConfigurableApplicationContext b = start()) {
      String warning =
          "Integration database (h2) is degraded (was unknown): DATABASE_URL: 2 live instances"
              + " share this H2 database, a file that one process holds on one machine; set"
              + " DATABASE_URL=postgresql://user:pass@host:5432/db on every instance";
      Eventually.await(
          "the warning", Duration.ofSeconds(60), () -> output.getOut().contains(warning));
      assertThat(output.getOut().lines().filter(l -> l.contains(warning)))
          .singleElement()
          .satisfies(l -> assertThat(l).contains(" WARN "));
      Eventually.await(
          "a's next heartbeat reads b's row",
          Duration.ofSeconds(30),
          () -> a.getBean(InstanceRegistry.class).roster().live().size() == 2);
      assertThat(a.getBean(HealthMonitor.class).checkNow("database").join().status())
          .isEqualTo(HealthStatus.DEGRADED);
      assertThat(b.getBean(HealthMonitor.class).checkNow("storage").join().status())
          .as("one data dir: the files are shared too")
          .isEqualTo(HealthStatus.UP);
    }
  }

  ConfigurableApplicationContext start() {
    Map<String, Object> env = new HashMap<>();
    env.put("SWITCHBOARD_DATA_DIR", dir.toString());
    env.put("SWITCHBOARD_HEARTBEAT_INTERVAL", "300ms");
    env.put("PORT", "0");
    return new SpringApplicationBuilder(Switchboard.class).properties(env).run();
  }
}
