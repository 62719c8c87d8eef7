package dev.switchboard.platform.apikeys;

import dev.switchboard.platform.config.Secret;
import dev.switchboard.platform.http.ApiException;
import dev.switchboard.platform.http.Caller;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates, lists, revokes and checks API keys. The HTTP API, the authentication filter, the
 * development key and the {@code keys} command all go through here, so the rules live in one place.
 */
public class ApiKeyService {

  /** The caller id of {@code SWITCHBOARD_ADMIN_API_KEY}, which has no row in the table. */
  public static final String ENV_ADMIN_ID = "key_env_admin";

  public static final int MAX_NAME_LENGTH = 100;

  /**
   * Last-used times are written at most this often per key, so authentication is not a write per
   * request.
   */
  static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);

  private static final Logger log = LoggerFactory.getLogger(ApiKeyService.class);

  private final ApiKeyStore store;
  private final ApiKeyGenerator generator;
  private final Clock clock;
  private final Optional<Secret> adminKey;
  private final UnknownKeyCache rejected;

  public ApiKeyService(
      ApiKeyStore store, ApiKeyGenerator generator, Clock clock, Optional<Secret> adminKey) {
    this(store, generator, clock, adminKey, new UnknownKeyCache(clock));
  }

  ApiKeyService(
      ApiKeyStore store,
      ApiKeyGenerator generator,
      Clock clock,
      Optional<Secret> adminKey,
      UnknownKeyCache rejected) {
    this.store = store;
    this.generator = generator;
    this.clock = clock;
    this.adminKey = adminKey;
    this.rejected = rejected;
  }

  /**
   * Creates a key. The secret is in the result and nowhere else.
   *
   * @throws ApiException 400 {@code validation_failed} with field {@code name} (missing, blank,
   *     longer than {@value #MAX_NAME_LENGTH}, control characters) or {@code scopes} (empty,
   *     unknown)
   */
  public CreatedApiKey create(String name, Collection<String> scopes) {
    String checkedName = validName(name);
    List<String> checkedScopes = Scopes.parse(scopes);
    String secret = generator.newSecret();
    // Whole seconds: the same value comes back from every database, and nobody needs sub-second
    // creation times.
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    ApiKey key =
        new ApiKey(
            generator.newId(),
            checkedName,
            ApiKeyGenerator.displayPrefix(secret),
            checkedScopes,
            now,
            Optional.empty(),
            Optional.empty());
    String hash = ApiKeyHash.of(secret);
    store.insert(key, hash);
    rejected.forget(hash);
    return new CreatedApiKey(key, Secret.of(secret));
  }

  /** Every key, revoked ones included, oldest first; never a secret or hash. */
  public List<ApiKey> list() {
    return store.list();
  }

  /**
   * Revokes a key; it stops authenticating at once. Revoking twice is not an error.
   *
   * @throws ApiException 404 {@code not_found} when no key has that id
   */
  public ApiKey revoke(String id) {
    if (id == null || !store.revoke(id, clock.instant().truncatedTo(ChronoUnit.SECONDS))) {
      throw ApiException.notFound("API key '" + Scopes.printable(id) + "'");
    }
    return store.findById(id).orElseThrow();
  }

  /**
   * Whether {@code token} is for this service to judge: an {@code sk_} key or the configured admin
   * key.
   */
  public boolean recognizes(String token) {
    return token.startsWith(ApiKeyGenerator.SECRET_PREFIX)
        || adminKey.map(k -> k.matches(token)).orElse(false);
  }

  /**
   * Checks a presented key. A key rejected by the store is rejected again without a lookup for
   * {@link UnknownKeyCache#TTL} (revocation is final, and a key created here clears its entry at
   * once).
   *
   * @return the caller for a valid key; empty for an unknown, malformed or revoked one
   */
  public Optional<Caller> authenticate(String token) {
    if (adminKey.isPresent() && adminKey.get().matches(token)) {
      return Optional.of(new Caller(ENV_ADMIN_ID, Caller.Kind.API_KEY, Set.of(Scopes.ADMIN)));
    }
    if (!ApiKeyGenerator.wellFormed(token)) {
      return Optional.empty();
    }
    String hash = ApiKeyHash.of(token);
    if (rejected.rejected(hash)) {
      return Optional.empty();
    }
    Optional<ApiKeyStore.Stored> found = store.findByHash(hash);
    if (found.isEmpty()
        || !ApiKeyHash.matches(found.get().hash(), hash)
        || found.get().key().revoked()) {
      rejected.remember(hash);
      return Optional.empty();
    }
    ApiKey key = found.get().key();
    recordUse(key);
    return Optional.of(new Caller(key.id(), Caller.Kind.API_KEY, Set.copyOf(key.scopes())));
  }

  /**
   * The caller a key id stands for, while that key is still valid: lets a dashboard session, which
   * stores only the key id, notice a revocation at once.
   */
  public Optional<Caller> callerFor(String keyId) {
    if (keyId.startsWith(ENV_ADMIN_ID)) {
      // Bound to the key's value, so changing SWITCHBOARD_ADMIN_API_KEY ends sessions opened with
      // the old one.
      return adminKey
          .filter(k -> keyId.equals(sessionKeyId(ENV_ADMIN_ID)))
          .map(k -> new Caller(ENV_ADMIN_ID, Caller.Kind.API_KEY, Set.of(Scopes.ADMIN)));
    }
    return store
        .findById(keyId)
        .filter(k -> !k.revoked())
        .map(k -> new Caller(k.id(), Caller.Kind.API_KEY, Set.copyOf(k.scopes())));
  }

  /**
   * What a session remembers about the key that opened it: the key id, and for {@code
   * SWITCHBOARD_ADMIN_API_KEY} (which has no row) a fingerprint of its value, so {@link #callerFor}
   * can tell a rotated key apart.
   */
  public String sessionKeyId(String callerId) {
    if (!ENV_ADMIN_ID.equals(callerId) || adminKey.isEmpty()) {
      return callerId;
    }
    return ENV_ADMIN_ID + ":" + ApiKeyHash.of(adminKey.get().reveal()).substring(0, 16);
  }

  /**
   * Whether a key with this hash exists, revoked or not; the development key uses it to find its
   * own row.
   */
  Optional<ApiKey> findBySecret(String secret) {
    return store.findByHash(ApiKeyHash.of(secret)).map(ApiKeyStore.Stored::key);
  }

  /**
   * Stores a key whose secret already exists (the development key file, after its database was
   * reset).
   */
  ApiKey register(String name, String secret, List<String> scopes) {
    ApiKey key =
        new ApiKey(
            generator.newId(),
            validName(name),
            ApiKeyGenerator.displayPrefix(secret),
            Scopes.parse(scopes),
            clock.instant().truncatedTo(ChronoUnit.SECONDS),
            Optional.empty(),
            Optional.empty());
    String hash = ApiKeyHash.of(secret);
    store.insert(key, hash);
    rejected.forget(hash);
    return key;
  }

  private void recordUse(ApiKey key) {
    Instant now = clock.instant();
    // The row just read says whether a write is due; the update repeats the check for other
    // instances.
    if (key.lastUsedAt().isPresent() && key.lastUsedAt().get().isAfter(now.minus(TOUCH_INTERVAL))) {
      return;
    }
    try {
      store.touch(key.id(), now, now.minus(TOUCH_INTERVAL));
    } catch (RuntimeException e) {
      // A missed last-used time is not worth failing an authenticated request over.
      log.warn("Could not record use of API key {}: {}", key.id(), e.toString());
    }
  }

  private static String validName(String name) {
    if (name == null || name.isBlank()) {
      throw ApiException.invalidField("name", "name is required");
    }
    String trimmed = name.strip();
    if (trimmed.length() > MAX_NAME_LENGTH) {
      throw ApiException.invalidField(
          "name", "name must be at most " + MAX_NAME_LENGTH + " characters");
    }
    if (trimmed.chars().anyMatch(Character::isISOControl)) {
      throw ApiException.invalidField("name", "name must not contain control characters");
    }
    return trimmed;
  }
}
