package dev.switchboard.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.switchboard.platform.crypto.NativeCrypto;
import java.security.Provider;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The ES256 keys access tokens are signed with, shared by every instance through the database.
 * There is always one active key (signing) and one standby key (already in the JWKS, so verifiers
 * that cache the JWKS for its {@code max-age} know it before it signs anything). Rotation retires
 * the active key, activates the standby and makes a new standby; a retired key stays in the JWKS,
 * and keeps verifying, until the last token it signed has expired.
 *
 * <p>Each instance keeps the keys in memory and reloads them every {@code reload} ({@link #RELOAD}
 * unless {@code SWITCHBOARD_AUTH_KEY_RELOAD_INTERVAL} says otherwise), or at once (at most every
 * {@link #UNKNOWN_KID_RELOAD}) when a token names a key it does not know, so a rotation on one
 * instance is picked up by the others without a database read per request.
 */
final class SigningKeys {

  /** Quarterly, as the secrets policy asks. */
  static final Duration ROTATION_INTERVAL = Duration.ofDays(90);

  /** The default reload interval, and the longest: see {@code AuthConfig.keyReload}. */
  static final Duration RELOAD = Duration.ofSeconds(60);

  static final Duration UNKNOWN_KID_RELOAD = Duration.ofSeconds(5);

  /**
   * Clock skew allowed between instances when deciding that a retired key's last token has expired.
   */
  static final Duration SKEW = Duration.ofMinutes(1);

  private final SigningKeyStore store;
  private final KeyEncryption encryption;
  private final TransactionTemplate transactions;
  private final Clock clock;
  private final Duration tokenLifetime;
  private final Duration reload;
  private volatile Snapshot snapshot;

  SigningKeys(
      SigningKeyStore store,
      KeyEncryption encryption,
      TransactionTemplate transactions,
      Clock clock,
      Duration tokenLifetime,
      Duration reload) {
    this.store = store;
    this.encryption = encryption;
    this.transactions = transactions;
    this.clock = clock;
    this.tokenLifetime = tokenLifetime;
    this.reload = reload;
  }

  /** The key id and signer of the active key. */
  Signing signing() {
    return current().signing;
  }

  /** A verifier for a published key, or empty for an unknown or long-retired one. */
  Optional<TokenVerifier> verifier(String kid) {
    Snapshot s = current();
    TokenVerifier verifier = s.verifiers.get(kid);
    if (verifier == null
        && Duration.between(s.loadedAt, clock.instant()).compareTo(UNKNOWN_KID_RELOAD) >= 0) {
      verifier = reload().verifiers.get(kid);
    }
    return Optional.ofNullable(verifier);
  }

  /** The public keys as a JWK Set document; private parts never leave this class. */
  Map<String, Object> jwks() {
    return current().jwks;
  }

  /** The published keys with their states, for the rotate answer and the dashboard. */
  List<KeyInfo> keys() {
    return current().infos;
  }

  /**
   * Loads the keys (creating the first pair on an empty database) and opens every private key that
   * signs now or will after the next rotation.
   *
   * @throws KeyEncryption.WrongSecretException when one was sealed with another {@code
   *     SWITCHBOARD_AUTH_KEY_SECRET}
   */
  void checkSealedKeys() {
    reload();
    for (SigningKey k : live()) {
      if (!k.status().equals(SigningKey.RETIRED)) {
        encryption.unseal(k.privateSealed(), k.kid());
      }
    }
  }

  /** Rotates now, whatever the schedule says. */
  List<KeyInfo> rotate() {
    transactions.executeWithoutResult(
        tx -> {
          store.lock();
          rotateLocked(live());
        });
    return reload().infos;
  }

  /** Rotates when the active key has signed for {@link #ROTATION_INTERVAL}; true when it did. */
  boolean rotateIfDue() {
    Boolean rotated =
        transactions.execute(
            tx -> {
              store.lock();
              List<SigningKey> keys = live();
              Optional<SigningKey> active =
                  keys.stream().filter(k -> k.status().equals(SigningKey.ACTIVE)).findFirst();
              boolean due =
                  active.isEmpty()
                      || !active
                          .get()
                          .activatedAt()
                          .orElse(Instant.EPOCH)
                          .plus(ROTATION_INTERVAL)
                          .isAfter(clock.instant());
              if (due) {
                rotateLocked(keys);
              }
              return due;
            });
    if (Boolean.TRUE.equals(rotated)) {
      reload();
    }
    return Boolean.TRUE.equals(rotated);
  }

  private void rotateLocked(List<SigningKey> keys) {
    Instant now = clock.instant();
    keys.stream()
        .filter(k -> k.status().equals(SigningKey.ACTIVE))
        .forEach(k -> store.move(k.kid(), SigningKey.RETIRED, now));
    Optional<SigningKey> standby =
        keys.stream().filter(k -> k.status().equals(SigningKey.STANDBY)).findFirst();
    if (standby.isPresent()) {
      store.move(standby.get().kid(), SigningKey.ACTIVE, now);
    } else {
      store.insert(generate(SigningKey.ACTIVE, now));
    }
    store.insert(generate(SigningKey.STANDBY, now));
  }

  private List<SigningKey> live() {
    return store.live(clock.instant().minus(tokenLifetime).minus(SKEW));
  }

  private Snapshot current() {
    Snapshot s = snapshot;
    if (s == null || Duration.between(s.loadedAt, clock.instant()).compareTo(reload) >= 0) {
      return reload();
    }
    return s;
  }

  /** Reads the keys, creating the first active and standby keys when the database has none. */
  synchronized Snapshot reload() {
    List<SigningKey> keys = live();
    if (keys.stream().noneMatch(k -> k.status().equals(SigningKey.ACTIVE))) {
      keys =
          transactions.execute(
              tx -> {
                store.lock();
                List<SigningKey> locked = live();
                if (locked.stream().noneMatch(k -> k.status().equals(SigningKey.ACTIVE))) {
                  rotateLocked(locked);
                  return live();
                }
                return locked;
              });
    }
    snapshot = Snapshot.of(keys, encryption, clock.instant());
    return snapshot;
  }

  private SigningKey generate(String status, Instant now) {
    String kid = AuthIds.key();
    try {
      ECKey key =
          new ECKeyGenerator(Curve.P_256)
              .keyID(kid)
              .keyUse(KeyUse.SIGNATURE)
              .algorithm(JWSAlgorithm.ES256)
              .generate();
      return new SigningKey(
          kid,
          status,
          key.toPublicJWK().toJSONString(),
          encryption.seal(key.toJSONString(), kid),
          now,
          status.equals(SigningKey.ACTIVE) ? Optional.of(now) : Optional.empty(),
          Optional.empty());
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot generate a P-256 key", e);
    }
  }

  /**
   * The active key's id and a signer for it: {@code tokens} signs the access tokens, {@code signer}
   * is Nimbus's for the same key.
   */
  record Signing(String kid, JWSSigner signer, TokenSigner tokens) {
    Signing(String kid, JWSSigner signer) {
      this(kid, signer, new TokenSigner(kid, (ECDSASigner) signer));
    }
  }

  /** A published key as the rotate API and the dashboard show it. */
  record KeyInfo(
      String kid,
      String status,
      Instant createdAt,
      Optional<Instant> activatedAt,
      Optional<Instant> retiredAt) {}

  /**
   * An ES256 signer on the native provider when it is in use: Nimbus looks up {@code
   * SHA256withECDSA} itself, so the provider is set on its JCA context and the key converted by
   * that provider (no per-signature key translation).
   */
  static JWSSigner signer(ECKey priv) throws JOSEException {
    Optional<Provider> provider = NativeCrypto.preferred();
    if (provider.isEmpty()) {
      return new ECDSASigner(priv);
    }
    ECDSASigner signer = new ECDSASigner(priv.toECPrivateKey(provider.get()));
    signer.getJCAContext().setProvider(provider.get());
    return signer;
  }

  /** An ES256 verifier on the native provider when it is in use (see {@link #signer}). */
  static JWSVerifier verifier(ECKey pub) throws JOSEException {
    Optional<Provider> provider = NativeCrypto.preferred();
    if (provider.isEmpty()) {
      return new ECDSAVerifier(pub);
    }
    ECDSAVerifier verifier = new ECDSAVerifier(pub.toECPublicKey(provider.get()));
    verifier.getJCAContext().setProvider(provider.get());
    return verifier;
  }

  private record Snapshot(
      Signing signing,
      Map<String, TokenVerifier> verifiers,
      Map<String, Object> jwks,
      List<KeyInfo> infos,
      Instant loadedAt) {

    static Snapshot of(List<SigningKey> keys, KeyEncryption encryption, Instant now) {
      Signing signing = null;
      Map<String, TokenVerifier> verifiers = new HashMap<>();
      List<JWK> published = new ArrayList<>();
      List<KeyInfo> infos = new ArrayList<>();
      try {
        for (SigningKey k : keys) {
          ECKey pub = ECKey.parse(k.publicJwk());
          verifiers.put(k.kid(), new TokenVerifier((ECDSAVerifier) verifier(pub)));
          published.add(pub);
          infos.add(
              new KeyInfo(k.kid(), k.status(), k.createdAt(), k.activatedAt(), k.retiredAt()));
          if (k.status().equals(SigningKey.ACTIVE)) {
            ECKey priv = ECKey.parse(encryption.unseal(k.privateSealed(), k.kid()));
            signing = new Signing(k.kid(), signer(priv));
          }
        }
      } catch (ParseException | JOSEException e) {
        throw new IllegalStateException("a stored signing key cannot be read", e);
      }
      if (signing == null) {
        throw new IllegalStateException("no active signing key");
      }
      return new Snapshot(
          signing,
          Map.copyOf(verifiers),
          new JWKSet(published).toJSONObject(true),
          List.copyOf(infos),
          now);
    }
  }
}
