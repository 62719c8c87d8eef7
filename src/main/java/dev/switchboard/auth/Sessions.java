package dev.switchboard.auth;

import dev.switchboard.platform.db.GroupCommit;
import dev.switchboard.platform.db.GroupCommits;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sessions: one refresh-token family per sign-in. Refresh tokens are opaque, stored as SHA-256, and
 * rotated on every use. A rotated token presented again within {@link #REUSE_GRACE} answers the
 * family's current pair (two tabs refreshing at once, or a retry after a lost response, must not
 * sign anyone out); presented later it is treated as stolen and the whole family is revoked.
 *
 * <p>Ten seconds covers concurrent tabs and a client retrying a request whose response was lost on
 * a slow mobile network, and is short enough that a replayed stolen token is almost always
 * detected.
 *
 * <p>Concurrent refreshes share a commit ({@link GroupCommit}, lane {@code refresh}): each is
 * answered only after the commit that holds its rotation, so a 2xx still means the old token is
 * spent and the new one stored. Within a group each rotation stays atomic on its own: a token is
 * claimed once (the second presentation of the same token in a group is a reuse, answered as one
 * presented after the first's commit would be), and a rotation that cannot complete is undone in
 * the shared transaction without touching the others.
 */
final class Sessions implements SessionIssuer {

  static final Duration REUSE_GRACE = Duration.ofSeconds(10);

  /** A session ends when it has not been refreshed for this long. */
  static final Duration IDLE_LIFETIME = Duration.ofDays(30);

  /**
   * How long an instance trusts that a session it checked is still live (revocations elsewhere take
   * this long).
   */
  static final Duration LIVE_CACHE = Duration.ofSeconds(5);

  private static final int LIVE_CACHE_MAX = 100_000;

  private final AccountStore accounts;
  private final SessionStore store;
  private final AccessTokens tokens;
  private final KeyEncryption encryption;
  private final AdminRoles adminRoles;
  private final TransactionTemplate transactions;
  private final ApplicationEventPublisher events;
  private final Clock clock;
  private final GroupCommit<Rotation, Outcome> rotations;

  /**
   * Per session checked live: until when that is trusted, and the account as read with it (what
   * {@code GET /api/auth/me} answers). Both are as old as {@link #LIVE_CACHE} at most; this
   * instance's own revocations and account changes drop entries at once.
   */
  private final ConcurrentHashMap<String, Live> liveUntil = new ConcurrentHashMap<>();

  Sessions(
      AccountStore accounts,
      SessionStore store,
      AccessTokens tokens,
      KeyEncryption encryption,
      AdminRoles adminRoles,
      TransactionTemplate transactions,
      ApplicationEventPublisher events,
      Clock clock) {
    this(
        accounts,
        store,
        tokens,
        encryption,
        adminRoles,
        transactions,
        GroupCommits.of(transactions.getTransactionManager()),
        events,
        clock);
  }

  Sessions(
      AccountStore accounts,
      SessionStore store,
      AccessTokens tokens,
      KeyEncryption encryption,
      AdminRoles adminRoles,
      TransactionTemplate transactions,
      GroupCommits commits,
      ApplicationEventPublisher events,
      Clock clock) {
    this.rotations = commits.lane("refresh", this::rotate);
    this.accounts = accounts;
    this.store = store;
    this.tokens = tokens;
    this.encryption = encryption;
    this.adminRoles = adminRoles;
    this.transactions = transactions;
    this.events = events;
    this.clock = clock;
  }

  @Override
  public SessionTokens open(String accountId, String method, ClientInfo client) {
    SigningKeys.Signing signing = tokens.signingKey();
    Grant grant =
        transactions.execute(
            tx -> {
              Account account = currentAccount(accountId);
              Instant now = clock.instant();
              UserSession session =
                  new UserSession(
                      AuthIds.session(),
                      account.id(),
                      method,
                      Optional.ofNullable(client.ipAddress()),
                      Optional.ofNullable(JdbcSessionStore.clip(client.userAgent())),
                      now,
                      now,
                      now.plus(IDLE_LIFETIME),
                      Optional.empty());
              store.insert(session);
              String refresh = AuthIds.secret();
              store.insertToken(AuthIds.hash(refresh), session.id(), now);
              return new Grant(account, session.id(), refresh);
            });
    return pair(signing, grant);
  }

  /**
   * Exchanges a refresh token for a new pair.
   *
   * @throws AuthException 401 {@code invalid_refresh_token} for an unknown, expired or revoked
   *     token; 401 {@code refresh_token_reused} when a rotated token comes back after the grace
   *     window (the family is revoked)
   */
  SessionTokens refresh(String refreshToken, ClientInfo client) {
    // Fetched before the transaction: it may reload the keys from the database, and a failure after
    // the commit would
    // leave the presented token rotated with no answer, so the client's retry would look like
    // reuse.
    SigningKeys.Signing signing = tokens.signingKey();
    Outcome outcome = rotations.write(new Rotation(refreshToken, client));
    if (outcome.error != null) {
      throw outcome.error;
    }
    // Signed after the commit: the ES256 signature is most of a refresh's CPU, and inside the
    // transaction it held a pooled connection (and, on PostgreSQL, the session's row lock) for
    // that long; in a shared commit it would hold up the other requests of the group too.
    return pair(signing, outcome.grant);
  }

  /**
   * Writes a group of refreshes in one transaction (the lane's). Rotations of distinct tokens of
   * distinct sessions that are current, live and of an existing account (almost every refresh) are
   * read in one statement and written in three statement batches, so a group costs four round trips
   * whatever its size; every other one (a token presented twice in the group, a rotated token, a
   * claim lost to another instance) is then handled alone by {@link #rotateOne}, which sees the
   * batch's writes, in the same transaction.
   */
  List<Outcome> rotate(List<Rotation> group) {
    // Read once the connection is ours: the rotation stamp and the grace window count from the
    // claim, not from a wait for the pool or the lane.
    Instant now = clock.instant();
    if (group.size() == 1) {
      return List.of(rotateOne(group.get(0), now));
    }
    Outcome[] outcomes = new Outcome[group.size()];
    Set<String> hashes = new LinkedHashSet<>();
    group.forEach(r -> hashes.add(r.tokenHash()));
    Map<String, SessionStore.TokenInSession> rows = store.tokensInSessions(hashes);
    List<Integer> batched = new ArrayList<>();
    List<Integer> alone = new ArrayList<>();
    Set<String> seenTokens = new HashSet<>();
    Set<String> seenSessions = new HashSet<>();
    for (int i = 0; i < group.size(); i++) {
      Rotation r = group.get(i);
      SessionStore.TokenInSession row = rows.get(r.tokenHash());
      if (row == null || !row.session().activeAt(now)) {
        outcomes[i] = Outcome.failed(invalidRefresh());
      } else if (row.account().isEmpty()) {
        outcomes[i] = Outcome.failed(accountNotFound());
      } else if (row.token().rotatedAt().isEmpty()
          && seenTokens.add(r.tokenHash())
          && seenSessions.add(row.session().id())) {
        batched.add(i);
      } else {
        alone.add(i);
      }
    }
    if (!batched.isEmpty()) {
      // Claimed in token order: on PostgreSQL two instances' groups then lock their tokens in the
      // same order and cannot deadlock on them (a deadlock would still only cost the groups a
      // retry one request at a time).
      batched.sort(Comparator.comparing(i -> group.get(i).tokenHash()));
      boolean[] claimed =
          store.markRotated(batched.stream().map(i -> group.get(i).tokenHash()).toList(), now);
      List<Integer> rotating = new ArrayList<>();
      for (int k = 0; k < claimed.length; k++) {
        // Not claimed: rotated elsewhere since the read (another instance); handled as a reuse.
        (claimed[k] ? rotating : alone).add(batched.get(k));
      }
      boolean[] touched =
          store.touch(
              rotating.stream()
                  .map(
                      i ->
                          new SessionStore.Touch(
                              rows.get(group.get(i).tokenHash()).session().id(),
                              now,
                              now.plus(IDLE_LIFETIME),
                              group.get(i).client()))
                  .toList());
      List<SessionStore.NewToken> successors = new ArrayList<>();
      for (int k = 0; k < touched.length; k++) {
        int i = rotating.get(k);
        Rotation r = group.get(i);
        SessionStore.TokenInSession row = rows.get(r.tokenHash());
        if (!touched[k]) {
          // Revoked (or expired) since it was read: a logout racing this refresh wins.
          store.unmarkRotated(r.tokenHash());
          outcomes[i] = Outcome.failed(invalidRefresh());
          continue;
        }
        String next = encryption.successor(r.presented());
        successors.add(new SessionStore.NewToken(AuthIds.hash(next), row.session().id()));
        outcomes[i] =
            Outcome.ok(new Grant(withCurrentRoles(row.account().get()), row.session().id(), next));
      }
      if (!successors.isEmpty()) {
        store.insertTokens(successors, now);
      }
    }
    alone.sort(null);
    for (int i : alone) {
      outcomes[i] = rotateOne(group.get(i), now);
    }
    return Arrays.asList(outcomes);
  }

  /**
   * One refresh in the open transaction, on its own: read, claim, touch, successor (four
   * statements). Nothing needs a rollback: a claim whose session ended meanwhile is undone in
   * place, and a reuse's revocation is an outcome to commit.
   */
  private Outcome rotateOne(Rotation rotation, Instant now) {
    Optional<SessionStore.TokenInSession> row = store.tokenInSession(rotation.tokenHash());
    if (row.isEmpty() || !row.get().session().activeAt(now)) {
      return Outcome.failed(invalidRefresh());
    }
    SessionStore.RefreshToken token = row.get().token();
    UserSession session = row.get().session();
    if (row.get().account().isEmpty()) {
      // Checked before the claim, so nothing is written for a session whose account is gone.
      return Outcome.failed(accountNotFound());
    }
    Account stored = row.get().account().get();
    String presented = rotation.presented();
    if (token.rotatedAt().isEmpty() && store.markRotated(token.tokenHash(), now)) {
      if (!store.touch(session.id(), now, now.plus(IDLE_LIFETIME), rotation.client())) {
        // Revoked (or expired) since it was read: a logout racing this refresh wins, and the claim
        // is undone (in place: the transaction may hold other requests' rotations).
        store.unmarkRotated(token.tokenHash());
        return Outcome.failed(invalidRefresh());
      }
      String next = encryption.successor(presented);
      store.insertToken(AuthIds.hash(next), session.id(), now);
      return Outcome.ok(new Grant(withCurrentRoles(stored), session.id(), next));
    }
    Instant rotatedAt = token.rotatedAt().orElse(now);
    if (Duration.between(rotatedAt, now).compareTo(REUSE_GRACE) > 0) {
      // Committed, not rolled back with the error: the family stays revoked.
      revokeSession(session.id(), now, "refresh_reuse");
      return Outcome.failed(
          new AuthException(
              401,
              "refresh_token_reused",
              "This refresh token was already used; every session of its sign-in has been ended. Sign in again."));
    }
    // Within the grace window: walk the derived chain to the family's current token and answer
    // that.
    String current = encryption.successor(presented);
    for (int hops = 0; hops < 100; hops++) {
      Optional<SessionStore.RefreshToken> next = store.token(AuthIds.hash(current));
      if (next.isEmpty() || next.get().rotatedAt().isEmpty()) {
        break;
      }
      current = encryption.successor(current);
    }
    return Outcome.ok(new Grant(withCurrentRoles(stored), session.id(), current));
  }

  /** The account's live sessions, newest use first. */
  List<UserSession> list(String accountId) {
    return store.active(accountId, clock.instant());
  }

  /**
   * Ends one of the account's sessions.
   *
   * @throws AuthException 404 {@code session_not_found} when it is not one of theirs (or already
   *     ended)
   */
  void revoke(String accountId, String sessionId) {
    Optional<UserSession> session =
        store.find(sessionId).filter(s -> s.accountId().equals(accountId));
    if (session.isEmpty() || !session.get().activeAt(clock.instant())) {
      throw new AuthException(404, "session_not_found", "No such session.");
    }
    revokeSession(sessionId, clock.instant(), "revoked");
  }

  /**
   * Ends every session of the account except {@code keep} (null for all) and publishes {@link
   * SessionsRevoked}, so the account's dashboard sessions end too (a kept API session is not a
   * dashboard one); returns how many ended.
   */
  int revokeAll(String accountId, String keep, String why) {
    List<String> ids = store.revokeAll(accountId, keep, clock.instant(), why);
    ids.forEach(liveUntil::remove);
    // The callers changed the account too (verified, roles, password): a kept session's entry
    // must not answer the old account.
    forgetAccount(accountId);
    events.publishEvent(new SessionsRevoked(accountId, why, clock.instant()));
    return ids.size();
  }

  /** Ends one session (logout, the dashboard's revoke, reuse detection). */
  void revokeSession(String sessionId, Instant at, String why) {
    store.revoke(sessionId, at, why);
    liveUntil.remove(sessionId);
  }

  /**
   * Whether access tokens of this session still work. Checked against the database at most every
   * {@link #LIVE_CACHE} per session and instance: a revocation on this instance takes effect at
   * once, on another instance within that time.
   */
  boolean live(String sessionId) {
    return check(sessionId) != null;
  }

  /**
   * The account of a live session as read with its liveness check (so at most {@link #LIVE_CACHE}
   * old, like the liveness itself; a change made on this instance shows at once); empty when the
   * session is not live or its account is gone.
   */
  Optional<Account> account(String sessionId) {
    Live live = check(sessionId);
    return live == null ? Optional.empty() : live.account();
  }

  /**
   * What {@code render} makes of the account {@link #account} answers, when that is {@code
   * accountId}'s: rendered once per liveness entry and kept with it, so it is exactly as old as the
   * account it was made from and goes with the entry (a revocation or an account change made here
   * at once, elsewhere within {@link #LIVE_CACHE}). Empty when the session is not live, its account
   * is gone or is another one.
   */
  Optional<byte[]> accountAnswer(
      String sessionId, String accountId, Function<Account, byte[]> render) {
    Live live = check(sessionId);
    if (live == null || live.account().isEmpty() || !live.account().get().id().equals(accountId)) {
      return Optional.empty();
    }
    byte[] answer = live.answer;
    if (answer == null) {
      // Two requests may both render it: the same bytes from the same account, either one kept.
      answer = render.apply(live.account().get());
      live.answer = answer;
    }
    return Optional.of(answer);
  }

  /** The cached or freshly read entry of a live session; null when it is not live. */
  private Live check(String sessionId) {
    Instant now = clock.instant();
    Live cached = liveUntil.get(sessionId);
    if (cached != null && cached.until().isAfter(now)) {
      return cached;
    }
    Optional<SessionStore.SessionWithAccount> row =
        store.findWithAccount(sessionId).filter(s -> s.session().activeAt(now));
    if (row.isEmpty()) {
      liveUntil.remove(sessionId);
      return null;
    }
    if (liveUntil.size() >= LIVE_CACHE_MAX) {
      liveUntil.clear();
    }
    Live live = new Live(now.plus(LIVE_CACHE), row.get().account());
    liveUntil.put(sessionId, live);
    return live;
  }

  /**
   * Forgets the sessions of this account checked live here, so their next request reads the account
   * again: called after this instance changed the account.
   */
  private void forgetAccount(String accountId) {
    liveUntil
        .values()
        .removeIf(live -> live.account().filter(a -> a.id().equals(accountId)).isPresent());
  }

  private SessionTokens pair(SigningKeys.Signing signing, Grant grant) {
    return new SessionTokens(
        tokens.issue(signing, grant.account, grant.sessionId),
        grant.refresh,
        AccessTokens.LIFETIME.toSeconds(),
        grant.account);
  }

  /**
   * The account with its configured roles brought up to date (the admin list may have changed
   * since).
   */
  private Account currentAccount(String accountId) {
    return withCurrentRoles(accounts.find(accountId).orElseThrow(Sessions::accountNotFound));
  }

  /** {@code account} with its configured roles, written back when they changed. */
  private Account withCurrentRoles(Account account) {
    Set<String> roles = adminRoles.rolesFor(account.email(), account.emailVerified());
    if (!roles.equals(account.roles())) {
      accounts.setRoles(account.id(), roles);
      forgetAccount(account.id());
      account =
          new Account(
              account.id(),
              account.email(),
              account.emailVerified(),
              account.name(),
              roles,
              account.createdAt());
    }
    return account;
  }

  private static AuthException accountNotFound() {
    return new AuthException(401, "account_not_found", "The account no longer exists.");
  }

  static AuthException invalidRefresh() {
    return new AuthException(
        401, "invalid_refresh_token", "The refresh token is invalid, expired or revoked.");
  }

  /** A refresh to write: the token as presented, its hash, and where the request came from. */
  record Rotation(String presented, String tokenHash, ClientInfo client) {
    Rotation(String presented, ClientInfo client) {
      this(presented, AuthIds.hash(presented), client);
    }
  }

  /** What a committed sign-in or refresh hands out, before the access token is signed. */
  record Grant(Account account, String sessionId, String refresh) {}

  /**
   * A session checked live, until when that is trusted, its account as read then, and {@link
   * #accountAnswer} made from that account once asked for.
   */
  private static final class Live {
    private final Instant until;
    private final Optional<Account> account;
    private volatile byte[] answer;

    Live(Instant until, Optional<Account> account) {
      this.until = until;
      this.account = account;
    }

    Instant until() {
      return until;
    }

    Optional<Account> account() {
      return account;
    }
  }

  /** A refresh's outcome: the grant to sign, or the error to answer (after the commit). */
  record Outcome(Grant grant, AuthException error) {
    static Outcome ok(Grant grant) {
      return new Outcome(grant, null);
    }

    static Outcome failed(AuthException error) {
      return new Outcome(null, error);
    }
  }
}
