package dev.switchboard.platform.jobs;

import dev.switchboard.platform.config.DatabaseConfig;
import dev.switchboard.platform.config.SecretScrubber;
import dev.switchboard.platform.config.SwitchboardConfig;
import dev.switchboard.platform.ids.Ids;
import dev.switchboard.platform.integrations.Integration;
import dev.switchboard.platform.json.Json;
import dev.switchboard.platform.outbound.Backoff;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import tools.jackson.databind.json.JsonMapper;

/**
 * The job queue on the application database, its worker with every {@link JobHandler} bean, and its
 * map box.
 */
@Import({JobCommits.class})
@Configuration(proxyBeanMethods = false)
public class JobsConfiguration {

  @Bean
  JobSignal jobSignal() {
    return new JobSignal();
  }

  @Bean
  Foreground jobForeground() {
    return new Foreground();
  }

  @Bean
  JdbcJobStore jdbcJobStore(DataSource dataSource, SwitchboardConfig config) {
    return new JdbcJobStore(dataSource, config.core().database().kind());
  }

  @Bean
  JobQueue jobQueue(
      JdbcJobStore store, Clock clock, JobSignal signal, ObjectProvider<JsonMapper> json) {
    return new JobQueue(
        store,
        clock,
        signal,
        json.getIfAvailable(() -> Json.MAPPER),
        () -> Ids.timeOrderedUuid().toString());
  }

  @Bean
  JobWorker jobWorker(
      JdbcJobStore store,
      ObjectProvider<JobHandler> handlers,
      Clock clock,
      JobSignal signal,
      ObjectProvider<MeterRegistry> meters,
      SwitchboardConfig config,
      SecretScrubber scrubber,
      ObjectProvider<JobListener> listeners,
      Foreground foreground) {
    JobWorkerSettings settings =
        JobWorkerSettings.defaults()
            .withLease(config.core().jobLease())
            .withBatch(config.core().jobBatch(), config.core().jobThreads())
            .withShutdownGrace(config.core().shutdownGrace());
    return new JobWorker(
        store,
        handlers.orderedStream().toList(),
        settings,
        clock,
        signal,
        Backoff.SHARED_RANDOM,
        meters.getIfAvailable(),
        scrubber::scrub,
        listeners.orderedStream().toList(),
        foreground);
  }

  @Bean
  Integration jobsIntegration(JobQueue queue, SwitchboardConfig config) {
    DatabaseConfig db = config.core().database();
    boolean postgres = db.kind() == DatabaseConfig.Kind.POSTGRESQL;
    return new Integration(
        "jobs",
        "platform",
        postgres ? "postgresql" : "h2",
        postgres ? Integration.Mode.LIVE : Integration.Mode.EMBEDDED,
        postgres,
        Map.of("DATABASE_URL", db.display()),
        Map.of(),
        new JobsHealthCheck(queue, JobsHealthCheck.DEFAULT_MAX_WAIT),
        Integration.DEFAULT_INTERVAL,
        Integration.DEFAULT_TIMEOUT);
  }
}
