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

  /**
   * The header as {@code getContentType()} gives it (the container looks it up once and keeps it
   * for the body reader; {@code getHeader} searched the headers again).
   */
  @Override
  protected ApiException refusal(HttpServletRequest request) {
    String value = request.getContentType();
    if (value != null && !value.isBlank() && !usable(value)) {
      return new ApiException(
          415,
          "unsupported_media_type",
          "The Content-Type header is not a concrete media type; send the body as application/json.");
    }
    return null;
  }

  static boolean usable(String value) {
    if (value.equals(MediaType.APPLICATION_JSON_VALUE)) {
      return true; // nearly every body: no parse needed to know it is concrete
    }
    try {
      MediaType type = MediaType.parseMediaType(value);
      return !type.isWildcardType() && !type.isWildcardSubtype();
    } catch (IllegalArgumentException e) { // InvalidMediaTypeException, or an unknown charset
      return false;
    }
  }
}
