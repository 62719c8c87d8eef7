package dev.switchboard.platform.http;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.Arrays;

/**
 * A request's whole body as bytes. A body with a small declared {@code Content-Length} is read into
 * an array of that size: {@code readAllBytes} allocated a 16 KiB buffer for a body of a few hundred
 * bytes, copied it out, and asked the container once more for the end of the body. A chunked or
 * larger body is read as before. {@link BodySizeLimit} has refused a declared length over the limit
 * before this runs.
 */
public final class RequestBytes {

  /** Up to this declared length the array is sized from the header. */
  static final long PRESIZED_MAX = 64 * 1024;

  private RequestBytes() {}

  public static byte[] read(HttpServletRequest request) throws IOException {
    long declared = request.getContentLengthLong();
    if (declared < 0 || declared > PRESIZED_MAX) {
      return request.getInputStream().readAllBytes();
    }
    byte[] body = new byte[(int) declared];
    int n = request.getInputStream().readNBytes(body, 0, body.length);
    return n == body.length ? body : Arrays.copyOf(body, n);
  }
}
