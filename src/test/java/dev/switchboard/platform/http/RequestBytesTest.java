package dev.switchboard.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

class RequestBytesTest {

  static HttpServletRequest declaring(byte[] content, long declared) {
    MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/files/presign");
    request.setContent(content);
    return new HttpServletRequestWrapper(request) {
      @Override
      public long getContentLengthLong() {
        return declared;
      }

      @Override
      public int getContentLength() {
        return (int) declared;
      }
    };
  }

  /** The container ends the stream at the declared length; a shorter body ends it sooner. */
  @Test
  void readWhenAnyDeclaredLengthThenTheBytesReadAllBytesGives() throws Exception {
    Random random = new Random(7);
    for (int size : new int[] {0, 1, 60, 230, 16_384, 16_385, 70_000}) {
      byte[] content = new byte[size];
      random.nextBytes(content);
      for (long declared : new long[] {size, -1, size + 10L, RequestBytes.PRESIZED_MAX + 1}) {
        byte[] expected = declaring(content, declared).getInputStream().readAllBytes();

        byte[] read = RequestBytes.read(declaring(content, declared));

        assertThat(read).as(size + " bytes declared as " + declared).isEqualTo(expected);
      }
    }
  }
}
