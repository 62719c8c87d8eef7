package dev.switchboard.platform.instances;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The instances table in memory, for unit tests of the registry and the map. */
public final class InMemoryInstanceStore implements InstanceStore {

  private final Map<String, Instance> rows = new LinkedHashMap<>();
  private RuntimeException failure;
  int prunes;

  /** Every call fails with {@code e} until called with null. */
  public synchronized void failWith(RuntimeException e) {
    this.failure = e;
  }

  /** Puts a row as another instance would have written it. */
  public synchronized void put(Instance instance) {
    rows.put(instance.id(), instance);
  }

  public synchronized void delete(String id) {
    rows.remove(id);
  }

  public synchronized Optional<Instance> get(String id) {
    return Optional.ofNullable(rows.get(id));
  }

  @Override
  public synchronized void register(Instance instance) {
    fail();
    rows.put(instance.id(), instance);
  }

  @Override
  public synchronized boolean beat(String id, Instant at) {
    fail();
    Instance row = rows.get(id);
    if (row == null || row.stoppedAt().isPresent()) {
      return false;
    }
    rows.put(id, row.beatAt(at));
    return true;
  }

  @Override
  public synchronized void stop(String id, Instant at) {
    fail();
    Instance row = rows.get(id);
    if (row != null) {
      rows.put(id, Instances.stopped(row, at));
    }
  }

  @Override
  public synchronized List<Instance> all() {
    fail();
    List<Instance> all = new ArrayList<>(rows.values());
    all.sort(Comparator.comparing(Instance::startedAt).thenComparing(Instance::id));
    return all;
  }

  @Override
  public synchronized int prune(Instant stoppedBefore, Instant silentBefore) {
    fail();
    prunes++;
    int before = rows.size();
    rows.values()
        .removeIf(
            i ->
                i.stoppedAt().map(s -> s.isBefore(stoppedBefore)).orElse(false)
                    || (i.stoppedAt().isEmpty() && i.heartbeatAt().isBefore(silentBefore)));
    return before - rows.size();
  }

  private void fail() {
    if (failure != null) {
      throw failure;
    }
  }
}
