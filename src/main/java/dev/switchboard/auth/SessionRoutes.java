package dev.switchboard.auth;

import dev.switchboard.platform.http.ApiException;
import dev.switchboard.platform.http.JsonAnswer;
import dev.switchboard.platform.http.JsonBody;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /api/auth/refresh}, {@code GET /api/auth/me}, {@code GET /api/auth/sessions}, {@code
 * DELETE /api/auth/sessions/{id}} and {@code POST /api/auth/logout}.
 */
@RestController
class SessionRoutes {

  private final Sessions sessions;
  private final Accounts accounts;
  private final ObjectWriter userWriter;
  private final JsonBody<RefreshRequest> refreshBody;

  SessionRoutes(Sessions sessions, Accounts accounts, JsonMapper json) {
    this.sessions = sessions;
    this.accounts = accounts;
    this.userWriter = json.writerFor(Map.class);
    this.refreshBody = JsonBody.of(json, RefreshRequest.class);
  }

  record RefreshRequest(String refreshToken) {}

  record LogoutRequest(String scope) {}

  /**
   * Rotates the refresh token; the pair is written by a writer built once, with the headers {@link
   * AuthJson#tokenResponse} gives it ({@code Cache-Control: no-store}).
   */
  @PostMapping("/api/auth/refresh")
  void refresh(HttpServletRequest request, HttpServletResponse response)
      throws IOException, HttpMediaTypeNotAcceptableException, HttpMediaTypeNotSupportedException {
    // Read by a reader built once (the same 415 and 400 answers as a bound body).
    String token = refreshBody.require(request).refreshToken();
    if (token == null || token.isBlank() || token.length() > 200) {
      throw ApiException.invalidField("refreshToken", "refreshToken is required");
    }
    SessionTokens tokens = sessions.refresh(token, AuthRequests.client(request));
    response.setHeader(HttpHeaders.CACHE_CONTROL, CacheControl.noStore().getHeaderValue());
    JsonAnswer.write(request, response, userWriter, AuthJson.tokens(tokens));
  }

  /**
   * The signed-in account: the one read with the session's liveness check (at most {@link
   * Sessions#LIVE_CACHE} old, as the liveness itself), its JSON written once per liveness entry by
   * a writer built once and kept with the entry.
   */
  @GetMapping("/api/auth/me")
  void me(HttpServletRequest request, HttpServletResponse response)
      throws IOException, HttpMediaTypeNotAcceptableException {
    String id = AuthRequests.accountId(request);
    Optional<String> sessionId = AuthRequests.sessionId(request);
    byte[] body =
        sessionId.isPresent()
            ? sessions.accountAnswer(sessionId.get(), id, this::userJson).orElse(null)
            : null;
    if (body == null) {
      body =
          userJson(
              accounts
                  .find(id)
                  .orElseThrow(
                      () ->
                          new AuthException(
                              401, "account_not_found", "The account no longer exists.")));
    }
    JsonAnswer.write(request, response, body);
  }

  private byte[] userJson(Account account) {
    return userWriter.writeValueAsBytes(AuthJson.user(account));
  }

  @GetMapping("/api/auth/sessions")
  Map<String, Object> list(HttpServletRequest request) {
    String id = AuthRequests.accountId(request);
    Optional<String> current = AuthRequests.sessionId(request);
    List<Map<String, Object>> rows =
        sessions.list(id).stream()
            .map(
                s -> {
                  Map<String, Object> row = new LinkedHashMap<>();
                  row.put("id", s.id());
                  row.put("createdAt", s.createdAt().toString());
                  row.put("lastUsedAt", s.lastUsedAt().toString());
                  row.put("ipAddress", s.ipAddress().orElse(null));
                  row.put("userAgent", s.userAgent().orElse(null));
                  row.put("method", s.method());
                  row.put("current", current.map(s.id()::equals).orElse(false));
                  return row;
                })
            .toList();
    return Map.of("sessions", rows);
  }

  @DeleteMapping("/api/auth/sessions/{id}")
  ResponseEntity<Void> revoke(@PathVariable String id, HttpServletRequest request) {
    sessions.revoke(AuthRequests.accountId(request), id);
    return ResponseEntity.noContent().build();
  }

  @PostMapping("/api/auth/logout")
  ResponseEntity<Void> logout(
      @RequestBody(required = false) LogoutRequest body, HttpServletRequest request) {
    String accountId = AuthRequests.accountId(request);
    String scope = body == null || body.scope() == null ? "current" : body.scope();
    Optional<String> current = AuthRequests.sessionId(request);
    switch (scope) {
      case "current" -> current.ifPresent(sid -> sessions.revoke(accountId, sid));
      case "others" -> sessions.revokeAll(accountId, current.orElse(null), "logout_others");
      case "all" -> sessions.revokeAll(accountId, null, "logout_all");
      default ->
          throw ApiException.invalidField("scope", "scope must be one of current, others, all");
    }
    return ResponseEntity.noContent().build();
  }
}
