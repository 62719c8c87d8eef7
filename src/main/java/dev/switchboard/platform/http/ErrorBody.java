package dev.switchboard.platform.http;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The one error shape: {@code {"status":400,"code":"…","message":"…","requestId":"…"}}, plus {@code
 * field} for validation errors.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorBody(int status, String code, String message, String requestId, String field) {

  static final String GENERIC_5XX =
      "Something went wrong on our side. Quote the request id when reporting it.";
}
