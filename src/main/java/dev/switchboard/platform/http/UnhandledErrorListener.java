package dev.switchboard.platform.http;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Told about every error that became a 500, after it was logged. Error monitoring implements this.
 */
public interface UnhandledErrorListener {

  /**
   * Records an unexpected failure. Must not throw and must not block for long; it runs on the
   * request thread.
   *
   * @param request the request being served (read headers with care: never record cookies or
   *     credentials)
   * @param error what was thrown
   */
  void onUnhandledError(HttpServletRequest request, Throwable error);
}
