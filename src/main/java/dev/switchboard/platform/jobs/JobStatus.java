package dev.switchboard.platform.jobs;

import java.util.Locale;

/**
 * Where a job is in its life: ready to run (now or later), running under a lease, done, or dead.
 */
public enum JobStatus {
  READY,
  RUNNING,
  DONE,
  DEAD;

  /** The value stored in {@code jobs.status}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  static JobStatus of(String id) {
    return valueOf(id.toUpperCase(Locale.ROOT));
  }
}
