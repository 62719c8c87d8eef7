package dev.switchboard.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

class ContentTypeCheckTest {

  final ContentTypeCheck check = new ContentTypeCheck(null);

  static MockHttpServletRequest post(String contentType) {
    MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/files/presign");
    if (contentType != null) {
      request.addHeader("Content-Type", contentType);
    }
    return request;
  }

  @Test
  void refusalWhenConcreteTypeOrNoneThenPasses() {
    for (String type :
        List.of(
            "application/json",
            "application/json; charset=UTF-8",
            "APPLICATION/JSON",
            "text/plain",
            "application/merge-patch+json")) {
      assertThat(check.refusal(post(type))).as(type).isNull();
    }
    assertThat(check.refusal(post(null))).isNull();
  }

  @Test
  void refusalWhenWildcardOrUnparsableThen415() {
    for (String type :
        List.of("*/*", "application/*", "json", "application/json; charset=no-such-charset")) {
      ApiException refusal = check.refusal(post(type));
      assertThat(refusal).as(type).isNotNull();
      assertThat(refusal.status()).isEqualTo(415);
      assertThat(refusal.code()).isEqualTo("unsupported_media_type");
    }
  }
}
