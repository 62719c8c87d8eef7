package dev.switchboard.platform.apikeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.platform.config.Secret;
import dev.switchboard.platform.http.ApiException;
import dev.switchboard.platform.http.Caller;
import dev.switchboard.testing.ManualClock;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ApiKeyServiceTest {

  static final String ADMIN_KEY = "operator-chosen-admin-key-0123456789";

  private final InMemoryApiKeyStore store = new InMemoryApiKeyStore();
  private final ManualClock clock = new ManualClock(Instant.parse("2026-03-01T10:00:00.250Z"));
  private final ApiKeyService keys =
      new ApiKeyService(
          store, new ApiKeyGenerator(new SecureRandom()), clock, Optional.of(Secret.of(ADMIN_KEY)));

  @Test
  void createWhenValidThenStoresHashOnlyAndReturnsSecretOnce() {
    CreatedApiKey created =
        keys.create("  billing worker ", List.of("payments:write", "email:send"));
    ApiKey key = created.key();
    assertThat(key.id()).startsWith("key_");
    assertThat(key.name()).isEqualTo("billing worker");
    assertThat(key.scopes()).containsExactly("email:send", "payments:write");
    assertThat(key.prefix()).isEqualTo(created.secret().reveal().substring(0, 7));
    assertThat(key.createdAt()).isEqualTo(Instant.parse("2026-03-01T10:00:00Z"));
    assertThat(store.findByHash(ApiKeyHash.of(created.secret().reveal()))).isPresent();
    assertThat(keys.list()).containsExactly(key);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "tab\tinside"})
  void createWhenNameInvalidThenErrorOnNameAndNothingStored(String name) {
    assertThatThrownBy(() -> keys.create(name, List.of("admin")))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.field()).contains("name"));
    assertThat(keys.list()).isEmpty();
  }

  @Test
  void createWhenNameTooLongOrMissingThenErrorAndNothingStored() {
    assertThatThrownBy(() -> keys.create("x".repeat(101), List.of("admin")))
        .hasMessageContaining("at most 100");
    assertThatThrownBy(() -> keys.create(null, List.of("admin")))
        .hasMessageContaining("name is required");
    assertThat(keys.create("x".repeat(100), List.of("admin")).key().name()).hasSize(100);
    assertThat(keys.list()).hasSize(1);
  }

  @Test
  void authenticateWhenValidKeyThenCallerWithItsScopes() {
    CreatedApiKey created = keys.create("mailer", List.of("email:send"));
    Caller caller = keys.authenticate(created.secret().reveal()).orElseThrow();
    assertThat(caller.id()).isEqualTo(created.key().id());
    assertThat(caller.kind()).isEqualTo(Caller.Kind.API_KEY);
    assertThat(caller.scopes()).containsExactly("email:send");
  }

  @Test
  void authenticateWhenRevokedThenEmpty() {
    CreatedApiKey created = keys.create("mailer", List.of("email:send"));
    keys.revoke(created.key().id());
    assertThat(keys.authenticate(created.secret().reveal())).isEmpty();
    assertThat(keys.list().get(0).revokedAt()).contains(Instant.parse("2026-03-01T10:00:00Z"));
  }

  @Test
  void authenticateWhenLookupFailsThenErrorIsNotRememberedAsAnUnknownKey() {
    CreatedApiKey created = keys.create("mailer", List.of("email:send"));
    store.lookupFailure = new IllegalStateException("connection is not available");

    assertThatThrownBy(() -> keys.authenticate(created.secret().reveal()))
        .isInstanceOf(IllegalStateException.class);
    store.lookupFailure = null;

    assertThat(keys.authenticate(created.secret().reveal())).isPresent();
    assertThat(store.lookups).isEqualTo(2);
  }

  @Test
  void authenticateWhenUnknownThenEmptyAndWhenMalformedThenNoLookup() {
    assertThat(keys.authenticate("sk_" + "a".repeat(43))).isEmpty();
    assertThat(store.lookups).isEqualTo(1);
    assertThat(keys.authenticate("sk_short")).isEmpty();
    assertThat(store.lookups).isEqualTo(1);
  }

  @Test
  void authenticateWhenAdminEnvironmentKeyThenFullScopeCaller() {
    Caller caller = keys.authenticate(ADMIN_KEY).orElseThrow();
    assertThat(caller.id()).isEqualTo("key_env_admin");
    assertThat(caller.has("payments:write")).isTrue();
    assertThat(keys.recognizes(ADMIN_KEY)).isTrue();
    assertThat(keys.recognizes("eyJhbGciOiJFUzI1NiJ9.e30.sig")).isFalse();
    assertThat(keys.recognizes("sk_anything")).isTrue();
  }

  @Test
  void authenticateWhenUsedOftenThenLastUsedWrittenAtMostOncePerMinute() {
    CreatedApiKey created = keys.create("mailer", List.of("email:send"));
    String secret = created.secret().reveal();
    keys.authenticate(secret);
    assertThat(store.touches).isEqualTo(1);
    for (int i = 0; i < 5; i++) {
      clock.advance(Duration.ofSeconds(10));
      keys.authenticate(secret);
    }
    assertThat(store.touches).isEqualTo(1);
    clock.advance(Duration.ofSeconds(11));
    keys.authenticate(secret);
    assertThat(store.touches).isEqualTo(2);
    assertThat(keys.list().get(0).lastUsedAt()).contains(clock.instant());
  }

  @Test
  void revokeWhenUnknownIdThenNotFound() {
    assertThatThrownBy(() -> keys.revoke("key_nope"))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.code()).isEqualTo("not_found"));
  }

  @Test
  void revokeWhenTwiceThenKeepsFirstTime() {
    String id = keys.create("mailer", List.of("email:send")).key().id();
    Instant first = keys.revoke(id).revokedAt().orElseThrow();
    clock.advance(Duration.ofHours(1));
    assertThat(keys.revoke(id).revokedAt()).contains(first);
  }

  @Test
  void callerForWhenEnvironmentKeyChangedThenSessionsOfTheOldKeyNoLongerResolve() {
    String sessionId = keys.sessionKeyId(ApiKeyService.ENV_ADMIN_ID);
    assertThat(sessionId).startsWith(ApiKeyService.ENV_ADMIN_ID + ":").doesNotContain(ADMIN_KEY);
    assertThat(keys.callerFor(sessionId))
        .hasValueSatisfying(c -> assertThat(c.has("admin")).isTrue());
    assertThat(keys.callerFor(ApiKeyService.ENV_ADMIN_ID)).isEmpty();

    ApiKeyService rotated =
        new ApiKeyService(
            store,
            new ApiKeyGenerator(new SecureRandom()),
            clock,
            Optional.of(Secret.of("operator-rotated-admin-key-9876543210")));
    assertThat(rotated.callerFor(sessionId)).isEmpty();
    assertThat(rotated.callerFor(rotated.sessionKeyId(ApiKeyService.ENV_ADMIN_ID))).isPresent();
  }

  @Test
  void authenticateWhenSameUnknownKeyRepeatedThenOneLookupUntilTheTtlEnds() {
    String wrong = "sk_" + "b".repeat(43);

    for (int i = 0; i < 5; i++) {
      assertThat(keys.authenticate(wrong)).isEmpty();
    }
    assertThat(store.lookups).isEqualTo(1);
    clock.advance(UnknownKeyCache.TTL.minusMillis(1));
    assertThat(keys.authenticate(wrong)).isEmpty();
    assertThat(store.lookups).isEqualTo(1);
    clock.advance(Duration.ofMillis(1));
    assertThat(keys.authenticate(wrong)).isEmpty();
    assertThat(store.lookups).isEqualTo(2);
  }

  @Test
  void authenticateWhenRevokedKeyRepeatedThenOneLookupAndStillRejected() {
    CreatedApiKey created = keys.create("old", List.of("admin"));
    keys.revoke(created.key().id());
    int before = store.lookups;

    assertThat(keys.authenticate(created.secret().reveal())).isEmpty();
    assertThat(keys.authenticate(created.secret().reveal())).isEmpty();

    assertThat(store.lookups).isEqualTo(before + 1);
  }

  @Test
  void createWhenSecretWasCachedAsUnknownThenAuthenticatesAtOnce() throws Exception {
    String secret = new ApiKeyGenerator(seeded()).newSecret();
    ApiKeyService seededKeys =
        new ApiKeyService(store, new ApiKeyGenerator(seeded()), clock, Optional.empty());
    assertThat(seededKeys.authenticate(secret)).isEmpty();

    CreatedApiKey created = seededKeys.create("fresh", List.of("email:send"));

    assertThat(created.secret().reveal()).isEqualTo(secret);
    assertThat(seededKeys.authenticate(secret)).map(Caller::id).contains(created.key().id());
  }

  @Test
  void registerWhenSecretWasCachedAsUnknownThenAuthenticatesAtOnce() {
    String secret = "sk_" + "c".repeat(43);
    assertThat(keys.authenticate(secret)).isEmpty();

    ApiKey registered = keys.register("development", secret, List.of("admin"));

    assertThat(keys.authenticate(secret)).map(Caller::id).contains(registered.id());
  }

  @Test
  void authenticateWhenMoreDistinctUnknownKeysThanTheCacheHoldsThenOldestLookedUpAgain() {
    ApiKeyService small =
        new ApiKeyService(
            store,
            new ApiKeyGenerator(new SecureRandom()),
            clock,
            Optional.empty(),
            new UnknownKeyCache(clock, UnknownKeyCache.TTL, 2));
    String first = "sk_" + "d".repeat(43);
    String second = "sk_" + "e".repeat(43);
    String third = "sk_" + "f".repeat(43);

    small.authenticate(first);
    small.authenticate(second);
    small.authenticate(third);
    small.authenticate(third);
    small.authenticate(first);

    assertThat(store.lookups).isEqualTo(4);
  }

  /**
   * Two generators seeded alike make the same secrets, so a test knows a secret before it is
   * created.
   */
  private static SecureRandom seeded() throws Exception {
    SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
    random.setSeed(42L);
    return random;
  }
}
