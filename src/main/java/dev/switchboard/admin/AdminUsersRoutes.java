package dev.switchboard.admin;

import dev.switchboard.auth.AccountDirectory;
import dev.switchboard.auth.Identity;
import dev.switchboard.auth.UserSession;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;

/** The users page: accounts, how they sign in, their live sessions, and revoking sessions. */
@Controller
class AdminUsersRoutes {

  static final int SHOWN = 100;

  private final AdminPages pages;
  private final AdminSession session;
  private final AccountDirectory directory;

  AdminUsersRoutes(AdminPages pages, AdminSession session, AccountDirectory directory) {
    this.pages = pages;
    this.session = session;
    this.directory = directory;
  }

  @GetMapping("/admin/users")
  Object users(HttpServletRequest request) {
    return pages.render(
        request,
        "admin/users",
        "Users",
        "navUsers",
        () ->
            Map.of(
                "accounts",
                directory.recent(SHOWN).stream()
                    .map(
                        e -> {
                          Map<String, Object> row = new LinkedHashMap<>();
                          row.put("id", e.account().id());
                          row.put("email", e.account().email());
                          row.put("verified", e.account().emailVerified());
                          row.put("name", e.account().name().orElse(""));
                          row.put("roles", String.join(", ", e.account().roles()));
                          row.put("createdAt", e.account().createdAt().toString());
                          row.put(
                              "signIn",
                              (e.hasPassword() ? "password " : "")
                                  + e.identities().stream()
                                      .map(AdminUsersRoutes::identity)
                                      .collect(Collectors.joining(" ")));
                          row.put(
                              "sessions",
                              e.sessions().stream().map(AdminUsersRoutes::session).toList());
                          row.put("hasSessions", !e.sessions().isEmpty());
                          return row;
                        })
                    .toList()));
  }

  @PostMapping("/admin/users/{accountId}/sessions/{sessionId}/revoke")
  ResponseEntity<Void> revoke(
      HttpServletRequest request, @PathVariable String accountId, @PathVariable String sessionId) {
    if (session.current(request).isEmpty()) {
      return redirect("/admin/login");
    }
    directory.revokeSession(accountId, sessionId);
    return redirect("/admin/users");
  }

  @PostMapping("/admin/users/{accountId}/sessions/revoke-all")
  ResponseEntity<Void> revokeAll(HttpServletRequest request, @PathVariable String accountId) {
    if (session.current(request).isEmpty()) {
      return redirect("/admin/login");
    }
    directory.revokeAll(accountId);
    return redirect("/admin/users");
  }

  private static String identity(Identity i) {
    return i.provider()
        + (i.email()
            .map(e -> " (" + e + (i.emailVerified() ? "" : ", unverified") + ")")
            .orElse(""));
  }

  private static Map<String, Object> session(UserSession s) {
    return Map.of(
        "id",
        s.id(),
        "accountId",
        s.accountId(),
        "method",
        s.method(),
        "ip",
        s.ipAddress().orElse(""),
        "userAgent",
        s.userAgent().orElse(""),
        "createdAt",
        s.createdAt().toString(),
        "lastUsedAt",
        s.lastUsedAt().toString());
  }

  private static ResponseEntity<Void> redirect(String to) {
    return ResponseEntity.status(HttpStatus.SEE_OTHER).header(HttpHeaders.LOCATION, to).build();
  }
}
