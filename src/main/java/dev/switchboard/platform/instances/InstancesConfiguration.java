package dev.switchboard.platform.instances;

import dev.switchboard.platform.config.CoreConfig;
import dev.switchboard.platform.config.DatabaseConfig;
import dev.switchboard.platform.config.SwitchboardConfig;
import dev.switchboard.platform.ids.Ids;
import dev.switchboard.platform.integrations.Integration;
import dev.switchboard.platform.integrations.Markdown;
import dev.switchboard.platform.readiness.Readiness;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;

/** This process's entry in the instance registry, and the {@code instances} box of the map. */
@Import({InstancesArchitectureSection.class})
@Configuration(proxyBeanMethods = false)
public class InstancesConfiguration {

  static final String VERSION_WHEN_UNPACKAGED = "development build";

  @Bean
  InstanceRegistry instanceRegistry(JdbcClient jdbc, SwitchboardConfig config, Clock clock) {
    return new InstanceRegistry(new JdbcInstanceStore(jdbc), self(config, clock), clock);
  }

  @Bean
  Integration instancesIntegration(InstanceRegistry registry, SwitchboardConfig config) {
    CoreConfig core = config.core();
    Duration interval = core.heartbeatInterval();
    return new Integration(
        InstanceRoster.INSTANCES,
        "platform",
        kind(core.database()),
        core.database().kind() == DatabaseConfig.Kind.H2
            ? Integration.Mode.EMBEDDED
            : Integration.Mode.LIVE,
        true,
        Map.of(
            "SWITCHBOARD_HEARTBEAT_INTERVAL",
            Markdown.duration(interval),
            "SWITCHBOARD_PUBLIC_URL",
            core.publicUrl().toString()),
        Map.of(),
        registry::health,
        interval,
        Integration.DEFAULT_TIMEOUT);
  }

  static Instance self(SwitchboardConfig config, Clock clock) {
    CoreConfig core = config.core();
    String host = host();
    var now = clock.instant();
    return new Instance(
        Ids.hex("inst_", 6),
        version(),
        host,
        ProcessHandle.current().pid(),
        core.publicUrl().toString(),
        kind(core.database()),
        storageProvider(config),
        storageLocation(config, host),
        core.heartbeatInterval(),
        now,
        now,
        Optional.empty());
  }

  /** The storage area's provider id, as its status row gives it ({@code local}, {@code s3}, …). */
  static String storageProvider(SwitchboardConfig config) {
    return new Readiness(config, List.of())
        .integrations().stream()
            .filter(row -> row.integration().equals("storage"))
            .map(row -> row.provider())
            .findFirst()
            .orElse("unknown");
  }

  /**
   * Local uploads live on this host under the data dir. A bucket is named by its provider only: the
   * platform does not read the storage area's settings, so different buckets are not told apart.
   */
  static String storageLocation(SwitchboardConfig config, String host) {
    String provider = storageProvider(config);
    return provider.equals("local")
        ? "local:" + host + ":" + config.core().dataDir().resolve("storage")
        : provider;
  }

  private static String kind(DatabaseConfig db) {
    return db.kind().name().toLowerCase(Locale.ROOT);
  }

  /** The jar's version from its manifest. */
  static String version() {
    String v = InstancesConfiguration.class.getPackage().getImplementationVersion();
    return v == null ? VERSION_WHEN_UNPACKAGED : v;
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "unknown-host";
    }
  }
}
