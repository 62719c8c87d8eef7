package dev.switchboard.platform.apikeys;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where API keys live (table {@code api_keys}). Keys are found by the hash of their secret, never
 * by the secret.
 */
public interface ApiKeyStore {

  /** A stored key with the hash it is looked up by; only authentication sees the hash. */
  record Stored(ApiKey key, String hash) {}

  /**
   * Saves a new key.
   *
   * @param key the key; its id must be new
   * @param hash {@link ApiKeyHash#of} of the secret; unique across all keys
   */
  void insert(ApiKey key, String hash);

  /**
   * Finds the key whose secret hashes to {@code hash}, revoked or not.
   *
   * @return the key and its stored hash, or empty when no key has that hash
   */
  Optional<Stored> findByHash(String hash);

  /** Finds a key by id, revoked or not. */
  Optional<ApiKey> findById(String id);

  /** Every key, revoked ones included, oldest first. */
  List<ApiKey> list();

  /**
   * Marks a key revoked at {@code at}. Revoking a revoked key keeps the first time.
   *
   * @return false when no key has that id
   */
  boolean revoke(String id, Instant at);

  /**
   * Records a use at {@code at} unless one was recorded after {@code notAfter}; the condition sits
   * in the update itself, so instances sharing a database write at most once per interval between
   * them.
   *
   * @return whether a row was written
   */
  boolean touch(String id, Instant at, Instant notAfter);
}
