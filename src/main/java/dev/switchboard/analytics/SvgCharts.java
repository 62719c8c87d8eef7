package dev.switchboard.analytics;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * The dashboard's charts as SVG drawn on the server: no script, no CDN, and a picture even with
 * JavaScript off. Every text that came from an event (names) is XML-escaped.
 */
final class SvgCharts {

  private static final DateTimeFormatter HOUR =
      DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);

  private SvgCharts() {}

  /** One bar per hour, oldest left; the tallest bar is the full height. */
  static String hourly(String event, List<Instant> hours, List<Long> counts) {
    int width = 480;
    int height = 120;
    int top = 14;
    int bottom = 18;
    long max = Math.max(1, counts.stream().mapToLong(Long::longValue).max().orElse(1));
    double slot = (double) width / hours.size();
    StringBuilder svg = new StringBuilder();
    svg.append(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" viewBox=\"0 0 ")
        .append(width)
        .append(' ')
        .append(height)
        .append("\" data-event=\"")
        .append(escape(event))
        .append("\"><title>")
        .append(escape(event))
        .append(" per hour</title>");
    svg.append("<line x1=\"0\" x2=\"")
        .append(width)
        .append("\" y1=\"")
        .append(height - bottom)
        .append("\" y2=\"")
        .append(height - bottom)
        .append("\" stroke=\"#a0aec0\"/>");
    for (int i = 0; i < hours.size(); i++) {
      long count = counts.get(i);
      double h = (height - top - bottom) * (double) count / max;
      double x = i * slot + 1;
      svg.append("<rect class=\"bar\" x=\"")
          .append(fmt(x))
          .append("\" y=\"")
          .append(fmt(height - bottom - h))
          .append("\" width=\"")
          .append(fmt(Math.max(1, slot - 2)))
          .append("\" height=\"")
          .append(fmt(h))
          .append("\" data-count=\"")
          .append(count)
          .append("\" fill=\"#3182ce\"><title>")
          .append(HOUR.format(hours.get(i)))
          .append(" UTC: ")
          .append(count)
          .append("</title></rect>");
      if (i % 6 == 0) {
        svg.append("<text x=\"")
            .append(fmt(x))
            .append("\" y=\"")
            .append(height - 4)
            .append("\" font-size=\"10\" fill=\"#606f7b\">")
            .append(HOUR.format(hours.get(i)))
            .append("</text>");
      }
    }
    svg.append("<text x=\"")
        .append(width - 2)
        .append("\" y=\"10\" font-size=\"10\" text-anchor=\"end\" fill=\"#606f7b\">max ")
        .append(max)
        .append("</text></svg>");
    return svg.toString();
  }

  /**
   * One horizontal bar per step, its length the people who reached it, labelled with conversion
   * from the first.
   */
  static String funnel(List<String> steps, List<Long> people, List<Double> conversion) {
    int width = 640;
    int row = 34;
    int label = 170;
    int height = row * steps.size() + 6;
    long first = Math.max(1, people.isEmpty() ? 1 : people.get(0));
    long max = Math.max(first, people.stream().mapToLong(Long::longValue).max().orElse(1));
    StringBuilder svg = new StringBuilder();
    svg.append(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart funnel\" role=\"img\" viewBox=\"0 0 ")
        .append(width)
        .append(' ')
        .append(height)
        .append("\"><title>Funnel</title>");
    for (int i = 0; i < steps.size(); i++) {
      int y = i * row + 4;
      double w = (width - label - 120) * (double) people.get(i) / max;
      svg.append("<text x=\"0\" y=\"")
          .append(y + 19)
          .append("\" font-size=\"13\" fill=\"#22292f\">")
          .append(escape(steps.get(i)))
          .append("</text>");
      svg.append("<rect class=\"bar\" x=\"")
          .append(label)
          .append("\" y=\"")
          .append(y)
          .append("\" width=\"")
          .append(fmt(Math.max(w, 1)))
          .append("\" height=\"")
          .append(row - 8)
          .append("\" data-step=\"")
          .append(escape(steps.get(i)))
          .append("\" data-people=\"")
          .append(people.get(i))
          .append("\" fill=\"#38a169\"/>");
      svg.append("<text x=\"")
          .append(fmt(label + Math.max(w, 1) + 6))
          .append("\" y=\"")
          .append(y + 19)
          .append("\" font-size=\"13\" fill=\"#22292f\">")
          .append(people.get(i))
          .append(" · ")
          .append(String.format(Locale.ROOT, "%.0f%%", conversion.get(i) * 100))
          .append("</text>");
    }
    return svg.append("</svg>").toString();
  }

  static String escape(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c < 0x20 && c != '\t' && c != '\n' ? ' ' : c);
      }
    }
    return out.toString();
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }
}
