package dev.switchboard.auth;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The flow store's contract in memory, for unit tests of {@link OAuthFlows}. */
class InMemoryOAuthFlowStore implements OAuthFlowStore {

  final Map<String, OAuthFlow> flows = new ConcurrentHashMap<>();
  final Map<String, Object[]> codes = new ConcurrentHashMap<>();

  @Override
  public void insertFlow(OAuthFlow flow) {
    flows.put(flow.stateHash(), flow);
  }

  @Override
  public Optional<OAuthFlow> findFlow(String stateHash) {
    return Optional.ofNullable(flows.get(stateHash));
  }

  @Override
  public boolean claimFlow(String stateHash) {
    return flows.remove(stateHash) != null;
  }

  @Override
  public void insertCode(
      String codeHash,
      String accountId,
      String method,
      Optional<String> appChallenge,
      Instant createdAt,
      Instant expiresAt) {
    codes.put(codeHash, new Object[] {new IssuedCode(accountId, method, appChallenge), expiresAt});
  }

  @Override
  public void insertLinkCode(
      String codeHash,
      String accountId,
      ProviderProfile profile,
      Instant createdAt,
      Instant expiresAt) {
    codes.put(
        codeHash,
        new Object[] {
          new IssuedCode(accountId, profile.provider(), Optional.empty(), Optional.of(profile)),
          expiresAt
        });
  }

  @Override
  public Optional<IssuedCode> claimCode(String codeHash, Instant now) {
    Object[] entry = codes.remove(codeHash);
    return entry != null && now.isBefore((Instant) entry[1])
        ? Optional.of((IssuedCode) entry[0])
        : Optional.empty();
  }

  @Override
  public int deleteExpired(Instant now) {
    int before = flows.size() + codes.size();
    flows.values().removeIf(f -> !now.isBefore(f.expiresAt()));
    codes.values().removeIf(e -> !now.isBefore((Instant) e[1]));
    return before - flows.size() - codes.size();
  }
}
