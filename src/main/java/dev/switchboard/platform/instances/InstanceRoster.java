package dev.switchboard.platform.instances;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Every instance on this database with its state, and what their settings break together, read from
 * the {@code instances} rows at one moment.
 *
 * @param self this process's instance id
 * @param members every row, oldest start first
 * @param findings integration id ({@code storage}, {@code database}, {@code instances}) to the
 *     problem that box should show; each names the variable to set
 * @param readAt when the rows were read
 * @param failure why the last heartbeat or read failed, when it did (the rows are then older)
 */
public record InstanceRoster(
    String self,
    List<Member> members,
    Map<String, String> findings,
    Instant readAt,
    Optional<String> failure) {

  /** The boxes a roster may degrade. */
  public static final String STORAGE = "storage";

  public static final String DATABASE = "database";
  public static final String INSTANCES = "instances";

  /**
   * One instance and its state.
   *
   * @param self whether it is the process that read the roster
   */
  public record Member(Instance instance, InstanceState state, boolean self) {}

  public InstanceRoster {
    members = List.copyOf(members);
    findings = Collections.unmodifiableMap(new LinkedHashMap<>(findings));
  }

  /** States at {@code now}, and the findings they lead to. */
  public static InstanceRoster of(
      String self, List<Instance> rows, Instant now, Optional<String> failure) {
    List<Member> members =
        rows.stream().map(i -> new Member(i, i.state(now), i.id().equals(self))).toList();
    List<Instance> live =
        members.stream()
            .filter(m -> m.state() == InstanceState.LIVE || m.self())
            .map(Member::instance)
            .toList();
    Map<String, String> findings = new LinkedHashMap<>();
    storage(live).ifPresent(f -> findings.put(STORAGE, f));
    database(live).ifPresent(f -> findings.put(DATABASE, f));
    List<String> instances = new ArrayList<>();
    publicUrls(live).ifPresent(instances::add);
    stale(
            members.stream()
                .filter(m -> m.state() == InstanceState.STALE)
                .map(Member::instance)
                .toList(),
            now)
        .ifPresent(instances::add);
    if (!instances.isEmpty()) {
      findings.put(INSTANCES, String.join("; ", instances));
    }
    return new InstanceRoster(self, members, findings, now, failure);
  }

  public Optional<String> finding(String integrationId) {
    return Optional.ofNullable(findings.get(integrationId));
  }

  public List<Member> live() {
    return members.stream().filter(m -> m.state() == InstanceState.LIVE).toList();
  }

  public List<Member> stale() {
    return members.stream().filter(m -> m.state() == InstanceState.STALE).toList();
  }

  /*
   * The findings become a box's health detail, which the monitor cuts at 200 characters: each
   * names its variable first and counts instances rather than listing them (the map lists them).
   */

  /** Uploads land in more than one place: on local disks, or with different providers. */
  private static Optional<String> storage(List<Instance> live) {
    long places = live.stream().map(Instance::storageLocation).distinct().count();
    if (places < 2) {
      return Optional.empty();
    }
    long local = live.stream().filter(i -> i.storage().equals("local")).count();
    if (local > 0) {
      return Optional.of(
          "STORAGE_PROVIDER=local on "
              + local
              + " of "
              + live.size()
              + " live instances: an upload stays on the machine that took it; set"
              + " STORAGE_PROVIDER=s3 or r2 with S3_BUCKET and AWS keys on every instance");
    }
    return Optional.of(
        "STORAGE_PROVIDER differs: "
            + live.size()
            + " live instances store uploads in "
            + places
            + " places; set the same STORAGE_PROVIDER, S3_BUCKET and S3_ENDPOINT on every"
            + " instance");
  }

  private static Optional<String> database(List<Instance> live) {
    if (live.size() < 2 || live.stream().noneMatch(i -> i.database().equals("h2"))) {
      return Optional.empty();
    }
    return Optional.of(
        "DATABASE_URL: "
            + live.size()
            + " live instances share this H2 database, a file that one process holds on one"
            + " machine; set DATABASE_URL=postgresql://user:pass@host:5432/db on every instance");
  }

  private static Optional<String> publicUrls(List<Instance> live) {
    long values = live.stream().map(Instance::publicUrl).distinct().count();
    if (values < 2) {
      return Optional.empty();
    }
    return Optional.of(
        "SWITCHBOARD_PUBLIC_URL differs: "
            + values
            + " values across "
            + live.size()
            + " live instances, so a token issued by one is 401 on the others (issuer); set the"
            + " same value on every instance");
  }

  private static Optional<String> stale(List<Instance> stale, Instant now) {
    if (stale.isEmpty()) {
      return Optional.empty();
    }
    if (stale.size() == 1) {
      Instance i = stale.get(0);
      return Optional.of(
          i.describe()
              + " stopped reporting: last heartbeat "
              + ago(i.silence(now))
              + " ago, expected every "
              + ago(i.heartbeatInterval()));
    }
    return Optional.of(
        stale.size()
            + " instances stopped reporting: "
            + stale.stream()
                .map(i -> i.id() + " (last heartbeat " + ago(i.silence(now)) + " ago)")
                .collect(Collectors.joining(", ")));
  }

  private static String ago(Duration d) {
    return d.toMillis() < 1000 ? d.toMillis() + "ms" : d.toSeconds() + "s";
  }
}
