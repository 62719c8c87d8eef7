package dev.switchboard.platform.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A rate such as {@code 100/s}, {@code 6000/min} or {@code 25/s}: {@code permits} per {@code
 * period}.
 *
 * @param permits how many operations are allowed per period, at least 1
 * @param period the refill period
 */
public record Rate(long permits, Duration period) {

  private static final Pattern FORMAT =
      Pattern.compile("^(\\d{1,9})\\s*/\\s*(ms|s|sec|m|min|h|hour)$");

  public Rate {
    if (permits < 1) {
      throw new IllegalArgumentException("permits must be at least 1");
    }
    if (period.isZero() || period.isNegative()) {
      throw new IllegalArgumentException("period must be positive");
    }
  }

  /**
   * Parses {@code N/s}, {@code N/min} or {@code N/h}; throws {@link IllegalArgumentException}
   * otherwise.
   */
  public static Rate parse(String text) {
    Matcher m = FORMAT.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException("expected a rate like 100/s, 600/min or 1000/h");
    }
    long permits = Long.parseLong(m.group(1));
    Duration period =
        switch (m.group(2)) {
          case "ms" -> Duration.ofMillis(1);
          case "s", "sec" -> Duration.ofSeconds(1);
          case "m", "min" -> Duration.ofMinutes(1);
          default -> Duration.ofHours(1);
        };
    if (permits < 1) {
      throw new IllegalArgumentException("the rate must allow at least 1 operation");
    }
    return new Rate(permits, period);
  }

  public double perSecond() {
    return permits * 1_000_000_000.0 / period.toNanos();
  }

  @Override
  public String toString() {
    long seconds = period.toSeconds();
    String unit =
        seconds == 3600
            ? "h"
            : seconds == 60 ? "min" : seconds == 1 ? "s" : period.toMillis() + "ms";
    return permits + "/" + unit;
  }
}
