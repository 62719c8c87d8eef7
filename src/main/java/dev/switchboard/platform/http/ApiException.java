package dev.switchboard.platform.http;

import java.util.Map;
import java.util.Optional;

/**
 * An error an endpoint answers on purpose. Each area has one subclass (or uses this one) carrying a
 * stable snake_case {@code code}; the HTTP status decides the response, {@code retryable} tells job
 * runners whether to try again. Messages of 4xx errors are shown to the caller, so they must not
 * contain secrets.
 */
public class ApiException extends RuntimeException {

  private final int status;
  private final String code;
  private final boolean retryable;
  private final Map<String, String> headers;
  private final String field;

  public ApiException(int status, String code, String message) {
    this(status, code, message, false, null, Map.of());
  }

  public ApiException(
      int status,
      String code,
      String message,
      boolean retryable,
      String field,
      Map<String, String> headers) {
    super(message);
    this.status = status;
    this.code = code;
    this.retryable = retryable;
    this.field = field;
    this.headers = Map.copyOf(headers);
  }

  /** 400 for one invalid field of a request body or query. */
  public static ApiException invalidField(String field, String message) {
    return new ApiException(400, "validation_failed", message, false, field, Map.of());
  }

  public static ApiException notFound(String what) {
    return new ApiException(404, "not_found", what + " not found");
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public boolean retryable() {
    return retryable;
  }

  public Optional<String> field() {
    return Optional.ofNullable(field);
  }

  /** Extra response headers such as {@code Retry-After}. */
  public Map<String, String> headers() {
    return headers;
  }
}
