package dev.switchboard.monitoring;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The incident part of {@link AlertStore} in memory, with a switch that makes every call fail like
 * a lost database.
 */
class InMemoryAlertStore implements AlertStore {

  final Map<String, Incident> incidents = new LinkedHashMap<>();
  final List<Silence> silences = new ArrayList<>();
  String leaseHolder;
  Instant leaseUntil = Instant.MIN;
  volatile boolean down;

  private void reachable() {
    if (down) {
      throw new IllegalStateException("database unreachable");
    }
  }

  @Override
  public synchronized List<Incident> openIncidents() {
    reachable();
    return incidents.values().stream().filter(Incident::open).toList();
  }

  @Override
  public synchronized List<Incident> recentIncidents(int limit) {
    reachable();
    return incidents.values().stream()
        .sorted(Comparator.comparing(Incident::openedAt).reversed())
        .limit(limit)
        .toList();
  }

  @Override
  public synchronized Optional<Incident> incident(String id) {
    reachable();
    return Optional.ofNullable(incidents.get(id));
  }

  @Override
  public synchronized boolean open(Incident incident) {
    reachable();
    boolean taken =
        incidents.values().stream()
            .anyMatch(
                i ->
                    i.open()
                        && i.rule().equals(incident.rule())
                        && i.subject().equals(incident.subject()));
    if (!taken) {
      incidents.put(incident.id(), incident);
    }
    return !taken;
  }

  @Override
  public synchronized boolean resolve(String id, Instant at) {
    reachable();
    Incident i = incidents.get(id);
    if (i == null || !i.open()) {
      return false;
    }
    incidents.put(
        id,
        new Incident(
            i.id(),
            i.rule(),
            i.subject(),
            i.severity(),
            i.title(),
            i.detail(),
            i.dedupKey(),
            i.openedAt(),
            Optional.of(at),
            i.acknowledgedAt(),
            i.acknowledgedBy(),
            i.remindersSent(),
            i.lastNotifiedAt()));
    return true;
  }

  @Override
  public synchronized boolean acknowledge(String id, String by, Instant at) {
    reachable();
    Incident i = incidents.get(id);
    if (i == null || !i.open()) {
      return false;
    }
    incidents.put(
        id,
        new Incident(
            i.id(),
            i.rule(),
            i.subject(),
            i.severity(),
            i.title(),
            i.detail(),
            i.dedupKey(),
            i.openedAt(),
            i.resolvedAt(),
            Optional.of(at),
            Optional.of(by),
            i.remindersSent(),
            i.lastNotifiedAt()));
    return true;
  }

  @Override
  public synchronized boolean recordReminder(String id, int sentSoFar, Instant at) {
    reachable();
    Incident i = incidents.get(id);
    if (i == null || !i.open() || i.remindersSent() != sentSoFar) {
      return false;
    }
    incidents.put(
        id,
        new Incident(
            i.id(),
            i.rule(),
            i.subject(),
            i.severity(),
            i.title(),
            i.detail(),
            i.dedupKey(),
            i.openedAt(),
            i.resolvedAt(),
            i.acknowledgedAt(),
            i.acknowledgedBy(),
            sentSoFar + 1,
            at));
    return true;
  }

  @Override
  public synchronized void addSilence(Silence silence) {
    reachable();
    silences.add(silence);
  }

  @Override
  public synchronized List<Silence> activeSilences(Instant now) {
    reachable();
    return silences.stream().filter(s -> s.until().isAfter(now)).toList();
  }

  @Override
  public synchronized boolean tryLease(String name, String holder, Instant now, Duration ttl) {
    reachable();
    if (leaseHolder == null || leaseHolder.equals(holder) || leaseUntil.isBefore(now)) {
      leaseHolder = holder;
      leaseUntil = now.plus(ttl);
      return true;
    }
    return false;
  }

  @Override
  public void recordDelivery(
      String channel, Instant at, boolean ok, boolean broken, String detail) {
    throw new UnsupportedOperationException();
  }

  @Override
  public Optional<ChannelDelivery> lastDelivery(String channel) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void recordCheck(String integrationId, LocalDate day, boolean up) {
    throw new UnsupportedOperationException();
  }

  @Override
  public List<DailyHealth> dailyHealth(LocalDate since) {
    throw new UnsupportedOperationException();
  }

  @Override
  public byte[] fingerprintKey() {
    throw new UnsupportedOperationException();
  }

  @Override
  public LocalDate firstSeen(String name, String fingerprint, LocalDate today) {
    throw new UnsupportedOperationException();
  }
}
