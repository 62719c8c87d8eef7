package dev.switchboard.monitoring;

/**
 * The monitoring area's tables: error groups (used when no Sentry DSN is set) and the salt that
 * turns caller ids into opaque user ids for Sentry. Shared by every instance on one database.
 */
public interface ErrorStore {

  /**
   * Adds an occurrence to its group, creating the group on first sight. Safe when several instances
   * record the same new fingerprint at once: exactly one group results.
   *
   * @throws org.springframework.dao.DataAccessException when the database cannot be written;
   *     callers that must not fail catch it
   */
  void record(ErrorOccurrence occurrence);

  /**
   * Lists groups by last occurrence, newest first.
   *
   * @param limit at most this many groups, at least 1
   * @param offset how many to skip, at least 0
   */
  ErrorPage page(int limit, int offset);

  /** How many groups exist; also serves as the health check of the local reporter. */
  long count();

  /**
   * A random salt created on first use and stored, so hashed user ids stay the same across restarts
   * and across the instances that share this database. Never shown anywhere.
   */
  String userHashSalt();
}
