package dev.switchboard.platform.integrations;

import java.time.Duration;
import java.util.List;

/** The few Markdown shapes the architecture document uses, written the way the seed writes them. */
public final class Markdown {

  private Markdown() {}

  /**
   * A table with left-aligned columns ({@code |:---|}); pipes and line breaks in cells are escaped.
   */
  public static String table(List<String> headers, List<List<String>> rows) {
    StringBuilder out = new StringBuilder();
    out.append("| ")
        .append(String.join(" | ", headers.stream().map(Markdown::cell).toList()))
        .append(" |\n|");
    headers.forEach(h -> out.append(":---|"));
    out.append('\n');
    for (List<String> row : rows) {
      out.append("| ")
          .append(String.join(" | ", row.stream().map(Markdown::cell).toList()))
          .append(" |\n");
    }
    return out.toString();
  }

  /** A two-column Setting / Value table. */
  public static String settings(List<List<String>> rows) {
    return table(List.of("Setting", "Value"), rows);
  }

  /** A fenced block. */
  public static String code(String language, String body) {
    return "```" + language + "\n" + body.stripTrailing() + "\n```\n";
  }

  /** {@code 30s}, {@code 5m}, {@code 1h}, {@code 500ms}, as the variables are written. */
  public static String duration(Duration d) {
    if (d.toMillis() % 1000 != 0) {
      return d.toMillis() + "ms";
    }
    long s = d.toSeconds();
    return s % 3600 == 0 ? s / 3600 + "h" : s % 60 == 0 ? s / 60 + "m" : s + "s";
  }

  private static String cell(String text) {
    return text == null || text.isEmpty() ? "-" : text.replace("|", "\\|").replace("\n", " ");
  }
}
