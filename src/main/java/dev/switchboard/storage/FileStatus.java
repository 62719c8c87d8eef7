package dev.switchboard.storage;

import java.util.Locale;

/** Where an upload stands. */
public enum FileStatus {
  /** A URL was handed out; the bytes may or may not have arrived. */
  PENDING,
  /** Size and real type were checked; the file can be downloaded. */
  READY,
  /** The bytes did not match what was declared; the object was deleted. */
  REJECTED;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  static FileStatus of(String id) {
    return valueOf(id.toUpperCase(Locale.ROOT));
  }
}
