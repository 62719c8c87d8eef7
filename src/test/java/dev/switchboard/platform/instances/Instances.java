package dev.switchboard.platform.instances;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Instance rows for tests: PostgreSQL and S3 unless changed. */
public final class Instances {

  public static final Duration INTERVAL = Duration.ofSeconds(10);

  private Instances() {}

  public static Instance instance(String id, String host, Instant heartbeatAt) {
    return new Instance(
        id,
        "1.2.3",
        host,
        100,
        "https://sb.example.com",
        "postgresql",
        "s3",
        "s3:aws:eu-west-1/uploads",
        INTERVAL,
        heartbeatAt.minus(Duration.ofMinutes(5)),
        heartbeatAt,
        Optional.empty());
  }

  public static Instance withStorage(Instance i, String provider, String location) {
    return new Instance(
        i.id(),
        i.version(),
        i.host(),
        i.pid(),
        i.publicUrl(),
        i.database(),
        provider,
        location,
        i.heartbeatInterval(),
        i.startedAt(),
        i.heartbeatAt(),
        i.stoppedAt());
  }

  public static Instance withDatabase(Instance i, String database) {
    return new Instance(
        i.id(),
        i.version(),
        i.host(),
        i.pid(),
        i.publicUrl(),
        database,
        i.storage(),
        i.storageLocation(),
        i.heartbeatInterval(),
        i.startedAt(),
        i.heartbeatAt(),
        i.stoppedAt());
  }

  public static Instance withPublicUrl(Instance i, String url) {
    return new Instance(
        i.id(),
        i.version(),
        i.host(),
        i.pid(),
        url,
        i.database(),
        i.storage(),
        i.storageLocation(),
        i.heartbeatInterval(),
        i.startedAt(),
        i.heartbeatAt(),
        i.stoppedAt());
  }

  public static Instance stopped(Instance i, Instant at) {
    return new Instance(
        i.id(),
        i.version(),
        i.host(),
        i.pid(),
        i.publicUrl(),
        i.database(),
        i.storage(),
        i.storageLocation(),
        i.heartbeatInterval(),
        i.startedAt(),
        at,
        Optional.of(at));
  }
}
