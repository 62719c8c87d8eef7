package dev.switchboard.auth;

import dev.switchboard.platform.crypto.Digests;
import dev.switchboard.platform.db.GroupCommit;
import dev.switchboard.platform.db.GroupCommits;
import java.nio.charset.StandardCharsets;
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
 * Sessions: one refresh-token family per sign-in, kept on the session's row (the current token's
 * generation and SHA-256, {@link FamilyTokens}). Refresh tokens are rotated on every use. A rotated
 * token presented again within the reuse grace ({@link #REUSE_GRACE} by default) answers the
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
 * presented after the first's commit would be), and a rotation that cannot complete (the session
 * ended meanwhile) writes nothing, without touching the others.
 */
final class Sessions implements SessionIssuer {

  /** The default of {@code SWITCHBOARD_REFRESH_REUSE_GRACE}. */
  static final Duration REUSE_GRACE = Duration.ofSeconds(10);

  /** A session ends when it has not been refreshed for this long. */
  static final Duration IDLE_LIFETIME = Duration.ofDays(30);

  /**
   * How long an instance trusts that a session it checked is still live (revocations elsewhere take
   * this long).
   */
  static final Duration LIVE_CACHE = Duration.ofSeconds(5);

  private static final int LIVE_CACHE_MAX = 100_000;

  /**
   * How many of a family's latest rotations are kept for the grace window: a token rotated more
   * than this many generations back within the reuse grace ({@link #REUSE_GRACE} by default) counts
   * as reused.
   */
  static final int GRACE_KEPT = 8;

  private final AccountStore accounts;
  private final SessionStore store;
  private final AccessTokens tokens;
  private final KeyEncryption encryption;
  private final FamilyTokens families;
  private final AdminRoles adminRoles;
  private final TransactionTemplate transactions;
  private final ApplicationEventPublisher events;
  private final Clock clock;
  private final GroupCommit<Rotation, Outcome> rotations;
  private final Duration reuseGrace;

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
        clock,
        REUSE_GRACE);
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
      Clock clock,
      Duration reuseGrace) {
    this.reuseGrace = reuseGrace;
    this.rotations = commits.lane("refresh", this::rotate);
    this.accounts = accounts;
    this.store = store;
    this.tokens = tokens;
    this.encryption = encryption;
    this.families = new FamilyTokens(encryption);
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
              String refresh = families.first(session.id());
              store.insert(session, AuthIds.hash(refresh));
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
   * Writes a group of refreshes in one transaction (the lane's). Rotations of current tokens of
   * distinct live sessions of existing accounts (almost every refresh) are read in one statement
   * and written in one statement batch, a conditional update of each session's row, so a group
   * costs two round trips whatever its size; every other one (a token presented twice in the group,
   * a rotated token, a rotation lost to another instance, a token of the form before families) is
   * then handled alone by {@link #rotateOne}, which sees the batch's writes, in the same
   * transaction.
   */
  List<Outcome> rotate(List<Rotation> group) {
    // Read once the connection is ours: the rotation stamp and the grace window count from the
    // claim, not from a wait for the pool or the lane.
    Instant now = clock.instant();
    if (group.size() == 1) {
      return List.of(rotateOne(group.get(0), now));
    }
    Outcome[] outcomes = new Outcome[group.size()];
    Set<String> ids = new LinkedHashSet<>();
    group.forEach(r -> Optional.ofNullable(r.family()).ifPresent(t -> ids.add(t.sessionId())));
    Map<String, SessionStore.FamilyInSession> rows = store.families(ids);
    List<Integer> batched = new ArrayList<>();
    List<Integer> alone = new ArrayList<>();
    Set<String> seenSessions = new HashSet<>();
    for (int i = 0; i < group.size(); i++) {
      Rotation r = group.get(i);
      if (r.family() == null) {
        alone.add(i);
        continue;
      }
      SessionStore.FamilyInSession row = rows.get(r.family().sessionId());
      if (row == null || !row.session().activeAt(now)) {
        outcomes[i] = Outcome.failed(invalidRefresh());
      } else if (row.account().isEmpty()) {
        outcomes[i] = Outcome.failed(accountNotFound());
      } else if (row.family().isPresent()
          && current(r, row.family().get())
          && seenSessions.add(row.session().id())) {
        batched.add(i);
      } else {
        alone.add(i);
      }
    }
    if (!batched.isEmpty()) {
      // Written in session order: on PostgreSQL two instances' groups then lock their sessions in
      // the same order and cannot deadlock on them (a deadlock would still only cost the groups a
      // retry one request at a time).
      batched.sort(Comparator.comparing(i -> group.get(i).family().sessionId()));
      List<SessionStore.Rotate> writes = new ArrayList<>(batched.size());
      String[] next = new String[batched.size()];
      for (int k = 0; k < batched.size(); k++) {
        Rotation r = group.get(batched.get(k));
        SessionStore.RefreshFamily family = rows.get(r.family().sessionId()).family().get();
        next[k] = families.next(r.presented(), r.family().sessionId(), family.generation() + 1);
        writes.add(rotation(r, family, next[k], now));
      }
      boolean[] rotated = store.rotate(writes);
      for (int k = 0; k < rotated.length; k++) {
        int i = batched.get(k);
        if (!rotated[k]) {
          // Rotated elsewhere or ended since the read (another instance, a logout): read again and
          // answered as such, alone.
          alone.add(i);
          continue;
        }
        SessionStore.FamilyInSession row = rows.get(group.get(i).family().sessionId());
        outcomes[i] =
            Outcome.ok(
                new Grant(withCurrentRoles(row.account().get()), row.session().id(), next[k]));
      }
    }
    alone.sort(null);
    for (int i : alone) {
      outcomes[i] = rotateOne(group.get(i), now);
    }
    return Arrays.asList(outcomes);
  }

  /**
   * One refresh in the open transaction, on its own: read the session with its family and account,
   * then rotate it (one conditional update), answer a reuse within the grace window the family's
   * current token, or revoke the family of a reused token (an outcome to commit). A token of the
   * form before families goes through {@link #rotateEarlier}.
   */
  private Outcome rotateOne(Rotation rotation, Instant now) {
    FamilyTokens.FamilyToken presented = rotation.family();
    if (presented == null) {
      return FamilyTokens.familyShaped(rotation.presented())
          ? Outcome.failed(invalidRefresh())
          : rotateEarlier(rotation, now);
    }
    for (int attempt = 0; ; attempt++) {
      Optional<SessionStore.FamilyInSession> row = store.family(presented.sessionId());
      if (row.isEmpty() || !row.get().session().activeAt(now) || row.get().family().isEmpty()) {
        return Outcome.failed(invalidRefresh());
      }
      if (row.get().account().isEmpty()) {
        // Checked before the claim, so nothing is written for a session whose account is gone.
        return Outcome.failed(accountNotFound());
      }
      SessionStore.RefreshFamily family = row.get().family().get();
      UserSession session = row.get().session();
      Account stored = row.get().account().get();
      if (presented.generation() < family.generation()) {
        return reused(rotation, presented, family, session, stored, now);
      }
      if (attempt > 0 || !current(rotation, family)) {
        return Outcome.failed(invalidRefresh());
      }
      String next = families.next(rotation.presented(), session.id(), family.generation() + 1);
      if (store.rotate(rotation(rotation, family, next, now))) {
        return Outcome.ok(new Grant(withCurrentRoles(stored), session.id(), next));
      }
      // Lost to a rotation committed since the read (another instance) or to a logout: read again.
    }
  }

  /**
   * A token of the family older than its current one: within the reuse grace ({@link #REUSE_GRACE}
   * by default) of its rotation, the family's current token (recomputed along the chain and checked
   * against the stored hash); later, the family is revoked. A token the server did not issue (a
   * made-up one naming a known session) changes nothing.
   */
  private Outcome reused(
      Rotation rotation,
      FamilyTokens.FamilyToken presented,
      SessionStore.RefreshFamily family,
      UserSession session,
      Account stored,
      Instant now) {
    if (!families.issued(presented)) {
      return Outcome.failed(invalidRefresh());
    }
    long back = family.generation() - 1 - presented.generation();
    Instant rotatedAt =
        back < family.rotations().size() ? family.rotations().get((int) back) : null;
    if (rotatedAt == null || Duration.between(rotatedAt, now).compareTo(reuseGrace) > 0) {
      // Committed, not rolled back with the error: the family stays revoked.
      revokeSession(session.id(), now, "refresh_reuse");
      return Outcome.failed(reuse());
    }
    String current = rotation.presented();
    for (long g = presented.generation() + 1; g <= family.generation(); g++) {
      current = families.next(current, session.id(), g);
    }
    if (!hashEquals(AuthIds.hash(current), family.tokenHash())) {
      return Outcome.failed(invalidRefresh());
    }
    return Outcome.ok(new Grant(withCurrentRoles(stored), session.id(), current));
  }

  /**
   * A token of the form before families (a row of its own, found by hash): read, claim, and move
   * the family onto the session row with its first family token (generation 1, derived from this
   * token), or the same reuse handling as before.
   */
  private Outcome rotateEarlier(Rotation rotation, Instant now) {
    Optional<SessionStore.TokenInSession> row = store.tokenInSession(rotation.tokenHash());
    if (row.isEmpty() || !row.get().session().activeAt(now)) {
      return Outcome.failed(invalidRefresh());
    }
    SessionStore.RefreshToken token = row.get().token();
    UserSession session = row.get().session();
    if (row.get().account().isEmpty()) {
      return Outcome.failed(accountNotFound());
    }
    Account stored = row.get().account().get();
    String presented = rotation.presented();
    if (token.rotatedAt().isEmpty() && store.markRotated(token.tokenHash(), now)) {
      String next = families.next(presented, session.id(), 1);
      SessionStore.Rotate adopt =
          new SessionStore.Rotate(
              session.id(),
              null,
              null,
              new SessionStore.RefreshFamily(1, AuthIds.hash(next), List.of(now)),
              now,
              now.plus(IDLE_LIFETIME),
              rotation.client());
      if (!store.rotate(adopt)) {
        // Revoked (or expired) since it was read: a logout racing this refresh wins, and the claim
        // is undone (in place: the transaction may hold other requests' rotations).
        store.unmarkRotated(token.tokenHash());
        return Outcome.failed(invalidRefresh());
      }
      return Outcome.ok(new Grant(withCurrentRoles(stored), session.id(), next));
    }
    Instant rotatedAt = token.rotatedAt().orElse(now);
    if (Duration.between(rotatedAt, now).compareTo(reuseGrace) > 0) {
      revokeSession(session.id(), now, "refresh_reuse");
      return Outcome.failed(reuse());
    }
    // Within the grace window: walk the derived chain to the family's current token and answer
    // that; past the last token of this form, on into the family on the session row.
    String current = encryption.successor(presented);
    String last = presented;
    for (int hops = 0; hops < 100; hops++) {
      Optional<SessionStore.RefreshToken> next = store.token(AuthIds.hash(current));
      if (next.isEmpty()) {
        Optional<SessionStore.RefreshFamily> family =
            store.family(session.id()).flatMap(SessionStore.FamilyInSession::family);
        if (family.isPresent()) {
          current = families.next(last, session.id(), 1);
          for (long g = 2; g <= family.get().generation(); g++) {
            current = families.next(current, session.id(), g);
          }
          if (!hashEquals(AuthIds.hash(current), family.get().tokenHash())) {
            return Outcome.failed(invalidRefresh());
          }
        }
        break;
      }
      if (next.get().rotatedAt().isEmpty()) {
        break;
      }
      last = current;
      current = encryption.successor(current);
    }
    return Outcome.ok(new Grant(withCurrentRoles(stored), session.id(), current));
  }

  /** Whether the presented token is the family's current one (hashes compared in constant time). */
  private static boolean current(Rotation rotation, SessionStore.RefreshFamily family) {
    return rotation.family().generation() == family.generation()
        && hashEquals(rotation.tokenHash(), family.tokenHash());
  }

  private static boolean hashEquals(String a, String b) {
    return Digests.equal(
        a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
  }

  /** The write that rotates {@code family} to {@code next} and records the refresh. */
  private SessionStore.Rotate rotation(
      Rotation rotation, SessionStore.RefreshFamily family, String next, Instant now) {
    List<Instant> rotations = new ArrayList<>(Math.min(family.rotations().size() + 1, GRACE_KEPT));
    rotations.add(now);
    for (Instant at : family.rotations()) {
      if (rotations.size() == GRACE_KEPT || Duration.between(at, now).compareTo(reuseGrace) > 0) {
        break;
      }
      rotations.add(at);
    }
    return new SessionStore.Rotate(
        rotation.family().sessionId(),
        family.generation(),
        family.tokenHash(),
        new SessionStore.RefreshFamily(family.generation() + 1, AuthIds.hash(next), rotations),
        now,
        now.plus(IDLE_LIFETIME),
        rotation.client());
  }

  private static AuthException reuse() {
    return new AuthException(
        401,
        "refresh_token_reused",
        "This refresh token was already used; every session of its sign-in has been ended. Sign in again.");
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
  record Rotation(
      String presented, String tokenHash, FamilyTokens.FamilyToken family, ClientInfo client) {
    Rotation(String presented, ClientInfo client) {
      this(presented, AuthIds.hash(presented), FamilyTokens.parse(presented), client);
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
