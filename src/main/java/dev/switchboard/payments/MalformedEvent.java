package dev.switchboard.payments;

/**
 * A signed event that lacks a field its type needs: stored as {@code failed} with the reason, never
 * retried.
 */
public final class MalformedEvent extends RuntimeException {

  public MalformedEvent(String message) {
    super(message, null, false, false);
  }
}
