package dev.switchboard.platform.instances;

import static dev.switchboard.platform.instances.Instances.instance;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InstanceRosterTest {

  static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");

  static InstanceRoster roster(Instance... rows) {
    return InstanceRoster.of("inst_a", List.of(rows), NOW, Optional.empty());
  }

  @Test
  void stateWhenHeartbeatsAreOnTimeOrLateOrStoppedThenLiveStaleOrStopped() {
    Instance onTime = instance("inst_a", "h1", NOW.minus(Duration.ofSeconds(30)));
    Instance late = instance("inst_b", "h2", NOW.minus(Duration.ofSeconds(31)));

    assertThat(onTime.state(NOW)).as("three intervals exactly").isEqualTo(InstanceState.LIVE);
    assertThat(late.state(NOW)).isEqualTo(InstanceState.STALE);
    assertThat(Instances.stopped(onTime, NOW).state(NOW)).isEqualTo(InstanceState.STOPPED);
    assertThat(Instances.stopped(late, NOW.minusSeconds(60)).state(NOW))
        .as("stopped, not stale, however old")
        .isEqualTo(InstanceState.STOPPED);
  }

  @Test
  void findingsWhenEveryInstanceAgreesThenNone() {
    InstanceRoster roster = roster(instance("inst_a", "h1", NOW), instance("inst_b", "h2", NOW));

    assertThat(roster.findings()).isEmpty();
    assertThat(roster.live()).hasSize(2);
    assertThat(roster.members()).filteredOn(InstanceRoster.Member::self).hasSize(1);
  }

  @Test
  void storageWhenLocalOnTwoMachinesThenFlaggedNamingTheVariable() {
    InstanceRoster roster =
        roster(
            Instances.withStorage(instance("inst_a", "h1", NOW), "local", "local:h1:/srv/data"),
            Instances.withStorage(instance("inst_b", "h2", NOW), "local", "local:h2:/srv/data"));

    assertThat(roster.finding(InstanceRoster.STORAGE))
        .hasValue(
            "STORAGE_PROVIDER=local on 2 of 2 live instances: an upload stays on the machine that"
                + " took it; set STORAGE_PROVIDER=s3 or r2 with S3_BUCKET and AWS keys on every"
                + " instance");
    assertThat(roster.finding(InstanceRoster.INSTANCES)).isEmpty();
  }

  @Test
  void storageWhenLocalInOneDataDirSharedOnOneMachineThenNotFlagged() {
    InstanceRoster roster =
        roster(
            Instances.withStorage(instance("inst_a", "h1", NOW), "local", "local:h1:/srv/data"),
            Instances.withStorage(instance("inst_b", "h1", NOW), "local", "local:h1:/srv/data"));

    assertThat(roster.finding(InstanceRoster.STORAGE)).isEmpty();
  }

  @Test
  void storageWhenOneLocalAndOneS3ThenFlaggedCountingTheLocalOne() {
    InstanceRoster roster =
        roster(
            instance("inst_a", "h1", NOW),
            Instances.withStorage(instance("inst_b", "h2", NOW), "local", "local:h2:/srv/data"));

    assertThat(roster.finding(InstanceRoster.STORAGE))
        .hasValueSatisfying(f -> assertThat(f).startsWith("STORAGE_PROVIDER=local on 1 of 2 live"));
  }

  @Test
  void storageWhenDifferentBucketsThenFlaggedCountingThePlaces() {
    InstanceRoster roster =
        roster(
            instance("inst_a", "h1", NOW),
            Instances.withStorage(instance("inst_b", "h2", NOW), "s3", "s3:aws:eu-west-1/other"));

    assertThat(roster.finding(InstanceRoster.STORAGE))
        .hasValue(
            "STORAGE_PROVIDER differs: 2 live instances store uploads in 2 places; set the"
                + " same STORAGE_PROVIDER, S3_BUCKET and S3_ENDPOINT on every instance");
  }

  @Test
  void storageWhenTheOtherLocalInstanceIsStaleOrStoppedThenNotFlagged() {
    Instance self =
        Instances.withStorage(instance("inst_a", "h1", NOW), "local", "local:h1:/srv/data");
    Instance crashed =
        Instances.withStorage(
            instance("inst_b", "h2", NOW.minus(Duration.ofMinutes(2))), "local", "local:h2:/d");
    Instance stopped =
        Instances.stopped(
            Instances.withStorage(instance("inst_c", "h3", NOW), "local", "local:h3:/d"), NOW);

    assertThat(roster(self, crashed, stopped).finding(InstanceRoster.STORAGE)).isEmpty();
  }

  @Test
  void databaseWhenTwoLiveInstancesOnH2ThenFlaggedNamingDatabaseUrl() {
    InstanceRoster roster =
        roster(
            Instances.withDatabase(instance("inst_a", "h1", NOW), "h2"),
            Instances.withDatabase(instance("inst_b", "h1", NOW), "h2"));

    assertThat(roster.finding(InstanceRoster.DATABASE))
        .hasValue(
            "DATABASE_URL: 2 live instances share this H2 database, a file that one process holds"
                + " on one machine; set DATABASE_URL=postgresql://user:pass@host:5432/db on every"
                + " instance");
  }

  @Test
  void databaseWhenOneInstanceOnH2ThenNotFlagged() {
    assertThat(
            roster(Instances.withDatabase(instance("inst_a", "h1", NOW), "h2"))
                .finding(InstanceRoster.DATABASE))
        .isEmpty();
  }

  @Test
  void publicUrlWhenLiveInstancesDifferThenInstancesFlaggedNamingTheVariable() {
    InstanceRoster roster =
        roster(
            instance("inst_a", "h1", NOW),
            Instances.withPublicUrl(instance("inst_b", "h2", NOW), "https://other.example.com"));

    assertThat(roster.finding(InstanceRoster.INSTANCES))
        .hasValue(
            "SWITCHBOARD_PUBLIC_URL differs: 2 values across 2 live instances, so a token issued"
                + " by one is 401 on the others (issuer); set the same value on every instance");
  }

  @Test
  void staleWhenAnInstanceMissedThreeHeartbeatsThenFlaggedWithHowLongAgo() {
    InstanceRoster roster =
        roster(
            instance("inst_a", "h1", NOW),
            instance("inst_b", "h2", NOW.minus(Duration.ofSeconds(42))));

    assertThat(roster.stale()).extracting(m -> m.instance().id()).containsExactly("inst_b");
    assertThat(roster.finding(InstanceRoster.INSTANCES))
        .hasValue(
            "inst_b on h2 (pid 100) stopped reporting: last heartbeat 42s ago, expected every 10s");
  }

  @Test
  void staleWhenSeveralInstancesMissedHeartbeatsThenCountedWithEachSilence() {
    InstanceRoster roster =
        roster(
            instance("inst_a", "h1", NOW),
            instance("inst_b", "h2", NOW.minus(Duration.ofSeconds(42))),
            instance("inst_c", "h3", NOW.minus(Duration.ofMinutes(5))));

    assertThat(roster.finding(InstanceRoster.INSTANCES))
        .hasValue(
            "2 instances stopped reporting: inst_b (last heartbeat 42s ago), inst_c (last"
                + " heartbeat 300s ago)");
  }

  @Test
  void findingsWhenSeveralProblemsThenEachOnItsBox() {
    InstanceRoster roster =
        roster(
            Instances.withStorage(instance("inst_a", "h1", NOW), "local", "local:h1:/d"),
            Instances.withPublicUrl(
                Instances.withStorage(instance("inst_b", "h2", NOW), "local", "local:h2:/d"),
                "https://b.example.com"),
            instance("inst_c", "h3", NOW.minus(Duration.ofMinutes(1))));

    assertThat(roster.findings()).containsOnlyKeys("storage", "instances");
    assertThat(roster.finding(InstanceRoster.INSTANCES).orElseThrow())
        .contains("SWITCHBOARD_PUBLIC_URL differs", "; inst_c on h3 (pid 100) stopped reporting");
  }
}
