package dev.switchboard.platform.http;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;

/**
 * Idempotency keys per caller. Implementations must be safe with several instances racing on one
 * key: exactly one {@link #claim} returns {@link IdempotencyClaim.Started} (a unique constraint
 * decides, never read-then-write).
 */
public interface IdempotencyStore {

  /**
   * A request marked running whose claim was neither taken nor {@linkplain #renew renewed} for this
   * long is taken to have died with its instance; the key is free. A live request keeps its claim
   * through {@link IdempotencyHeartbeat}.
   */
  Duration IN_FLIGHT_EXPIRY = Duration.ofMinutes(1);

  /** Keys are forgotten this long after they were first used. */
  Duration RETENTION = Duration.ofHours(24);

  /**
   * Claims {@code key} for a request, or reports what the key is already bound to. A key whose
   * request is released, running without a renewal for {@link #IN_FLIGHT_EXPIRY}, or older than
   * {@link #RETENTION} is claimed afresh.
   *
   * @param callerId whose key it is ({@link Caller#id()}); keys of different callers never meet
   * @param key the {@code Idempotency-Key} header, 1 to 255 printable ASCII characters
   * @param requestHash a digest of method, path and body, to tell a retry from a different request
   * @param now the current time
   * @return started, replay, in flight or mismatch
   */
  IdempotencyClaim claim(String callerId, String key, String requestHash, Instant now);

  /**
   * Stores the response of a started request so retries replay it. Does nothing when the claim was
   * lost (the request went a whole {@link #IN_FLIGHT_EXPIRY} without a renewal and another took the
   * key over).
   *
   * @param token the token of {@link IdempotencyClaim.Started}
   * @return whether the response was stored
   */
  boolean complete(String callerId, String key, String token, StoredResponse response, Instant now);

  /**
   * Renews the claims of requests that are still running, so that each keeps its key for another
   * {@link #IN_FLIGHT_EXPIRY} from {@code now}, in one statement. A token whose claim is no longer
   * its request's (completed, released, or taken over) is left alone.
   *
   * @param tokens tokens of {@link IdempotencyClaim.Started}; an empty list renews nothing
   * @return how many claims were renewed
   */
  int renew(Collection<String> tokens, Instant now);

  /**
   * Frees a started key without storing anything (5xx, 401, 403, 409, 429, or the request failed),
   * so the client can retry. Does nothing when the claim was lost.
   */
  void release(String callerId, String key, String token);

  /**
   * Deletes every key first used before {@code cutoff}.
   *
   * @return how many keys were deleted
   */
  int deleteCreatedBefore(Instant cutoff);
}
