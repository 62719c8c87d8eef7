package dev.switchboard.monitoring;

import dev.switchboard.platform.config.SwitchboardConfig;
import dev.switchboard.platform.integrations.ArchitectureSection;
import dev.switchboard.platform.integrations.Markdown;
import java.util.List;

/** Chapter 7 of the architecture document: Sentry or the local error table, with its settings. */
class ErrorsArchitectureSection implements ArchitectureSection {

  private final SwitchboardConfig config;

  ErrorsArchitectureSection(SwitchboardConfig config) {
    this.config = config;
  }

  @Override
  public int order() {
    return 70;
  }

  @Override
  public String chapter() {
    return "Error Monitoring";
  }

  @Override
  public List<Check> healthChecks() {
    return List.of(
        new Check(
            "errors",
            config.area(ErrorsConfig.class).sentryDsn().isPresent()
                ? "Sentry transport state"
                : "error table (local)",
            config.core().healthInterval()));
  }

  @Override
  public List<Part> parts(Context context) {
    ErrorsConfig e = config.area(ErrorsConfig.class);
    boolean sentry = e.sentryDsn().isPresent();
    String init =
        "SENTRY_DSN="
            + e.sentryDsn()
                .map(d -> d.maskedUrl())
                .orElse("(not set: errors are grouped in the local table)")
            + "\nSENTRY_ENVIRONMENT="
            + e.environment()
            + "\nSENTRY_TRACES_SAMPLE_RATE="
            + e.tracesSampleRate();
    String body =
        "**Purpose:** Error tracking, performance monitoring\n\n"
            + "**Configuration:**\n"
            + Markdown.settings(
                List.of(
                    List.of(
                        "Provider",
                        sentry ? "Sentry" : "Local table (embedded; shown on /admin/errors)"),
                    List.of("Environment", e.environment()),
                    List.of("Traces sample rate", String.valueOf(e.tracesSampleRate()))))
            + "\n"
            + Markdown.code("bash", init)
            + "\n"
            + "**Captured Data:**\n- Stack traces, grouped by fingerprint\n- Request context (method, route, request id)\n"
            + "- User context (anonymized: a keyed hash of the caller, never an email)\n"
            + "- Breadcrumbs (outbound calls, jobs)\n- Secrets scrubbed from messages and headers before sending\n";
    return List.of(new Part(sentry ? "Sentry" : "Local Error Table", body));
  }
}
