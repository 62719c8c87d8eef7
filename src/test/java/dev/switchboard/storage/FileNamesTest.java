package dev.switchboard.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.platform.http.ApiException;
import org.junit.jupiter.api.Test;

class FileNamesTest {

  @Test
  void checkWhenPathOrControlOrTooLongThenRefused() {
    for (String bad :
        new String[] {
          "../a.png",
          "a/b.png",
          "..\\a.png",
          ".",
          "..",
          "a\u0000.png",
          "a\r\n.png",
          "a\u202e.png",
          "a\u2028.png",
          "x".repeat(256),
          " ",
          ""
        }) {
      assertThatThrownBy(() -> FileNames.check(bad)).as(bad).isInstanceOf(ApiException.class);
    }
  }

  @Test
  void checkWhenOrdinaryNameThenKeptAsGiven() {
    assertThat(FileNames.check("  Résumé 2026 (final).pdf ")).isEqualTo("Résumé 2026 (final).pdf");
  }

  @Test
  void keySegmentWhenAnyNameThenSafeAsciiNeverHidden() {
    assertThat(FileNames.keySegment("Résumé 2026 (final).pdf")).isEqualTo("r-sum-2026-final-.pdf");
    assertThat(FileNames.keySegment("...hidden")).isEqualTo("hidden");
    assertThat(FileNames.keySegment("日本語")).isEqualTo("file");
    assertThat(FileNames.keySegment("a".repeat(200) + ".jpeg")).hasSize(100).endsWith(".jpeg");
  }

  @Test
  void keySegmentAndOwnerSegmentWhenAlreadySafeThenTheSameAsReplacing() {
    java.util.Random random = new java.util.Random(15);
    String alphabet = "ab.-_Z9 é/";
    for (int i = 0; i < 20_000; i++) {
      StringBuilder name = new StringBuilder();
      int length = random.nextInt(i % 100 == 0 ? 120 : 8);
      for (int j = 0; j < length; j++) {
        name.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String n = name.toString();
      assertThat(FileNames.keySegment(n)).as(n).isEqualTo(FileNames.keySegmentByReplacing(n));
      if (!n.isEmpty()) {
        assertThat(FileNames.ownerSegment(n)).as(n).isEqualTo(FileNames.ownerSegmentByReplacing(n));
      }
    }
    assertThat(FileNames.keySegment("photo.png")).isEqualTo("photo.png");
    assertThat(FileNames.ownerSegment("key_0123abcd")).isEqualTo("key_0123abcd");
  }

  @Test
  void dispositionWhenQuotesOrUnicodeThenAsciiFallbackAndExactEncodedName() {
    assertThat(FileNames.disposition("a\"b é.png", false))
        .isEqualTo("attachment; filename=\"a_b _.png\"; filename*=UTF-8''a%22b%20%C3%A9.png");
    assertThat(FileNames.disposition("p.png", true)).startsWith("inline; ");
  }
}
