package dev.switchboard.platform.http;

/**
 * Codes and messages for statuses the servlet container sets itself (no {@link ApiException} behind
 * them), shared by {@link JsonErrorController} and {@link JsonErrorReportValve}. The messages may
 * be shown for 5xx too: they describe the request, not our failure.
 */
final class ContainerErrors {

  private ContainerErrors() {}

  static String codeFor(int status) {
    return switch (status) {
      case 400 -> "bad_request";
      case 401 -> "unauthorized";
      case 403 -> "forbidden";
      case 404 -> "not_found";
      case 405 -> "method_not_allowed";
      case 408 -> "request_timeout";
      case 411 -> "length_required";
      case 413 -> "payload_too_large";
      case 414 -> "uri_too_long";
      case 415 -> "unsupported_media_type";
      case 417 -> "expectation_failed";
      case 431 -> "headers_too_large";
      case 501 -> "not_implemented";
      case 505 -> "http_version_not_supported";
      default -> "http_" + status;
    };
  }

  static String messageFor(int status) {
    return switch (status) {
      case 400 -> "The request is malformed (path, request line or headers).";
      case 404 -> "Not found.";
      case 408 -> "The request was not received in time.";
      case 413 -> "The request body is too large.";
      case 414 -> "The request line is too long.";
      case 431 -> "The request headers are too large.";
      case 501 -> "The request uses a transfer coding or method this server does not implement.";
      case 505 -> "Use HTTP/1.1 or HTTP/2.";
      default -> "The request was rejected (HTTP " + status + ").";
    };
  }
}
