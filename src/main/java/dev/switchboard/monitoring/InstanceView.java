package dev.switchboard.monitoring;

import dev.switchboard.platform.instances.InstanceRoster;
import java.time.Instant;

/**
 * One Switchboard instance on the map, from its row in the instance registry.
 *
 * @param id {@code inst_…}, new at every process start
 * @param version the jar's version ({@code development build} when run from classes)
 * @param host the machine's host name
 * @param pid the process id on that host
 * @param publicUrl its {@code SWITCHBOARD_PUBLIC_URL}
 * @param database {@code postgresql} or {@code h2}
 * @param storage {@code s3}, {@code r2} or {@code local}
 * @param startedAt when it registered
 * @param lastHeartbeat its last heartbeat (for a stopped instance: when it stopped)
 * @param heartbeatIntervalMs how often it promised a heartbeat
 * @param stoppedAt when it shut down cleanly; {@code null} while running or after a crash
 * @param state {@code live}, {@code stale} (missed three heartbeats: crashed, frozen or cut off) or
 *     {@code stopped}
 * @param self whether it is the instance that answered this request
 */
public record InstanceView(
    String id,
    String version,
    String host,
    long pid,
    String publicUrl,
    String database,
    String storage,
    Instant startedAt,
    Instant lastHeartbeat,
    long heartbeatIntervalMs,
    Instant stoppedAt,
    String state,
    boolean self) {

  static InstanceView of(InstanceRoster.Member m) {
    var i = m.instance();
    return new InstanceView(
        i.id(),
        i.version(),
        i.host(),
        i.pid(),
        i.publicUrl(),
        i.database(),
        i.storage(),
        i.startedAt(),
        i.heartbeatAt(),
        i.heartbeatInterval().toMillis(),
        i.stoppedAt().orElse(null),
        m.state().id(),
        m.self());
  }
}
