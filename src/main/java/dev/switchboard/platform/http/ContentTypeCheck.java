package dev.switchboard.platform.http;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;

/**
 * Refuses a {@code Content-Type} that names no concrete type ({@code *}{@code /*}, {@code
 * application/*}) or does not parse, with 415 {@code unsupported_media_type}. Spring's body readers
 * throw a plain {@link IllegalArgumentException} for a wildcard, which would otherwise surface as a
 * 500 on every JSON POST.
 */
@Order(FilterOrder.CONTENT_TYPE)
public class ContentTypeCheck extends RefusingFilter {

  public ContentTypeCheck(ErrorResponses errors) {
    super(errors);
  }

  @Override
  protected ApiException refusal(HttpServletRequest request) {
    String value = request.getHeader("Content-Type");
    if (value != null && !value.isBlank() && !usable(value)) {
      return new ApiException(
          415,
          "unsupported_media_type",
          "The Content-Type header is not a concrete media type; send the body as application/json.");
    }
    return null;
  }

  static boolean usable(String value) {
    try {
      MediaType type = MediaType.parseMediaType(value);
      return !type.isWildcardType() && !type.isWildcardSubtype();
    } catch (IllegalArgumentException e) { // InvalidMediaTypeException, or an unknown charset
      return false;
    }
  }
}
