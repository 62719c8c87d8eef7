package dev.switchboard.auth;

import dev.switchboard.platform.http.ApiException;
import java.util.Map;

/**
 * The auth area's error: a stable code such as {@code invalid_credentials}, {@code
 * bad_oauth_state}.
 */
public class AuthException extends ApiException {

  public AuthException(int status, String code, String message) {
    super(status, code, message);
  }

  public AuthException(int status, String code, String message, Map<String, String> headers) {
    super(status, code, message, false, null, headers);
  }
}
