package dev.switchboard.platform.http;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import java.util.Set;

/**
 * Who is calling, set on the request by authentication before any controller runs. Rate limits and
 * idempotency keys are per caller.
 *
 * @param id a stable id: the API key id ({@code key_…}), the user id, or {@code ip:<address>} for
 *     anonymous calls
 * @param kind how the caller was authenticated
 * @param scopes granted scopes; {@code admin} grants every scope
 */
public record Caller(String id, Kind kind, Set<String> scopes) {

  public static final String ATTRIBUTE = Caller.class.getName();
  public static final String ADMIN_SCOPE = "admin";

  /** How a caller proved who it is. */
  public enum Kind {
    API_KEY,
    USER,
    ANONYMOUS
  }

  public Caller {
    scopes = Set.copyOf(scopes);
  }

  public boolean has(String scope) {
    return scopes.contains(ADMIN_SCOPE) || scopes.contains(scope);
  }

  public static Optional<Caller> of(HttpServletRequest request) {
    return Optional.ofNullable((Caller) request.getAttribute(ATTRIBUTE));
  }

  /** The authenticated caller, or an anonymous caller keyed by the client address. */
  public static Caller orAnonymous(HttpServletRequest request) {
    return of(request)
        .orElseGet(() -> new Caller("ip:" + request.getRemoteAddr(), Kind.ANONYMOUS, Set.of()));
  }
}
