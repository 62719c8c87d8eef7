package dev.switchboard.auth;

import java.time.Instant;
import java.util.Optional;

/**
 * Flow rows ({@code oauth_flows}) and one-time codes ({@code oauth_codes}); both single use, both
 * found by hash.
 */
public interface OAuthFlowStore {

  /** Stores a new flow. */
  void insertFlow(OAuthFlow flow);

  /**
   * The flow with this state hash, expired or not, without consuming it; empty when unknown or
   * already used.
   */
  Optional<OAuthFlow> findFlow(String stateHash);

  /**
   * Consumes the flow; true for exactly one caller even when several callbacks race for the same
   * state.
   */
  boolean claimFlow(String stateHash);

  /** Stores a one-time code for the account, usable until {@code expiresAt}. */
  void insertCode(
      String codeHash,
      String accountId,
      String method,
      Optional<String> appChallenge,
      Instant createdAt,
      Instant expiresAt);

  /**
   * Stores a one-time link code: the provider identity {@code profile}, added to the account only
   * when that account's own session presents the code ({@link IssuedCode#link()} is present for
   * such a code).
   */
  void insertLinkCode(
      String codeHash,
      String accountId,
      ProviderProfile profile,
      Instant createdAt,
      Instant expiresAt);

  /**
   * Consumes an unexpired code; empty when unknown, used or expired. Exactly one caller wins a
   * race.
   */
  Optional<IssuedCode> claimCode(String codeHash, Instant now);

  /** Deletes expired flows and codes; returns how many rows went. */
  int deleteExpired(Instant now);

  /**
   * What a one-time code stands for: a sign-in ({@code link} empty) or the identity to link to
   * {@code accountId} ({@code method} is then the provider).
   */
  record IssuedCode(
      String accountId,
      String method,
      Optional<String> appChallenge,
      Optional<ProviderProfile> link) {

    public IssuedCode(String accountId, String method, Optional<String> appChallenge) {
      this(accountId, method, appChallenge, Optional.empty());
    }
  }
}
