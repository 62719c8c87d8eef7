package dev.switchboard.storage;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The {@code files} table. */
public interface FileStore {

  /** Inserts a pending file; durable when this returns (joins the caller's transaction if any). */
  void insert(StoredFile file);

  /** The file with this id, whoever owns it. */
  Optional<StoredFile> find(String id);

  /**
   * Moves a pending file to ready or rejected; does nothing when it is no longer pending.
   *
   * @return true when this call made the change (so exactly one completion publishes the event)
   */
  boolean finish(
      String id,
      FileStatus status,
      Optional<String> detectedType,
      Optional<String> reason,
      Instant at);

  /**
   * Moves a pending file to rejected and, when {@code sweeps} is given, remembers its key until its
   * last sweep (see {@link #tombstonesDue}), in one transaction; does nothing when the file is no
   * longer pending.
   *
   * @return true when this call made the change
   */
  boolean reject(
      String id, Optional<String> detectedType, String reason, Instant at, Optional<Sweeps> sweeps);

  /**
   * Deletes the row and, when {@code sweeps} is given, remembers its key until its last sweep, in
   * one transaction: a key is never forgotten while an upload may still store an object under it
   * with no row pointing at it.
   *
   * @return false when the row was already gone (nothing is remembered then)
   */
  boolean delete(String id, Optional<Sweeps> sweeps);

  /**
   * Deletes the row only while it is still in {@code status}, so a cleanup that listed a pending
   * file cannot delete it after a completion made it ready.
   *
   * @return false when the row is gone or no longer in {@code status}
   */
  boolean delete(String id, FileStatus status);

  /**
   * A page of files, newest first.
   *
   * @param owner only this owner's files; empty for everyone's (the dashboard)
   * @param after the last (createdAt, id) of the previous page, or empty for the first page
   * @param limit at most this many
   */
  List<StoredFile> page(Optional<String> owner, Optional<Cursor> after, int limit);

  /** Files in {@code status} created before {@code before}, oldest first, at most {@code limit}. */
  List<StoredFile> olderThan(FileStatus status, Instant before, int limit);

  /**
   * Keys remembered at a delete or rejection whose next sweep is before {@code now}, earliest
   * first, at most {@code limit}.
   */
  List<Tombstone> tombstonesDue(Instant now, int limit);

  /** Moves a remembered key's next sweep to {@code to}. */
  void postponeTombstone(String key, Instant to);

  /** Forgets a remembered key; forgetting one already forgotten is not an error. */
  void forgetTombstone(String key);

  /** How many files are in {@code status}. */
  long count(FileStatus status);

  /**
   * When the cleanup deletes a remembered key's object again: {@code first} once its upload URL can
   * no longer be used, {@code last} once no upload that started before the expiry can still be
   * arriving; then it forgets the key.
   */
  record Sweeps(Instant first, Instant last) {}

  /** A remembered key and its last sweep. */
  record Tombstone(String key, Instant lastSweep) {}

  /** A position in the newest-first order. */
  record Cursor(Instant createdAt, String id) {}
}
