package dev.switchboard.platform.apikeys;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.switchboard.platform.http.ApiException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** {@code /api/keys}: list, create and revoke API keys. Admin scope only. */
@RestController
@RequestMapping("/api/keys")
@RequiresScope(Scopes.ADMIN)
class ApiKeyRoutes {

  private final ApiKeyService keys;

  ApiKeyRoutes(ApiKeyService keys) {
    this.keys = keys;
  }

  /** A key in a list: no secret, no hash. */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  record KeyView(
      String id,
      String name,
      String prefix,
      List<String> scopes,
      Instant createdAt,
      Instant lastUsedAt,
      Instant revokedAt) {

    static KeyView of(ApiKey key) {
      return new KeyView(
          key.id(),
          key.name(),
          key.prefix(),
          key.scopes(),
          key.createdAt(),
          key.lastUsedAt().orElse(null),
          key.revokedAt().orElse(null));
    }
  }

  record KeyList(List<KeyView> keys) {}

  /** The one response that carries the secret. */
  record Created(
      String id, String name, List<String> scopes, String key, String prefix, Instant createdAt) {

    /** 201 with the key and its secret, which no cache or proxy may keep. */
    static ResponseEntity<Created> answer(CreatedApiKey created) {
      ApiKey key = created.key();
      return ResponseEntity.status(201)
          .cacheControl(CacheControl.noStore())
          .body(
              new Created(
                  key.id(),
                  key.name(),
                  key.scopes(),
                  created.secret().reveal(),
                  key.prefix(),
                  key.createdAt()));
    }
  }

  @GetMapping
  KeyList list() {
    return new KeyList(keys.list().stream().map(KeyView::of).toList());
  }

  @PostMapping
  ResponseEntity<Created> create(@RequestBody JsonNode body) {
    if (!body.isObject()) {
      throw new ApiException(
          400,
          "validation_failed",
          "The body must be a JSON object like {\"name\":…,\"scopes\":[…]}.");
    }
    return Created.answer(keys.create(name(body.get("name")), scopes(body.get("scopes"))));
  }

  @DeleteMapping("/{id}")
  KeyView revoke(@PathVariable String id) {
    return KeyView.of(keys.revoke(id));
  }

  private static String name(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isString()) {
      throw ApiException.invalidField("name", "name must be a string");
    }
    return node.stringValue();
  }

  private static List<String> scopes(JsonNode node) {
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw ApiException.invalidField("scopes", "scopes must be an array of strings");
    }
    List<String> scopes = new ArrayList<>();
    for (JsonNode scope : node) {
      if (!scope.isString()) {
        throw ApiException.invalidField("scopes", "scopes must be an array of strings");
      }
      scopes.add(scope.stringValue());
    }
    return scopes;
  }
}
