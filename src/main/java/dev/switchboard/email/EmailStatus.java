package dev.switchboard.email;

import java.util.Locale;

/**
 * Where a message is. Statuses only move forward by {@link #rank()}: a late {@code deferred} never
 * undoes {@code delivered}, and a worker finishing after a delivery webhook never turns {@code
 * delivered} back into {@code sent}. A bounce or complaint may still follow {@code delivered}.
 */
public enum EmailStatus {
  QUEUED(0),
  SENDING(1),
  SENT(2),
  DEFERRED(3),
  DELIVERED(4),
  BOUNCED(5),
  COMPLAINED(5),
  FAILED(5),
  SUPPRESSED(5);

  private final int rank;

  EmailStatus(int rank) {
    this.rank = rank;
  }

  /** The value stored and shown: {@code queued}, {@code sent}, … */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public int rank() {
    return rank;
  }

  /** Whether a message in this status may move to {@code next}. */
  public boolean canMoveTo(EmailStatus next) {
    return next.rank > rank;
  }

  public static EmailStatus of(String id) {
    return valueOf(id.toUpperCase(Locale.ROOT));
  }
}
