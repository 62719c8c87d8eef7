package dev.switchboard.payments;

import java.time.Instant;
import java.util.Optional;

/**
 * A webhook event as stored: {@code status} is {@code received} (queued), {@code processed}, {@code
 * ignored} (type we do not act on, or stale), {@code unmatched} (no account knows its customer yet)
 * or {@code failed}.
 */
public record StoredEvent(
    String provider,
    String id,
    String type,
    Instant created,
    Instant receivedAt,
    String payload,
    String status,
    Optional<String> detail,
    Optional<String> accountId,
    int attempts) {

  public static final String RECEIVED = "received";
  public static final String PROCESSED = "processed";
  public static final String IGNORED = "ignored";
  public static final String UNMATCHED = "unmatched";
  public static final String FAILED = "failed";
}
