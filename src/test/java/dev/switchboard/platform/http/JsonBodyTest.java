package dev.switchboard.platform.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.json.JsonMapper;

class JsonBodyTest {

  record Upload(String filename, Long size) {}

  final JsonBody<Upload> body = JsonBody.of(JsonMapper.builder().build(), Upload.class);

  static MockHttpServletRequest post(String contentType, String content) {
    MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/files/presign");
    if (contentType != null) {
      request.setContentType(contentType);
    }
    if (content != null) {
      request.setContent(content.getBytes(StandardCharsets.ISO_8859_1));
    }
    return request;
  }

  @Test
  void readWhenJsonThenBound() throws Exception {
    assertThat(body.read(post("application/json", "{\"filename\":\"a.png\",\"size\":3}")))
        .isEqualTo(new Upload("a.png", 3L));
    assertThat(body.read(post("application/merge-patch+json", "{\"filename\":\"b.png\"}")))
        .isEqualTo(new Upload("b.png", null));
    assertThat(
            body.read(
                post("application/json; charset=ISO-8859-1", "{\"filename\":\"\u00e9.png\"}")))
        .isEqualTo(new Upload("\u00e9.png", null));
  }

  @Test
  void readWhenNoBodyOrJsonNullThenNullAndRequireRefusesAsMissing() throws Exception {
    assertThat(body.read(post(null, null))).isNull();
    assertThat(body.read(post("application/json", ""))).isNull();
    assertThat(body.read(post("application/json", "null"))).isNull();
    assertThatThrownBy(() -> body.require(post("application/json", "")))
        .isInstanceOfSatisfying(
            HttpMessageNotReadableException.class, e -> assertThat(e.getCause()).isNull());
  }

  @Test
  void readWhenNotJsonThenUnsupportedMediaType() {
    assertThatThrownBy(() -> body.read(post(null, "{\"filename\":\"a.png\"}")))
        .isInstanceOf(HttpMediaTypeNotSupportedException.class);
    assertThatThrownBy(() -> body.read(post("text/plain", "{\"filename\":\"a.png\"}")))
        .isInstanceOf(HttpMediaTypeNotSupportedException.class);
    assertThatThrownBy(() -> body.read(post("text/plain", "")))
        .isInstanceOf(HttpMediaTypeNotSupportedException.class);
  }

  @Test
  void readWhenMalformedOrDuplicateOrMistypedThenNotReadableWithJacksonsCause() {
    assertThatThrownBy(() -> body.read(post("application/json", "{\"filename\":")))
        .isInstanceOfSatisfying(
            HttpMessageNotReadableException.class,
            e -> assertThat(e.getCause()).isInstanceOf(StreamReadException.class));
    assertThatThrownBy(
            () -> body.read(post("application/json", "{\"filename\":\"a\",\"filename\":\"b\"}")))
        .isInstanceOfSatisfying(
            HttpMessageNotReadableException.class,
            e ->
                assertThat(e.getCause().getMessage())
                    .contains("Duplicate Object property \"filename\""));
    // Strict as every request body: a boolean is not turned into a string.
    assertThatThrownBy(() -> body.read(post("application/json", "{\"filename\":true}")))
        .isInstanceOfSatisfying(
            HttpMessageNotReadableException.class,
            e -> assertThat(e.getCause()).isInstanceOf(MismatchedInputException.class));
  }
}
