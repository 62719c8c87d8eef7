package dev.switchboard.platform.webhooks;

import java.time.Clock;
import java.time.Duration;

/**
 * How far a provider's signed timestamp may be from our clock, either way. Outside the window a
 * request is refused, so that a captured one cannot be replayed later; the event id dedupe covers
 * replays inside it.
 *
 * @param clock what "now" is
 * @param tolerance the distance allowed each way
 */
public record ReplayWindow(Clock clock, Duration tolerance) {

  /**
   * Reads a signed timestamp in Unix seconds and refuses it outside the window.
   *
   * @return the timestamp's seconds
   * @throws dev.switchboard.platform.http.ApiException {@link WebhookSignatures#invalid} with
   *     {@code notANumber} or {@code tooFar}
   */
  public long check(String timestamp, String notANumber, String tooFar) {
    long seconds = WebhookSignatures.seconds(timestamp, notANumber);
    requireFresh(seconds, tooFar);
    return seconds;
  }

  /**
   * Refuses a timestamp more than the tolerance away from now.
   *
   * @throws dev.switchboard.platform.http.ApiException {@link WebhookSignatures#invalid} with
   *     {@code tooFar}
   */
  public void requireFresh(long seconds, String tooFar) {
    long now = clock.instant().getEpochSecond();
    if (seconds < now - tolerance.toSeconds() || seconds > now + tolerance.toSeconds()) {
      throw WebhookSignatures.invalid(tooFar);
    }
  }
}
