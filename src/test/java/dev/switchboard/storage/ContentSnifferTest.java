package dev.switchboard.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ContentSnifferTest {

  final ContentSniffer sniffer = new ContentSniffer();

  @Test
  void detectWhenKnownMagicThenRealType() {
    assertThat(sniffer.detect(Samples.png())).isEqualTo("image/png");
    assertThat(sniffer.detect(Samples.pdf())).isEqualTo("application/pdf");
    assertThat(sniffer.detect(Samples.html())).isEqualTo("text/html");
    assertThat(sniffer.detect(Samples.csv())).isEqualTo("text/plain");
    assertThat(
            sniffer.detect(
                "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>"
                    .getBytes(StandardCharsets.UTF_8)))
        .isEqualTo("image/svg+xml");
    assertThat(sniffer.detect(new byte[] {0, 1, 2, 3, (byte) 0xff}))
        .isEqualTo("application/octet-stream");
  }

  @Test
  void matchesWhenDeclaredDiffersFromBytesThenFalse() {
    assertThat(sniffer.matches("image/png", "application/pdf")).isFalse();
    assertThat(sniffer.matches("text/plain", "text/html")).isFalse();
    assertThat(sniffer.matches("image/png", "application/octet-stream")).isFalse();
    assertThat(sniffer.matches("image/png", "image/jpeg")).isFalse();
  }

  @Test
  void matchesWhenSameTypeOrTextFormatWithoutMagicThenTrue() {
    assertThat(sniffer.matches("image/png", "image/png")).isTrue();
    assertThat(sniffer.matches("text/csv", "text/plain")).isTrue();
    assertThat(sniffer.matches("text/plain", "text/plain")).isTrue();
  }

  @Test
  void rasterImageWhenSvgOrHtmlThenNeverInline() {
    assertThat(ContentSniffer.rasterImage("image/png")).isTrue();
    assertThat(ContentSniffer.rasterImage("image/svg+xml")).isFalse();
    assertThat(ContentSniffer.rasterImage("text/html")).isFalse();
  }
}
