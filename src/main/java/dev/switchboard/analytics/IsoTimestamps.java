package dev.switchboard.analytics;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.Year;

/**
 * ISO-8601 timestamps as Segment messages carry them, read and written without {@code
 * DateTimeFormatter} for the common shapes: every ingested message has up to two to read and four
 * to write, and the formatter was a tenth of ingest's CPU per event. The results are exactly those
 * of {@code OffsetDateTime.parse(s).toInstant()} and {@link Instant#toString()}; any other shape
 * (and every invalid one) goes to those, so what is accepted or refused does not change.
 */
final class IsoTimestamps {

  private IsoTimestamps() {}

  /**
   * As {@code OffsetDateTime.parse(text).toInstant()}.
   *
   * @throws java.time.format.DateTimeParseException as that does
   */
  static Instant parse(String text) {
    Instant fast = parseCommon(text);
    return fast != null ? fast : OffsetDateTime.parse(text).toInstant();
  }

  /**
   * {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}](Z|±HH:MM)} with valid fields, or null for anything else.
   */
  private static Instant parseCommon(String s) {
    int n = s.length();
    if (n < 20
        || s.charAt(4) != '-'
        || s.charAt(7) != '-'
        || s.charAt(10) != 'T'
        || s.charAt(13) != ':'
        || s.charAt(16) != ':') {
      return null;
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 2);
    int day = digits(s, 8, 2);
    int hour = digits(s, 11, 2);
    int minute = digits(s, 14, 2);
    int second = digits(s, 17, 2);
    if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23) {
      return null;
    }
    if (minute < 0 || minute > 59 || second < 0 || second > 59) {
      return null;
    }
    if (day > 28 && day > monthLength(year, month)) {
      return null;
    }
    int i = 19;
    int nano = 0;
    if (s.charAt(i) == '.') {
      int start = ++i;
      while (i < n && i - start < 10 && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        nano = nano * 10 + (s.charAt(i) - '0');
        i++;
      }
      int count = i - start;
      if (count < 1 || count > 9) {
        return null;
      }
      for (int k = count; k < 9; k++) {
        nano *= 10;
      }
    }
    int offsetSeconds;
    if (i == n - 1 && s.charAt(i) == 'Z') {
      offsetSeconds = 0;
    } else if (i == n - 6 && (s.charAt(i) == '+' || s.charAt(i) == '-') && s.charAt(i + 3) == ':') {
      int oh = digits(s, i + 1, 2);
      int om = digits(s, i + 4, 2);
      if (oh < 0 || om < 0 || oh > 17 || om > 59) {
        return null;
      }
      offsetSeconds = (oh * 3600 + om * 60) * (s.charAt(i) == '-' ? -1 : 1);
    } else {
      return null;
    }
    long epochDay = epochDay(year, month, day);
    long seconds = epochDay * 86_400L + hour * 3600L + minute * 60L + second - offsetSeconds;
    return Instant.ofEpochSecond(seconds, nano);
  }

  /** The value of {@code count} ASCII digits at {@code from}, or -1. */
  private static int digits(String s, int from, int count) {
    int value = 0;
    for (int i = from; i < from + count; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  private static int monthLength(int year, int month) {
    return switch (month) {
      case 2 -> Year.isLeap(year) ? 29 : 28;
      case 4, 6, 9, 11 -> 30;
      default -> 31;
    };
  }

  /** Days since 1970-01-01 of a proleptic Gregorian date (as {@code LocalDate.toEpochDay}). */
  private static long epochDay(long year, int month, int day) {
    long total = 365 * year;
    if (year >= 0) {
      total += (year + 3) / 4 - (year + 99) / 100 + (year + 399) / 400;
    } else {
      total -= year / -4 - year / -100 + year / -400;
    }
    total += (367 * month - 362) / 12;
    total += day - 1;
    if (month > 2) {
      total--;
      if (!Year.isLeap(year)) {
        total--;
      }
    }
    return total - 719_528L; // days from year 0 to 1970
  }

  /** As {@link Instant#toString()}. */
  static String format(Instant instant) {
    long seconds = instant.getEpochSecond();
    // Years 1970 to 9999 here; the rest (far past and future, which ingest clamps anyway) as the
    // JDK
    // prints them.
    if (seconds < 0 || seconds >= 253_402_300_800L) {
      return instant.toString();
    }
    long days = seconds / 86_400;
    int secondOfDay = (int) (seconds % 86_400);
    // Civil date from days since the epoch (Howard Hinnant's algorithm).
    long z = days + 719_468;
    long era = z / 146_097;
    long doe = z - era * 146_097;
    long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    int day = (int) (doy - (153 * mp + 2) / 5 + 1);
    int month = (int) (mp < 10 ? mp + 3 : mp - 9);
    int year = (int) (yoe + era * 400 + (month <= 2 ? 1 : 0));
    int nano = instant.getNano();
    StringBuilder b = new StringBuilder(30);
    pad(b, year, 4).append('-');
    pad(b, month, 2).append('-');
    pad(b, day, 2).append('T');
    pad(b, secondOfDay / 3600, 2).append(':');
    pad(b, secondOfDay / 60 % 60, 2).append(':');
    pad(b, secondOfDay % 60, 2);
    if (nano != 0) {
      b.append('.');
      if (nano % 1_000_000 == 0) {
        pad(b, nano / 1_000_000, 3);
      } else if (nano % 1000 == 0) {
        pad(b, nano / 1000, 6);
      } else {
        pad(b, nano, 9);
      }
    }
    return b.append('Z').toString();
  }

  private static StringBuilder pad(StringBuilder b, int value, int width) {
    String digits = Integer.toString(value);
    for (int i = digits.length(); i < width; i++) {
      b.append('0');
    }
    return b.append(digits);
  }
}
