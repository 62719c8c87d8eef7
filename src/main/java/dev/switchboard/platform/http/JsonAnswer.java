package dev.switchboard.platform.http;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import tools.jackson.databind.ObjectWriter;

/**
 * A 200 JSON answer written straight to the response by a writer built once, for routes that carry
 * traffic ({@code GET /api/auth/me}): the same bytes and headers as a returned body, without the
 * per-request content negotiation and converter lookup. An {@code Accept} that excludes {@code
 * application/json} is refused as before (406 {@code not_acceptable}).
 */
public final class JsonAnswer {

  private static final List<MediaType> JSON = List.of(MediaType.APPLICATION_JSON);

  private JsonAnswer() {}

  public static void write(
      HttpServletRequest request, HttpServletResponse response, ObjectWriter writer, Object body)
      throws IOException, HttpMediaTypeNotAcceptableException {
    write(request, response, writer.writeValueAsBytes(body));
  }

  /**
   * {@link #write(HttpServletRequest, HttpServletResponse, ObjectWriter, Object)} with the body
   * already written by such a writer (kept by a caller that answers the same bytes many times).
   */
  public static void write(HttpServletRequest request, HttpServletResponse response, byte[] bytes)
      throws IOException, HttpMediaTypeNotAcceptableException {
    requireAcceptsJson(request);
    response.setContentType(MediaType.APPLICATION_JSON_VALUE);
    response.setContentLength(bytes.length);
    response.getOutputStream().write(bytes);
  }

  static void requireAcceptsJson(HttpServletRequest request)
      throws HttpMediaTypeNotAcceptableException {
    String accept = request.getHeader(HttpHeaders.ACCEPT);
    if (accept == null || accept.equals("*/*") || accept.equals("application/json")) {
      return;
    }
    try {
      for (MediaType requested : MediaType.parseMediaTypes(accept)) {
        if (requested.isCompatibleWith(MediaType.APPLICATION_JSON)) {
          return;
        }
      }
    } catch (InvalidMediaTypeException e) {
      throw new HttpMediaTypeNotAcceptableException(
          "Could not parse 'Accept' header [" + accept + "]: " + e.getMessage());
    }
    throw new HttpMediaTypeNotAcceptableException(JSON);
  }
}
