package dev.switchboard.platform.integrations;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class MarkdownTest {

  @Test
  void tableWhenCellsHavePipesNewlinesOrAreEmptyThenEscapedAndDashed() {
    assertThat(
            Markdown.table(
                List.of("Setting", "Value"),
                List.of(List.of("Provider", "s3|r2\nsecond line"), List.of("Bucket", ""))))
        .isEqualTo(
            "| Setting | Value |\n|:---|:---|\n| Provider | s3\\|r2 second line |\n| Bucket | - |\n");
  }

  @Test
  void durationWhenWholeUnitsThenWrittenAsTheVariablesAre() {
    assertThat(Markdown.duration(Duration.ofSeconds(30))).isEqualTo("30s");
    assertThat(Markdown.duration(Duration.ofMinutes(5))).isEqualTo("5m");
    assertThat(Markdown.duration(Duration.ofHours(4))).isEqualTo("4h");
    assertThat(Markdown.duration(Duration.ofMillis(500))).isEqualTo("500ms");
    assertThat(Markdown.duration(Duration.ofSeconds(90))).isEqualTo("90s");
  }
}
