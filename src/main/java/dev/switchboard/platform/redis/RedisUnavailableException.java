package dev.switchboard.platform.redis;

/** Redis cannot be reached right now. The message names the host, never credentials. */
public class RedisUnavailableException extends RuntimeException {

  public RedisUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
