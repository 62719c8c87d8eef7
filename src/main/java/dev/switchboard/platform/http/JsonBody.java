package dev.switchboard.platform.http;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * A JSON request body read by a reader built once, for routes that carry traffic ({@code POST
 * /api/files/presign}, {@code POST /api/auth/refresh}): the same outcomes as a {@code @RequestBody}
 * parameter (strict as {@link StrictRequestBodies}; 415 {@code unsupported_media_type} for a body
 * that is not JSON; the same 400s for malformed JSON, a key given twice or a value of the wrong
 * type, through {@link ApiExceptionHandler}), without the per-request converter lookup, body advice
 * and type resolution.
 */
public final class JsonBody<T> {

  private static final List<MediaType> JSON = List.of(MediaType.APPLICATION_JSON);

  private final ObjectReader reader;

  private JsonBody(ObjectReader reader) {
    this.reader = reader;
  }

  /** Bodies of this type, read by the application's mapper made strict as request bodies are. */
  public static <T> JsonBody<T> of(JsonMapper json, Class<T> type) {
    return new JsonBody<>(StrictRequestBodies.strict(json).readerFor(type));
  }

  /**
   * The body, or null when there is none (no bytes, or JSON {@code null}), as
   * {@code @RequestBody(required = false)} gives it.
   *
   * @throws HttpMediaTypeNotSupportedException a body sent as another type than JSON (answered 415)
   * @throws HttpMessageNotReadableException malformed JSON or a value that does not bind (400)
   */
  public T read(HttpServletRequest request) throws IOException, HttpMediaTypeNotSupportedException {
    byte[] bytes = RequestBytes.read(request);
    String contentType = request.getContentType();
    Charset charset = StandardCharsets.UTF_8;
    if (contentType == null || contentType.isBlank()) {
      if (bytes.length == 0) {
        return null;
      }
      throw new HttpMediaTypeNotSupportedException(MediaType.APPLICATION_OCTET_STREAM, JSON, null);
    }
    if (!contentType.equals(MediaType.APPLICATION_JSON_VALUE)) {
      // ContentTypeCheck refused what does not parse before this runs.
      MediaType type = MediaType.parseMediaType(contentType);
      if (!json(type)) {
        throw new HttpMediaTypeNotSupportedException(type, JSON, null);
      }
      if (type.getCharset() != null) {
        charset = type.getCharset();
      }
    }
    if (bytes.length == 0) {
      return null;
    }
    try {
      return charset.equals(StandardCharsets.UTF_8)
          ? reader.readValue(bytes)
          : reader.readValue(new String(bytes, charset));
    } catch (JacksonException e) {
      throw new HttpMessageNotReadableException(
          "JSON parse error: " + e.getOriginalMessage(), e, new ServletServerHttpRequest(request));
    }
  }

  /**
   * The body, which must be there.
   *
   * @throws HttpMessageNotReadableException no body, or JSON {@code null} (400 {@code
   *     malformed_json}, "The request body is missing."), besides the failures of {@link #read}
   */
  public T require(HttpServletRequest request)
      throws IOException, HttpMediaTypeNotSupportedException {
    T body = read(request);
    if (body == null) {
      throw new HttpMessageNotReadableException(
          "Required request body is missing", new ServletServerHttpRequest(request));
    }
    return body;
  }

  /** The types Spring's JSON body reader takes: application/json and application/*+json. */
  private static boolean json(MediaType type) {
    return type.isCompatibleWith(MediaType.APPLICATION_JSON)
        || type.getType().equals("application") && type.getSubtype().endsWith("+json");
  }
}
