package dev.switchboard.platform.instances;

import java.time.Instant;
import java.util.List;

/**
 * The {@code instances} table: one row per process that runs, or ran recently, on this database.
 */
public interface InstanceStore {

  /** Writes the row of an instance that starts, or that comes back after its row was pruned. */
  void register(Instance instance);

  /**
   * Refreshes the heartbeat of a running instance.
   *
   * @return false when the row is gone (pruned while this instance was frozen or cut off) or marked
   *     stopped: the caller registers again
   */
  boolean beat(String id, Instant at);

  /** Marks a clean shutdown; the row stays until pruned so the map shows the restart. */
  void stop(String id, Instant at);

  /** Every row, oldest start first. */
  List<Instance> all();

  /**
   * Deletes rows of instances that stopped before {@code stoppedBefore} or whose last heartbeat is
   * older than {@code silentBefore}.
   *
   * @return how many rows went
   */
  int prune(Instant stoppedBefore, Instant silentBefore);
}
