package dev.switchboard.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.platform.http.ApiException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UploadPolicyTest {

  static final long MB = 1024 * 1024;
  final UploadPolicy policy =
      new UploadPolicy(
          new LinkedHashMap<>(
              Map.of("image/*", 5 * MB, "application/pdf", 10 * MB, "image/gif", MB)));

  @Test
  void checkWhenWildcardCoversTypeThenAllowedUpToItsSize() {
    assertThat(policy.check("Image/PNG", 5 * MB)).isEqualTo("image/png");
    assertCode(() -> policy.check("image/png", 5 * MB + 1), "file_too_large");
  }

  @Test
  void checkWhenExactEntryThenItWinsOverTheWildcard() {
    assertThat(policy.check("image/gif", MB)).isEqualTo("image/gif");
    assertCode(() -> policy.check("image/gif", MB + 1), "file_too_large");
  }

  @Test
  void checkWhenTypeOutsidePolicyThenTypeNotAllowed() {
    assertCode(() -> policy.check("text/html", 10L), "type_not_allowed");
    assertCode(() -> policy.check("application/pdfx", 10L), "type_not_allowed");
  }

  @Test
  void checkWhenMalformedOrSizeBelowOneThenValidationFailed() {
    for (String type :
        new String[] {
          "", "image", "image/", "/png", "image/png;charset=x", "image/*", "ima ge/png"
        }) {
      assertCode(() -> policy.check(type, 10L), "validation_failed");
    }
    assertCode(() -> policy.check("image/png", 0L), "validation_failed");
    assertCode(() -> policy.check("image/png", -1L), "validation_failed");
    assertCode(() -> policy.check("image/png", null), "validation_failed");
  }

  @Test
  void largestWhenSeveralEntriesThenTheBiggestLimit() {
    assertThat(policy.largest()).isEqualTo(10 * MB);
  }

  private static void assertCode(Runnable call, String code) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(code));
  }
}
