package dev.switchboard.platform.instances;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One Switchboard process as its row in the {@code instances} table describes it.
 *
 * @param id random per process start ({@code inst_…}); a restarted process is a new instance
 * @param version the jar's version, or {@code development build} when run from classes
 * @param host the machine's host name
 * @param pid the process id on that host
 * @param publicUrl its {@code SWITCHBOARD_PUBLIC_URL}: the issuer of the tokens it signs
 * @param database {@code postgresql} or {@code h2}
 * @param storage its storage provider id: {@code s3}, {@code r2} or {@code local}
 * @param storageLocation where its uploads land ({@code local:<host>:<dir>}, {@code
 *     s3:<endpoint>/<bucket>}); instances with different locations do not see each other's files
 * @param heartbeatInterval how often it promised to refresh {@code heartbeatAt}
 * @param startedAt when it registered
 * @param heartbeatAt its last heartbeat
 * @param stoppedAt when it shut down cleanly; empty while it runs (or after it died)
 */
public record Instance(
    String id,
    String version,
    String host,
    long pid,
    String publicUrl,
    String database,
    String storage,
    String storageLocation,
    Duration heartbeatInterval,
    Instant startedAt,
    Instant heartbeatAt,
    Optional<Instant> stoppedAt) {

  /** An instance that has not refreshed its row for this many of its intervals is stale. */
  public static final int MISSED_BEATS = 3;

  public Instance {
    Objects.requireNonNull(id, "id cannot be null");
    Objects.requireNonNull(heartbeatInterval, "heartbeatInterval cannot be null");
    Objects.requireNonNull(heartbeatAt, "heartbeatAt cannot be null");
    Objects.requireNonNull(stoppedAt, "stoppedAt cannot be null");
  }

  /**
   * Stopped once it said so; stale once {@link #MISSED_BEATS} of its heartbeats are overdue; live
   * otherwise.
   */
  public InstanceState state(Instant now) {
    if (stoppedAt.isPresent()) {
      return InstanceState.STOPPED;
    }
    return now.isAfter(staleAt()) ? InstanceState.STALE : InstanceState.LIVE;
  }

  /** When it counts as stale if no heartbeat comes before. */
  public Instant staleAt() {
    return heartbeatAt.plus(heartbeatInterval.multipliedBy(MISSED_BEATS));
  }

  /** {@code inst_… on host (pid n)}, for messages. */
  public String describe() {
    return id + " on " + host + " (pid " + pid + ")";
  }

  /** The same instance with a new heartbeat. */
  Instance beatAt(Instant at) {
    return new Instance(
        id,
        version,
        host,
        pid,
        publicUrl,
        database,
        storage,
        storageLocation,
        heartbeatInterval,
        startedAt,
        at,
        stoppedAt);
  }

  /** How long it has been silent at {@code now}. */
  public Duration silence(Instant now) {
    Duration d = Duration.between(heartbeatAt, now);
    return d.isNegative() ? Duration.ZERO : d;
  }
}
