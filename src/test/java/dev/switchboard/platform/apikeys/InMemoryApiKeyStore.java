package dev.switchboard.platform.apikeys;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A hand-written {@link ApiKeyStore} that also counts lookups and writes, for service tests. */
final class InMemoryApiKeyStore implements ApiKeyStore {

  private final Map<String, Stored> byId = new LinkedHashMap<>();
  int lookups;

  /** When set, lookups by hash fail with it, as with the database away. */
  RuntimeException lookupFailure;

  int touches;

  @Override
  public void insert(ApiKey key, String hash) {
    if (byId.containsKey(key.id()) || byId.values().stream().anyMatch(s -> s.hash().equals(hash))) {
      throw new IllegalStateException("duplicate key");
    }
    byId.put(key.id(), new Stored(key, hash));
  }

  @Override
  public Optional<Stored> findByHash(String hash) {
    lookups++;
    if (lookupFailure != null) {
      throw lookupFailure;
    }
    return byId.values().stream().filter(s -> s.hash().equals(hash)).findFirst();
  }

  @Override
  public Optional<ApiKey> findById(String id) {
    return Optional.ofNullable(byId.get(id)).map(Stored::key);
  }

  @Override
  public List<ApiKey> list() {
    return new ArrayList<>(byId.values().stream().map(Stored::key).toList());
  }

  @Override
  public boolean revoke(String id, Instant at) {
    Stored s = byId.get(id);
    if (s == null) {
      return false;
    }
    if (!s.key().revoked()) {
      replace(s, s.key().lastUsedAt(), Optional.of(at));
    }
    return true;
  }

  @Override
  public boolean touch(String id, Instant at, Instant notAfter) {
    Stored s = byId.get(id);
    if (s == null || s.key().lastUsedAt().map(t -> t.isAfter(notAfter)).orElse(false)) {
      return false;
    }
    touches++;
    replace(s, Optional.of(at), s.key().revokedAt());
    return true;
  }

  private void replace(Stored s, Optional<Instant> lastUsed, Optional<Instant> revoked) {
    ApiKey k = s.key();
    byId.put(
        k.id(),
        new Stored(
            new ApiKey(k.id(), k.name(), k.prefix(), k.scopes(), k.createdAt(), lastUsed, revoked),
            s.hash()));
  }
}
