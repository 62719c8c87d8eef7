package dev.switchboard.storage;

/**
 * The store could not do what was asked: unreachable, credentials refused, bucket missing. Adapters
 * translate vendor exceptions into this at their boundary; messages never carry credentials.
 */
public class StorageException extends RuntimeException {

  private final boolean retryable;

  public StorageException(String message, boolean retryable, Throwable cause) {
    super(message, cause);
    this.retryable = retryable;
  }

  /** True when trying again later may work (timeouts, 5xx, throttling). */
  public boolean retryable() {
    return retryable;
  }
}
