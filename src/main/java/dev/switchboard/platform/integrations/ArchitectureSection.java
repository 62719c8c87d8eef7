package dev.switchboard.platform.integrations;

import java.time.Duration;
import java.util.List;

/**
 * One area's part of the generated integration architecture document ({@code GET
 * /api/integrations/architecture.md}, {@code switchboard.jar architecture}). Each area lists one in
 * its configuration's {@code @Import}; its constructor takes only configuration beans ({@code
 * SwitchboardConfig}, {@code Clock}, {@code StartupReadiness}): the command line finds the
 * implementations by type and builds the document without starting the server, from those beans
 * alone. Sections with the same {@link #chapter()} share one numbered heading.
 */
public interface ArchitectureSection {

  /**
   * Where the chapter goes: 10 overview, 20 auth, 30 email, 40 payments, 50 storage, 60 analytics,
   * 70 errors, 80 security, 90 monitoring.
   */
  int order();

  /** The chapter heading without its number, e.g. {@code Authentication Integrations}. */
  String chapter();

  /**
   * The numbered subsections of this area ({@code ### 2.1 Google OAuth}), written from the
   * configuration. Secrets appear only through {@code Secret.masked()} or {@code maskedUrl()}.
   *
   * @param context what the document gathered from every section (the health checks)
   */
  List<Part> parts(Context context);

  /** The health checks this area runs, for the monitoring chapter's table. */
  default List<Check> healthChecks() {
    return List.of();
  }

  /**
   * One subsection.
   *
   * @param title heading without its number
   * @param markdown the body, in the seed document's format (bold labels, tables, fenced blocks)
   */
  record Part(String title, String markdown) {}

  /**
   * One health check row.
   *
   * @param integration the integration map's id
   * @param endpoint what the check calls ({@code SELECT 1}, {@code PING}, {@code GET /v3/scopes})
   * @param interval how often it runs
   */
  record Check(String integration, String endpoint, Duration interval) {}

  /**
   * @param healthChecks every section's checks, in chapter order
   */
  record Context(List<Check> healthChecks) {}
}
