package dev.switchboard.platform.http;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Collection;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.exc.MismatchedInputException;

/** Maps every exception that reaches Spring MVC to the one error shape. */
@RestControllerAdvice
public class ApiExceptionHandler {

  private static final Pattern DUPLICATE =
      Pattern.compile("Duplicate (?:Object property|field) [\"']([^\"']{1,100})[\"']");

  private final ErrorResponses errors;

  public ApiExceptionHandler(ErrorResponses errors) {
    this.errors = errors;
  }

  @ExceptionHandler(ApiException.class)
  ResponseEntity<ErrorBody> api(HttpServletRequest request, ApiException e) {
    return errors.entity(request, e);
  }

  @ExceptionHandler(HttpMessageNotReadableException.class)
  ResponseEntity<ErrorBody> unreadable(
      HttpServletRequest request, HttpMessageNotReadableException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ApiException api) {
        return errors.entity(request, api);
      }
    }
    if (e.getCause() instanceof StreamReadException read && read.getOriginalMessage() != null) {
      Matcher duplicate = DUPLICATE.matcher(read.getOriginalMessage());
      if (duplicate.find()) {
        String field = duplicate.group(1);
        return errors.entity(
            request, ApiException.invalidField(field, field + " is given more than once"));
      }
    }
    if (e.getCause() instanceof MismatchedInputException mismatch
        && !mismatch.getPath().isEmpty()) {
      String field = path(mismatch);
      String type =
          mismatch.getTargetType() == null ? "another type" : describe(mismatch.getTargetType());
      return errors.entity(request, ApiException.invalidField(field, field + " must be " + type));
    }
    if (e.getCause() instanceof DatabindException databind && !databind.getPath().isEmpty()) {
      String field = path(databind);
      return errors.entity(
          request, ApiException.invalidField(field, field + " has an invalid value"));
    }
    String message =
        e.getCause() == null
            ? "The request body is missing."
            : "The request body is not valid JSON.";
    return errors.entity(request, new ApiException(400, "malformed_json", message));
  }

  @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
  ResponseEntity<ErrorBody> method(
      HttpServletRequest request, HttpRequestMethodNotSupportedException e) {
    String allow =
        e.getSupportedHttpMethods() == null
            ? ""
            : e.getSupportedHttpMethods().stream()
                .map(Object::toString)
                .collect(Collectors.joining(", "));
    return errors.entity(
        request,
        new ApiException(
            405,
            "method_not_allowed",
            request.getMethod()
                + " is not supported here"
                + (allow.isEmpty() ? "." : "; use " + allow + "."),
            false,
            null,
            allow.isEmpty() ? Map.of() : Map.of("Allow", allow)));
  }

  @ExceptionHandler({NoResourceFoundException.class, NoHandlerFoundException.class})
  ResponseEntity<ErrorBody> notFound(HttpServletRequest request, Exception e) {
    return errors.entity(
        request,
        new ApiException(
            404,
            "not_found",
            "No route for " + request.getMethod() + " " + safePath(request) + "."));
  }

  @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
  ResponseEntity<ErrorBody> mediaType(
      HttpServletRequest request, HttpMediaTypeNotSupportedException e) {
    return errors.entity(
        request,
        new ApiException(415, "unsupported_media_type", "Send the body as application/json."));
  }

  @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
  ResponseEntity<ErrorBody> notAcceptable(
      HttpServletRequest request, HttpMediaTypeNotAcceptableException e) {
    return errors.entity(
        request,
        new ApiException(406, "not_acceptable", "This endpoint answers application/json."));
  }

  @ExceptionHandler(MissingServletRequestParameterException.class)
  ResponseEntity<ErrorBody> missingParameter(
      HttpServletRequest request, MissingServletRequestParameterException e) {
    return errors.entity(
        request,
        ApiException.invalidField(e.getParameterName(), e.getParameterName() + " is required"));
  }

  @ExceptionHandler(MissingRequestHeaderException.class)
  ResponseEntity<ErrorBody> missingHeader(
      HttpServletRequest request, MissingRequestHeaderException e) {
    return errors.entity(
        request,
        new ApiException(
            400, "missing_header", "The " + e.getHeaderName() + " header is required."));
  }

  @ExceptionHandler(MethodArgumentTypeMismatchException.class)
  ResponseEntity<ErrorBody> typeMismatch(
      HttpServletRequest request, MethodArgumentTypeMismatchException e) {
    String type = e.getRequiredType() == null ? "another type" : describe(e.getRequiredType());
    return errors.entity(
        request, ApiException.invalidField(e.getName(), e.getName() + " must be " + type));
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<ErrorBody> unexpected(HttpServletRequest request, Exception e) {
    return errors.unexpected(request, e);
  }

  private static String path(DatabindException e) {
    StringBuilder path = new StringBuilder();
    for (var ref : e.getPath()) {
      if (ref.getPropertyName() != null) {
        path.append(path.isEmpty() ? "" : ".").append(ref.getPropertyName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return path.toString();
  }

  private static String describe(Class<?> type) {
    if (type == String.class) {
      return "a string";
    }
    if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != boolean.class)) {
      return "a number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "an array";
    }
    return "an object";
  }

  static String safePath(HttpServletRequest request) {
    String uri = request.getRequestURI();
    String cleaned = uri.replaceAll("[^\\x21-\\x7e]", "?");
    return cleaned.length() > 200 ? cleaned.substring(0, 200) + "…" : cleaned;
  }
}
