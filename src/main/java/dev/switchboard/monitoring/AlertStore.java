package dev.switchboard.monitoring;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * The alert tables: incidents, silences, the evaluation lease, channel deliveries, health history,
 * secret ages.
 */
public interface AlertStore {

  /** Every open incident, oldest first. */
  List<Incident> openIncidents();

  /** Open incidents first, then the most recently opened others; at most {@code limit}. */
  List<Incident> recentIncidents(int limit);

  Optional<Incident> incident(String id);

  /**
   * Opens an incident unless one is already open for its rule and subject (the database decides, so
   * two instances never both open one).
   *
   * @return whether this call opened it
   */
  boolean open(Incident incident);

  /**
   * @return whether this call resolved it (false when it was already resolved or does not exist)
   */
  boolean resolve(String id, Instant at);

  /**
   * @return false when no open incident has this id
   */
  boolean acknowledge(String id, String by, Instant at);

  /**
   * Counts one more reminder, only when {@code sentSoFar} is still the count (two evaluations never
   * both send).
   *
   * @return whether this call counted it
   */
  boolean recordReminder(String id, int sentSoFar, Instant at);

  void addSilence(Silence silence);

  /** Silences whose {@code until} is after {@code now}. */
  List<Silence> activeSilences(Instant now);

  /**
   * Takes or renews the named lease for {@code holder} when it is free, expired or already held by
   * it.
   *
   * @return whether {@code holder} holds it until {@code now + ttl}
   */
  boolean tryLease(String name, String holder, Instant now, Duration ttl);

  /** Records a delivery attempt's outcome on a channel. */
  void recordDelivery(String channel, Instant at, boolean ok, boolean broken, String detail);

  /** The last recorded delivery of a channel. */
  Optional<ChannelDelivery> lastDelivery(String channel);

  /** Counts one health check of an integration on a UTC day. */
  void recordCheck(String integrationId, LocalDate day, boolean up);

  /** Checks per integration and day from {@code since} on. */
  List<DailyHealth> dailyHealth(LocalDate since);

  /**
   * The HMAC key secret fingerprints are computed with, created on first use and shared by every
   * instance.
   */
  byte[] fingerprintKey();

  /**
   * The day this fingerprint of the named secret was first seen, recording {@code today} when it is
   * new.
   */
  LocalDate firstSeen(String name, String fingerprint, LocalDate today);

  /**
   * @param ok whether the last attempt was delivered; @param broken whether the channel refuses
   *     everything
   */
  record ChannelDelivery(String channel, Instant at, boolean ok, boolean broken, String detail) {}

  /** One integration's checks on one UTC day. */
  record DailyHealth(String integrationId, LocalDate day, long checks, long upChecks) {}
}
