package dev.switchboard.platform.http;

/** What {@link IdempotencyStore#claim} found for a (caller, key). */
public sealed interface IdempotencyClaim {

  /**
   * The key is now this request's: run it, then {@code complete} or {@code release} with {@code
   * token}.
   */
  record Started(String token) implements IdempotencyClaim {}

  /** The same request already finished: answer with its response, do not run it again. */
  record Replay(StoredResponse response) implements IdempotencyClaim {}

  /** The same request is still running elsewhere: 409, the client retries later. */
  record InFlight() implements IdempotencyClaim {}

  /** The key was used for a different request (method, path or body): 422. */
  record Mismatch() implements IdempotencyClaim {}
}
