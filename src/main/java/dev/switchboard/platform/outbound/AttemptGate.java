package dev.switchboard.platform.outbound;

/**
 * Asked before every attempt of one outbound call, retries included, so a provider-wide budget (a
 * shared rate limit such as {@code PAYMENT_RATE_LIMIT}) is charged per request actually sent rather
 * than once per call.
 */
@FunctionalInterface
public interface AttemptGate {

  /** A gate that never waits. */
  AttemptGate OPEN = attempt -> {};

  /**
   * Waits until the attempt may be sent, on the calling thread.
   *
   * @param attempt 1 for the first attempt, 2 for the first retry, …
   * @throws RuntimeException to give up before sending; it reaches the caller of {@link
   *     OutboundHttp} unchanged
   */
  void beforeAttempt(int attempt);
}
