package dev.switchboard.email;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The email area's tables. Status changes are conditional on the current status, so two writers (a
 * worker and a delivery webhook) never move a message backwards; every change adds a history row.
 * Writes join the caller's transaction.
 */
public interface EmailStore {

  /** Stores a bulk batch before its messages. */
  void insertBatch(String id, String template, int total, Instant now);

  /** Stores messages as {@code queued}, with their first history row, in batched statements. */
  void insertMessages(List<NewMessage> messages, Instant now);

  /** A message by our id. */
  Optional<StoredMessage> find(String id);

  /** A message by the provider's id, for delivery events that do not echo ours. */
  Optional<StoredMessage> findByProviderMessageId(String provider, String providerMessageId);

  /** A message's history, oldest first; empty for an unknown id. */
  List<HistoryEntry> history(String id);

  /** A batch with its counts per status. */
  Optional<BatchProgress> batch(String id);

  /**
   * Starts one provider attempt: {@code queued} or {@code sending} → {@code sending}, attempts + 1.
   *
   * @return false when the message is in any other status (already sent, failed, …); nothing
   *     changes then
   */
  boolean startAttempt(String id, String provider, Instant now);

  /** {@code sending} → {@code queued} with the error, for a retry later. */
  boolean requeue(String id, String error, Instant now);

  /** {@code queued}/{@code sending} → {@code sent} with the provider's id. */
  boolean markSent(String id, String provider, Optional<String> providerMessageId, Instant now);

  /** {@code queued}/{@code sending} → {@code failed} or {@code suppressed} with the reason. */
  boolean finish(String id, EmailStatus status, String error, Instant now);

  /**
   * Applies a delivery event's status when it moves the message forward; false when it would not.
   */
  boolean advance(String id, EmailStatus status, String detail, Instant now);

  /** Adds a history row without changing the status (opens, clicks, unsubscribes). */
  void note(String id, String detail, Instant now);

  /**
   * Stores a verified delivery event for its job to apply; false when {@code (provider, eventId)}
   * was stored before (a redelivery), and nothing changes then.
   */
  boolean insertEvent(DeliveryEvent event, Instant now);

  /**
   * A stored event not applied yet, locked until the caller's transaction ends (so two runs of its
   * job apply it once); empty when unknown or already applied.
   */
  Optional<DeliveryEvent> unappliedEvent(String provider, String eventId);

  /** Marks a stored event applied, with the message it was matched to, if any. */
  void markEventApplied(String provider, String eventId, Optional<String> messageId, Instant now);

  /** Puts an address on the suppression list; false when it was already there. */
  boolean suppress(String address, String reason, String detail, Instant now);

  /** Why an address is suppressed, if it is. */
  Optional<String> suppression(String address);

  /** Messages waiting to be sent: {@code queued} or {@code sending}. */
  long queueDepth();

  /**
   * Back to {@code queued} after a rate-limited answer, giving the attempt back; false if the
   * status moved on.
   */
  boolean holdBack(String id, String reason, Instant now);

  /** The newest messages, newest first, for the dashboard. */
  List<StoredMessage> recent(int limit);

  /** The newest batches with their progress, newest first, for the dashboard. */
  List<BatchProgress> recentBatches(int limit);
}
