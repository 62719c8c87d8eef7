package dev.switchboard.analytics;

import dev.switchboard.platform.config.Secret;
import dev.switchboard.platform.config.SwitchboardConfig;
import dev.switchboard.platform.integrations.ArchitectureSection;
import dev.switchboard.platform.integrations.Markdown;
import java.util.ArrayList;
import java.util.List;

/**
 * Chapter 6 of the architecture document: write keys, where events are forwarded, and the events
 * tracked. Written from {@link AnalyticsConfig} and the events the issue defines; the analytics
 * area refines it as it grows.
 */
class AnalyticsArchitectureSection implements ArchitectureSection {

  /**
   * Event, properties, trigger: the first two are captured by Switchboard itself, the others come
   * from the app.
   */
  static final List<List<String>> EVENTS =
      List.of(
          List.of("page_viewed", "path, title", "Page load (from the app)"),
          List.of("signed_up", "method", "Registration complete (captured automatically)"),
          List.of("feature_used", "feature_name", "Feature interaction (from the app)"),
          List.of(
              "subscription_started", "plan, price", "Payment complete (captured automatically)"));

  private final SwitchboardConfig config;

  AnalyticsArchitectureSection(SwitchboardConfig config) {
    this.config = config;
  }

  @Override
  public int order() {
    return 60;
  }

  @Override
  public String chapter() {
    return "Analytics Integration";
  }

  @Override
  public List<Part> parts(Context context) {
    AnalyticsConfig a = config.area(AnalyticsConfig.class);
    List<String> forwards = new ArrayList<>();
    a.segmentWriteKey()
        .ifPresent(k -> forwards.add("Segment (`SEGMENT_WRITE_KEY` " + k.masked() + ")"));
    a.posthogApiKey()
        .ifPresent(
            k ->
                forwards.add(
                    "PostHog (`POSTHOG_API_KEY` "
                        + k.masked()
                        + ", "
                        + a.posthogHost().map(Object::toString).orElse("https://us.i.posthog.com")
                        + ")"));
    String keys =
        a.writeKeys().isEmpty()
            ? "none set (`ANALYTICS_KEY`)"
            : String.join(", ", a.writeKeys().stream().map(Secret::masked).toList());
    String provider =
        forwards.isEmpty()
            ? "Switchboard (events stored locally)"
            : "Switchboard, forwarding to " + String.join(" and ", forwards);
    String body =
        "**Purpose:** User behavior tracking, conversion metrics\n\n"
            + "**Configuration:**\n"
            + Markdown.settings(
                List.of(
                    List.of("Provider", provider),
                    List.of("Write keys", keys),
                    List.of(
                        "Ingest",
                        config.core().publicUrl()
                            + "/v1/track, /v1/page, /v1/identify, /v1/batch (Segment-compatible)")))
            + "\n"
            + Markdown.code(
                "javascript",
                "// Client-side\nanalytics.init({ writeKey: process.env.ANALYTICS_KEY, host: '"
                    + config.core().publicUrl()
                    + "' });")
            + "\n"
            + "**Events Tracked:**\n"
            + Markdown.table(List.of("Event", "Properties", "Trigger"), EVENTS);
    return List.of(
        new Part(forwards.isEmpty() ? "Switchboard Analytics" : "Analytics with forwarding", body));
  }
}
