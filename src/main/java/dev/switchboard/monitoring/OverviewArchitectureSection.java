package dev.switchboard.monitoring;

import dev.switchboard.platform.config.ConfigFinding;
import dev.switchboard.platform.config.IntegrationStatus;
import dev.switchboard.platform.config.SwitchboardConfig;
import dev.switchboard.platform.integrations.ArchitectureSection;
import dev.switchboard.platform.integrations.Markdown;
import dev.switchboard.platform.readiness.Readiness;
import dev.switchboard.platform.readiness.StartupReadiness;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Chapter 1: the approach, the integration map drawn with the providers in use, and what is still a
 * default.
 */
class OverviewArchitectureSection implements ArchitectureSection {

  private static final int COLUMN = 13;
  private static final int BOX = 10;

  private final SwitchboardConfig config;
  private final Readiness readiness;

  /**
   * @param readiness the configuration with the names of the variables set, so misspelled ones are
   *     listed too
   */
  OverviewArchitectureSection(SwitchboardConfig config, StartupReadiness readiness) {
    this.config = config;
    this.readiness = readiness.readiness();
  }

  @Override
  public int order() {
    return 10;
  }

  @Override
  public String chapter() {
    return "Overview";
  }

  @Override
  public List<Part> parts(Context context) {
    List<IntegrationStatus> rows = readiness.integrations();
    String philosophy =
        """
        Every integration sits behind one HTTP service, Switchboard, which the app calls with an API key (server) or
        a user's access token (browser, mobile). Each integration runs on an embedded default until its provider's
        variables are set; then the same API talks to the real provider. Secrets stay in Switchboard's environment;
        webhooks are verified on their raw bytes, stored by event id and processed from a durable queue; every
        outbound call shares one retry policy and respects the provider's rate limit.
        """;
    String inUse =
        Markdown.table(
            List.of("Integration", "Provider", "Mode", "To make it live"),
            rows.stream()
                .map(
                    r ->
                        List.of(
                            r.integration(),
                            r.provider(),
                            r.mode(),
                            r.live() ? "" : "`" + r.toGoLive() + "`"))
                .toList());
    List<ConfigFinding> checklist = readiness.checklist();
    String ready =
        checklist.isEmpty()
            ? "Nothing is a dev or embedded default, weak, or missing.\n"
            : Markdown.table(
                List.of("Kind", "Variable", "What to do"),
                checklist.stream()
                    .map(f -> List.of(f.kind().label(), "`" + f.variable() + "`", f.message()))
                    .toList());
    return List.of(
        new Part("Integration Philosophy", philosophy),
        new Part("Integration Map", Markdown.code("", map(rows)) + "\n" + inUse),
        new Part(
            "Production Readiness",
            "What is still a dev or embedded default, weak, or missing (the same "
                + "checklist as `java -jar switchboard.jar status` and the dashboard's map):\n\n"
                + ready));
  }

  /**
   * The seed's drawing: area boxes inside Switchboard, arrows down to the providers each area uses
   * now.
   */
  private String map(List<IntegrationStatus> rows) {
    List<String[]> areas =
        List.of(
            new String[] {"Auth", "(OAuth)"},
            new String[] {"Email", "Service"},
            new String[] {"Payment", "Gateway"},
            new String[] {"Storage", "(files)"},
            new String[] {"Analytics", "(events)"},
            new String[] {"Errors", "(Sentry)"},
            new String[] {"Alerts", "(on-call)"});
    List<List<String>> providers =
        List.of(
            providers(rows, "auth.google", "auth.github"),
            providers(rows, "email"),
            providers(rows, "payments.stripe", "payments.paypal"),
            providers(rows, "storage"),
            providers(rows, "analytics"),
            providers(rows, "errors"),
            providers(rows, "alerts"));
    int n = areas.size();
    int inner = 2 + n * COLUMN;
    List<String> lines = new ArrayList<>();
    lines.add("┌" + "─".repeat(inner) + "┐");
    lines.add("│" + center("Switchboard (" + config.core().mode().id() + ")", inner) + "│");
    lines.add("├" + "─".repeat(inner) + "┤");
    lines.add("│" + " ".repeat(inner) + "│");
    lines.add(framed(n, c -> "┌" + "─".repeat(BOX) + "┐ "));
    lines.add(framed(n, c -> "│" + center(areas.get(c)[0], BOX) + "│ "));
    lines.add(framed(n, c -> "│" + center(areas.get(c)[1], BOX) + "│ "));
    lines.add(framed(n, c -> "└" + "─".repeat(4) + "┬" + "─".repeat(5) + "┘ "));
    lines.add(framed(n, c -> "     │       "));
    char[] bottom = ("└" + "─".repeat(inner) + "┘").toCharArray();
    for (int c = 0; c < n; c++) {
      bottom[2 + c * COLUMN + 5] = '┼';
    }
    lines.add(new String(bottom));
    lines.add(outside(n, c -> "     │       "));
    lines.add(outside(n, c -> "     ▼       "));
    int height = providers.stream().mapToInt(List::size).max().orElse(1);
    lines.add(outside(n, c -> "┌" + "─".repeat(BOX) + "┐ "));
    for (int i = 0; i < height; i++) {
      int line = i;
      lines.add(
          outside(
              n,
              c ->
                  "│"
                      + center(
                          line < providers.get(c).size() ? providers.get(c).get(line) : "", BOX)
                      + "│ "));
    }
    lines.add(outside(n, c -> "└" + "─".repeat(BOX) + "┘ "));
    return String.join("\n", lines.stream().map(String::stripTrailing).toList());
  }

  private static List<String> providers(List<IntegrationStatus> rows, String... ids) {
    List<String> names = new ArrayList<>();
    for (IntegrationStatus row : rows) {
      if (Arrays.asList(ids).contains(row.integration()) && !row.mode().equals("off")) {
        for (String name : row.provider().split(" \\+ ")) {
          String label =
              switch (name) {
                case "dev identity provider" -> "dev IdP";
                case "dev checkout" -> "dev pay";
                case "local table" -> "local db";
                default -> name;
              };
          label = label.length() > BOX ? label.substring(0, BOX) : label;
          if (!names.contains(label)) {
            names.add(label);
          }
        }
      }
    }
    return names.isEmpty() ? List.of("off") : names;
  }

  private static String framed(int n, IntFunction<String> column) {
    StringBuilder line = new StringBuilder("│ ");
    for (int c = 0; c < n; c++) {
      line.append(column.apply(c));
    }
    return line.append(" │").toString();
  }

  private static String outside(int n, IntFunction<String> column) {
    StringBuilder line = new StringBuilder("  ");
    for (int c = 0; c < n; c++) {
      line.append(column.apply(c));
    }
    return line.toString();
  }

  private static String center(String text, int width) {
    String t = text.length() > width ? text.substring(0, width) : text;
    int left = (width - t.length()) / 2;
    return " ".repeat(left) + t + " ".repeat(width - t.length() - left);
  }
}
