package dev.switchboard.monitoring;

import dev.switchboard.platform.config.SecretScrubber;

/** Turns an exception into the short, secret-free message both reporters keep. */
public final class ErrorMessages {

  static final int MAX_MESSAGE = 500;
  static final int MAX_TYPE = 300;

  private ErrorMessages() {}

  /**
   * The message scrubbed first and shortened after, so a secret cut in half by the limit is never
   * left readable. Control characters become spaces so the message stays one line.
   */
  public static String shortMessage(Throwable error, SecretScrubber scrubber) {
    String raw = error.getMessage() == null ? "" : error.getMessage();
    String scrubbed = scrubber.scrub(raw).replaceAll("\\p{Cntrl}", " ").strip();
    return scrubbed.length() > MAX_MESSAGE ? scrubbed.substring(0, MAX_MESSAGE) + "…" : scrubbed;
  }

  /** The exception's class name, shortened to fit the column. */
  public static String type(Throwable error) {
    String name = error.getClass().getName();
    return name.length() > MAX_TYPE ? name.substring(0, MAX_TYPE) : name;
  }
}
