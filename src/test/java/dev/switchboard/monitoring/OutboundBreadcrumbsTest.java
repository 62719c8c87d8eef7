package dev.switchboard.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.platform.integrations.HealthResult;
import dev.switchboard.platform.outbound.OutboundAttempt;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class OutboundBreadcrumbsTest {

  record Crumb(String category, String message, Map<String, String> data) {}

  static final class RecordingErrorReporter implements ErrorReporter {
    final List<Crumb> crumbs = new ArrayList<>();

    @Override
    public void report(Throwable error, ErrorContext context) {}

    @Override
    public void breadcrumb(String category, String message, Map<String, String> data) {
      crumbs.add(new Crumb(category, message, Map.copyOf(data)));
    }

    @Override
    public void flush(Duration timeout) {}

    @Override
    public String provider() {
      return "recording";
    }

    @Override
    public HealthResult health() {
      return HealthResult.up("recording");
    }
  }

  @Test
  void onAttemptWhenAnswerArrivedThenBreadcrumbWithStatusAndNoQuery() {
    RecordingErrorReporter reporter = new RecordingErrorReporter();
    new OutboundBreadcrumbs(reporter)
        .onAttempt(
            new OutboundAttempt(
                "email.sendgrid",
                "POST",
                "api.sendgrid.com",
                "/v3/mail/send",
                OptionalInt.of(429),
                Optional.empty(),
                Duration.ofMillis(120),
                2));

    assertThat(reporter.crumbs)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.category()).isEqualTo("http");
              assertThat(c.message()).isEqualTo("POST api.sendgrid.com/v3/mail/send → 429");
              assertThat(c.data())
                  .containsEntry("integration", "email.sendgrid")
                  .containsEntry("status", "429")
                  .containsEntry("attempt", "2")
                  .containsEntry("duration_ms", "120")
                  .doesNotContainKey("failure");
            });
  }

  @Test
  void onAttemptWhenNoAnswerThenBreadcrumbNamesTheFailure() {
    RecordingErrorReporter reporter = new RecordingErrorReporter();
    new OutboundBreadcrumbs(reporter)
        .onAttempt(
            new OutboundAttempt(
                "alerts.slack",
                "POST",
                "hooks.slack.com",
                "/…",
                OptionalInt.empty(),
                Optional.of("timeout"),
                Duration.ofSeconds(10),
                1));

    assertThat(reporter.crumbs)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.message()).isEqualTo("POST hooks.slack.com/… → timeout");
              assertThat(c.data()).containsEntry("failure", "timeout").doesNotContainKey("status");
            });
  }
}
