package dev.switchboard.platform.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ErrorSummaryTest {

  @Test
  void ofWhenMessageQuotesUrlWithCredentialsThenUserInfoAndQueryCut() {
    String summary =
        ErrorSummary.of(
            new IOException(
                "cannot reach https://user:hunter2@api.example.com/v1/send?api_key=sk_live_abc&x=1 now"));

    assertThat(summary)
        .isEqualTo("IOException: cannot reach https://****@api.example.com/v1/send?… now")
        .doesNotContain("hunter2", "sk_live_abc");
  }

  @Test
  void ofWhenJobFailureThenItsMessageAlone() {
    assertThat(ErrorSummary.of(JobFailure.retryable("provider busy", Optional.empty())))
        .isEqualTo("provider busy");
    assertThat(ErrorSummary.of(new IllegalStateException())).isEqualTo("IllegalStateException");
  }

  @Test
  void ofWhenMessageLongOrMultiLineThenOneBoundedLine() {
    String summary =
        ErrorSummary.of(new RuntimeException("line one\n\tline two " + "x".repeat(1000)));

    assertThat(summary).startsWith("RuntimeException: line one line two xxx").doesNotContain("\n");
    assertThat(summary).hasSize(ErrorSummary.MAX_LENGTH);
  }
}
