package dev.switchboard.admin;

import java.util.Locale;

/**
 * Byte counts as people read them on the dashboard: {@code 512 B}, {@code 47.1 KiB}, {@code 3.0
 * MiB}.
 */
final class ByteSizes {

  private static final String[] UNITS = {"KiB", "MiB", "GiB", "TiB"};

  private ByteSizes() {}

  static String human(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    double value = bytes;
    int unit = -1;
    while (value >= 1024 && unit < UNITS.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
  }
}
