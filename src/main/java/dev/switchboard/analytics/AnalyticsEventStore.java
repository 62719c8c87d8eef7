package dev.switchboard.analytics;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Where analytics events, their hourly counts and identity links live (the {@code analytics_*}
 * tables).
 *
 * <p>The events table is append-only with a monotonically increasing {@link AnalyticsEvent#id},
 * drawn at insert. Writes commit in any order; {@link #after} returns only ids below those this
 * instance is still writing, so a reader paging with it never skips an event written by the same
 * instance. Several instances sharing one database can commit ids out of order by a few
 * milliseconds; readers that must not skip pass a {@code receivedBefore} a few seconds in the past.
 */
public interface AnalyticsEventStore {

  /**
   * Stores events in one transaction as one multi-row batch, skipping those whose (source,
   * messageId) is already stored (by an earlier call or earlier in this list), updates the hourly
   * counts of the stored ones, and records the identity links of identify and alias messages.
   *
   * @param events events with {@code id} 0; at most a few thousand
   * @return the events actually stored, as given (id 0: ids are not read back, {@link #after} reads
   *     them), in input order (duplicates left out)
   * @throws org.springframework.dao.DataAccessException when the database fails; nothing is stored
   *     then
   */
  List<AnalyticsEvent> append(List<AnalyticsEvent> events);

  /**
   * As {@link #append}, but in the caller's transaction, which must be active: the events, their
   * hourly counts and identity links commit or roll back with the caller's own writes. For the
   * events Switchboard records about its own changes ({@code signed_up} with the account). Not
   * grouped with other callers' writes; call it just before the commit (a {@code BEFORE_COMMIT}
   * listener), since ids drawn here become visible only when the caller commits (see the class
   * comment on readers).
   *
   * @return the events actually stored, as given (id 0), in input order (duplicates left out)
   * @throws IllegalStateException when no transaction is active
   * @throws org.springframework.dao.DataAccessException when the database fails; the caller's
   *     transaction must roll back then
   */
  List<AnalyticsEvent> appendInTransaction(List<AnalyticsEvent> events);

  /**
   * Events with an id greater than {@code afterId}, in id order: the forwarding cursor. Stops below
   * the lowest id a write of this instance may still commit (it waits for a write whose first
   * insert is under way to say which ids it drew), so fewer than {@code limit} come back while
   * writes are in flight.
   *
   * @param afterId the last id the reader has handled; 0 to start at the beginning
   * @param receivedBefore only events received before this instant (see the class comment); {@link
   *     Instant#MAX} for no bound
   * @param limit at most this many, 1 to 10,000
   */
  List<AnalyticsEvent> after(long afterId, Instant receivedBefore, int limit);

  /** The newest events, newest first, at most {@code limit} (1 to 1,000). */
  List<AnalyticsEvent> latest(int limit);

  /**
   * The highest id stored, 0 when there are none: where a new reader starts if it must skip
   * history.
   */
  long lastId();

  /**
   * Counts per event per hour from the hourly rollups (no raw rows are read).
   *
   * @param events the event names; empty for all
   * @param from inclusive, truncated to the hour
   * @param to exclusive
   * @return rows ordered by hour then event
   */
  List<HourlyCount> hourlyCounts(List<String> events, Instant from, Instant to);

  /**
   * Events of the given names whose timestamp is in [from, to), oldest first, for funnels and
   * property filters.
   *
   * @param limit at most this many; callers report when a result was cut
   */
  List<AnalyticsEvent> occurrences(List<String> events, Instant from, Instant to, int limit);

  /**
   * The user each of these anonymous ids was linked to by identify or alias; ids without a link are
   * left out.
   */
  Map<String, String> usersOf(List<String> anonymousIds);

  /**
   * Deletes events older than {@code cutoff} whose id is at most {@code throughId}, at most {@code
   * limit} per call, and the hourly counts older than {@code cutoff}.
   *
   * @param throughId the highest id that may go ({@link Long#MAX_VALUE} for no bound): what every
   *     forwarding destination has passed
   * @return the number of events deleted
   */
  int deleteBefore(Instant cutoff, long throughId, int limit);

  /** Events stored since {@code since} according to the hourly counts (for the integration map). */
  long countSince(Instant since);

  /** One row of {@link #hourlyCounts}. */
  record HourlyCount(String event, Instant hour, long count) {}
}
