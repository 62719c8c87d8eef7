package dev.switchboard.auth;

import dev.switchboard.platform.apikeys.RequiresScope;
import dev.switchboard.platform.apikeys.Scopes;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /.well-known/jwks.json} (public keys only) and {@code POST /api/auth/keys/rotate}
 * (admin).
 */
@RestController
class KeyRoutes {

  /**
   * Ten minutes: a verifier picks up a new standby key well before it can sign (rotation is
   * quarterly).
   */
  static final Duration JWKS_MAX_AGE = Duration.ofMinutes(10);

  private final SigningKeys keys;

  KeyRoutes(SigningKeys keys) {
    this.keys = keys;
  }

  @GetMapping("/.well-known/jwks.json")
  ResponseEntity<Map<String, Object>> jwks() {
    return ResponseEntity.ok()
        .cacheControl(CacheControl.maxAge(JWKS_MAX_AGE).cachePublic())
        .contentType(MediaType.APPLICATION_JSON)
        .body(keys.jwks());
  }

  @PostMapping("/api/auth/keys/rotate")
  @RequiresScope(Scopes.ADMIN)
  Map<String, Object> rotate() {
    return Map.of(
        "keys",
        keys.rotate().stream()
            .map(
                k -> {
                  Map<String, Object> row = new LinkedHashMap<>();
                  row.put("kid", k.kid());
                  row.put("status", k.status());
                  row.put("createdAt", k.createdAt().toString());
                  row.put("activatedAt", k.activatedAt().map(Object::toString).orElse(null));
                  row.put("retiredAt", k.retiredAt().map(Object::toString).orElse(null));
                  return row;
                })
            .toList());
  }
}
