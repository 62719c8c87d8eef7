package dev.switchboard.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.platform.db.GroupCommits;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;

class SessionsTest {

  final AuthFixture f = new AuthFixture();
  final Account ann =
      f.accounts.create("ann@example.com", true, Optional.of("Ann"), Optional.empty(), Set.of());

  @Test
  void openWhenAccountExistsThenAccessTokenCarriesSessionAndClaims() {
    SessionTokens tokens = f.sessions.open(ann.id(), "password", AuthFixture.client());

    AccessClaims claims = f.tokens.verify(tokens.accessToken());
    assertThat(claims.accountId()).isEqualTo(ann.id());
    assertThat(claims.email()).isEqualTo("ann@example.com");
    assertThat(claims.emailVerified()).isTrue();
    assertThat(tokens.expiresIn()).isEqualTo(900);
    assertThat(f.sessions.list(ann.id()))
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.id()).isEqualTo(claims.sessionId());
              assertThat(s.method()).isEqualTo("password");
              assertThat(s.ipAddress()).contains("203.0.113.7");
            });
  }

  @Test
  void openWhenAccountUnknownThen401() {
    assertThatThrownBy(() -> f.sessions.open("usr_missing", "password", AuthFixture.client()))
        .isInstanceOfSatisfying(AuthException.class, e -> assertThat(e.status()).isEqualTo(401));
  }

  @Test
  void refreshWhenCurrentTokenThenRotatesAndOldTokenRecordedAsRotated() {
    SessionTokens first = f.sessions.open(ann.id(), "password", AuthFixture.client());
    f.clock.advance(Duration.ofMinutes(20));

    SessionTokens second = f.sessions.refresh(first.refreshToken(), AuthFixture.client());

    assertThat(second.refreshToken()).isNotEqualTo(first.refreshToken());
    assertThat(f.tokens.verify(second.accessToken()).sessionId())
        .isEqualTo(f.tokens.verify(second.accessToken()).sessionId());
    assertThat(isCurrent(first.refreshToken())).isFalse();
    assertThat(isCurrent(second.refreshToken())).isTrue();
    assertThat(f.sessions.refresh(second.refreshToken(), AuthFixture.client()).refreshToken())
        .isNotIn(first.refreshToken(), second.refreshToken());
  }

  @Test
  void refreshWhenCurrentTokenThenTwoStatements() {
    SessionTokens first = f.sessions.open(ann.id(), "password", AuthFixture.client());
    f.clock.advance(Duration.ofSeconds(20));
    int before = f.statements.get();

    f.sessions.refresh(first.refreshToken(), AuthFixture.client());

    // The session with its family and account, then one conditional update of the session's row
    // (claim, successor and touch together): each one is a round trip on PostgreSQL.
    assertThat(f.statements.get() - before).isEqualTo(2);
  }

  @Test
  void refreshWhenSigningKeysCannotBeReloadedThenFailsBeforeRotatingAndSameTokenWorksLater() {
    SessionTokens first = f.sessions.open(ann.id(), "password", AuthFixture.client());
    f.clock.advance(SigningKeys.RELOAD.plusSeconds(1));
    f.keyStoreDown.set(true);

    assertThatThrownBy(() -> f.sessions.refresh(first.refreshToken(), AuthFixture.client()))
        .isInstanceOf(DataAccessResourceFailureException.class);

    assertThat(isCurrent(first.refreshToken())).isTrue();
    f.keyStoreDown.set(false);
    // Well past the reuse grace: had the failed attempt rotated the token, this would revoke the
    // family.
    f.clock.advance(Sessions.REUSE_GRACE.plusSeconds(5));
    SessionTokens second = f.sessions.refresh(first.refreshToken(), AuthFixture.client());
    assertThat(second.refreshToken()).isNotEqualTo(first.refreshToken());
    assertThat(f.sessions.live(f.tokens.verify(second.accessToken()).sessionId())).isTrue();
  }

  @Test
  void openWhenSigningKeysCannotBeReloadedThenNoSessionIsCreated() {
    f.clock.advance(SigningKeys.RELOAD.plusSeconds(1));
    f.keyStoreDown.set(true);

    assertThatThrownBy(() -> f.sessions.open(ann.id(), "password", AuthFixture.client()))
        .isInstanceOf(DataAccessResourceFailureException.class);

    assertThat(f.jdbc.sql("SELECT COUNT(*) FROM auth_sessions").query(Long.class).single())
        .isZero();
  }

  @Test
  void refreshWhenSessionRevokedBetweenReadAndTouchThenInvalidAndTokenNotRotated() {
    SessionTokens first = f.sessions.open(ann.id(), "password", AuthFixture.client());
    String sid = f.tokens.verify(first.accessToken()).sessionId();
    f.clock.advance(Duration.ofMinutes(1));
    // A logout on another connection commits after this refresh read the session as live and
    // claimed its token.
    SessionStore racing =
        (SessionStore)
            java.lang.reflect.Proxy.newProxyInstance(
                SessionStore.class.getClassLoader(),
                new Class<?>[] {SessionStore.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("rotate")) {
                    java.util.concurrent.CompletableFuture.runAsync(
                            () -> f.sessionStore.revoke(sid, f.clock.instant(), "logout"))
                        .join();
                  }
                  try {
                    return method.invoke(f.sessionStore, args);
                  } catch (java.lang.reflect.InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    Sessions sessions =
        new Sessions(
            f.accounts,
            racing,
            f.tokens,
            f.encryption,
            f.roles,
            f.transactions,
            f.events::add,
            f.clock);

    assertThatThrownBy(() -> sessions.refresh(first.refreshToken(), AuthFixture.client()))
        .isInstanceOfSatisfying(
            AuthException.class,
            e -> {
              assertThat(e.status()).isEqualTo(401);
              assertThat(e.code()).isEqualTo("invalid_refresh_token");
            });

    assertThat(isCurrent(first.refreshToken())).isTrue();
    assertThat(tokensOf(sid)).isEqualTo(1);
    assertThat(f.sessionStore.find(sid).orElseThrow().lastUsedAt())
        .isEqualTo(Instant.parse("2026-01-05T10:00:00Z"));
  }

  @Test
  void refreshWhenSameTokenPresentedConcurrentlyThenOneRotationAndBothGetItsPair()
      throws Exception {
    for (int round = 0; round < 20; round++) {
      SessionTokens first = f.sessions.open(ann.id(), "password", AuthFixture.client());
      java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
      java.util.concurrent.Callable<String> refresh =
          () -> {
            start.await();
            return f.sessions.refresh(first.refreshToken(), AuthFixture.client()).refreshToken();
          };
      java.util.concurrent.ExecutorService pool =
          java.util.concurrent.Executors.newFixedThreadPool(2);
      try {
        var a = pool.submit(refresh);
        var b = pool.submit(refresh);
        assertThat(a.get()).isEqualTo(b.get());
      } finally {
        pool.shutdownNow();
      }
      String sid = f.tokens.verify(first.accessToken()).sessionId();
      assertThat(tokensOf(sid)).isEqualTo(2);
    }
  }

  @Test
  void refreshWhenRotatedTokenReusedWithinGraceThenAnswersCurrentPairAndSessionStays() {
    SessionTokens first = f.sessions.open(ann.id(), "password", AuthFixture.client());
    SessionTokens tabA = f.sessions.refresh(first.refreshToken(), AuthFixture.client());
    f.clock.advance(Duration.ofSeconds(3));

    SessionTokens tabB = f.sessions.refresh(first.refreshToken(), AuthFixture.client());

    assertThat(tabB.refreshToken()).isEqualTo(tabA.refreshToken());
    f.clock.advance(Duration.ofMinutes(10));
    assertThat(f.sessions.refresh(tabA.refreshToken(), AuthFixture.client()).refreshToken())
        .isNotNull();
  }

  @Test
  void refreshWhenRotatedTokenReusedAfterGraceThenWholeFamilyRevoked() {
    SessionTokens first = f.sessions.open(ann.id(), "password", AuthFixture.client());
    SessionTokens second = f.sessions.refresh(first.refreshToken(), AuthFixture.client());
    String sid = f.tokens.verify(second.accessToken()).sessionId();
    f.clock.advance(Sessions.REUSE_GRACE.plusSeconds(1));

    assertThatThrownBy(() -> f.sessions.refresh(first.refreshToken(), AuthFixture.client()))
        .isInstanceOfSatisfying(
            AuthException.class,
            e -> {
              assertThat(e.status()).isEqualTo(401);
              assertThat(e.code()).isEqualTo("refresh_token_reused");
            });
    assertRefreshRefused(second.refreshToken(), "invalid_refresh_token");
    assertThat(f.sessions.live(sid)).isFalse();
  }

  @Test
  void refreshWhenReuseGraceSetShorterThenRotatedTokenIsReusedOnceItHasPassed() {
    Sessions sessions =
        new Sessions(
            f.accounts,
            f.sessionStore,
            f.tokens,
            f.encryption,
            f.roles,
            f.transactions,
            GroupCommits.of(f.transactions.getTransactionManager()),
            f.events::add,
            f.clock,
            Duration.ofSeconds(3));
    SessionTokens first = sessions.open(ann.id(), "password", AuthFixture.client());
    SessionTokens second = sessions.refresh(first.refreshToken(), AuthFixture.client());
    f.clock.advance(Duration.ofSeconds(3));
    assertThat(sessions.refresh(first.refreshToken(), AuthFixture.client()).refreshToken())
        .as("within the grace: the family's current pair")
        .isEqualTo(second.refreshToken());

    f.clock.advance(Duration.ofSeconds(1));
    assertThatThrownBy(() -> sessions.refresh(first.refreshToken(), AuthFixture.client()))
        .isInstanceOfSatisfying(
            AuthException.class, e -> assertThat(e.code()).isEqualTo("refresh_token_reused"));
    assertThat(sessions.live(f.tokens.verify(second.accessToken()).sessionId())).isFalse();
  }

  @Test
  void refreshWhenUnknownOrIdleTooLongThenInvalidRefreshToken() {
    SessionTokens first = f.sessions.open(ann.id(), "password", AuthFixture.client());
    assertRefreshRefused("not-a-token", "invalid_refresh_token");
    f.clock.advance(Sessions.IDLE_LIFETIME.plusSeconds(1));
    assertRefreshRefused(first.refreshToken(), "invalid_refresh_token");
  }

  @Test
  void revokeAllWhenKeepingCurrentThenOnlyOthersEnd() {
    SessionTokens phone = f.sessions.open(ann.id(), "password", AuthFixture.client());
    SessionTokens laptop = f.sessions.open(ann.id(), "google", AuthFixture.client());
    String laptopSid = f.tokens.verify(laptop.accessToken()).sessionId();
    String phoneSid = f.tokens.verify(phone.accessToken()).sessionId();
    assertThat(f.sessions.live(phoneSid)).isTrue();

    assertThat(f.sessions.revokeAll(ann.id(), laptopSid, "logout_others")).isEqualTo(1);

    assertThat(f.sessions.live(phoneSid)).isFalse();
    assertThat(f.sessions.live(laptopSid)).isTrue();
    assertThat(f.sessions.list(ann.id())).extracting(UserSession::id).containsExactly(laptopSid);
  }

  @Test
  void revokeAllThenPublishesSessionsRevokedSoDashboardSessionsEndToo() {
    f.sessions.open(ann.id(), "password", AuthFixture.client());

    f.sessions.revokeAll(ann.id(), null, "logout_all");

    assertThat(f.events)
        .containsExactly(new SessionsRevoked(ann.id(), "logout_all", f.clock.instant()));
  }

  @Test
  void revokeWhenSessionOfAnotherAccountThenNotFoundAndSessionStays() {
    Account bob =
        f.accounts.create("bob@example.com", true, Optional.empty(), Optional.empty(), Set.of());
    String bobSid =
        f.tokens
            .verify(f.sessions.open(bob.id(), "password", AuthFixture.client()).accessToken())
            .sessionId();

    assertThatThrownBy(() -> f.sessions.revoke(ann.id(), bobSid))
        .isInstanceOfSatisfying(
            AuthException.class, e -> assertThat(e.code()).isEqualTo("session_not_found"));
    assertThat(f.sessions.live(bobSid)).isTrue();
  }

  @Test
  void accountWhenCheckedLiveThenReadWithTheSessionOnceAndServedFromMemoryUntilLiveCache() {
    String sid =
        f.tokens
            .verify(f.sessions.open(ann.id(), "password", AuthFixture.client()).accessToken())
            .sessionId();
    int before = f.statements.get();

    assertThat(f.sessions.live(sid)).isTrue();
    assertThat(f.sessions.account(sid)).contains(ann);
    assertThat(f.sessions.account(sid)).contains(ann);
    assertThat(f.statements.get() - before).isEqualTo(1);

    f.clock.advance(Sessions.LIVE_CACHE);
    assertThat(f.sessions.account(sid)).contains(ann);
    assertThat(f.statements.get() - before).isEqualTo(2);
  }

  @Test
  void accountWhenChangedOnAnotherInstanceThenSeenWithinLiveCacheLikeARevocation() {
    String sid =
        f.tokens
            .verify(f.sessions.open(ann.id(), "password", AuthFixture.client()).accessToken())
            .sessionId();
    assertThat(f.sessions.account(sid)).contains(ann);
    Sessions other =
        new Sessions(
            f.accounts,
            f.sessionStore,
            f.tokens,
            f.encryption,
            f.roles,
            f.transactions,
            e -> {},
            f.clock);

    f.accounts.setRoles(ann.id(), Set.of(AdminRoles.ADMIN));
    f.clock.advance(Sessions.LIVE_CACHE.minusSeconds(1));
    assertThat(f.sessions.account(sid)).map(Account::roles).contains(Set.of());
    f.clock.advance(Duration.ofSeconds(1));
    assertThat(f.sessions.account(sid)).map(Account::roles).contains(Set.of(AdminRoles.ADMIN));

    other.revokeSession(sid, f.clock.instant(), "revoked");
    assertThat(f.sessions.account(sid)).isPresent();
    f.clock.advance(Sessions.LIVE_CACHE);
    assertThat(f.sessions.account(sid)).isEmpty();
    assertThat(f.sessions.live(sid)).isFalse();
  }

  @Test
  void accountWhenChangedOrRevokedOnThisInstanceThenAtOnce() {
    String kept =
        f.tokens
            .verify(f.sessions.open(ann.id(), "password", AuthFixture.client()).accessToken())
            .sessionId();
    String ended =
        f.tokens
            .verify(f.sessions.open(ann.id(), "google", AuthFixture.client()).accessToken())
            .sessionId();
    assertThat(f.sessions.account(kept)).map(Account::name).contains(Optional.of("Ann"));
    assertThat(f.sessions.account(ended)).isPresent();

    // What a password change does: the account changes, the other sessions end, this one stays.
    f.accounts.setRoles(ann.id(), Set.of(AdminRoles.ADMIN));
    f.sessions.revokeAll(ann.id(), kept, "password_changed");

    assertThat(f.sessions.account(ended)).isEmpty();
    assertThat(f.sessions.account(kept)).map(Account::roles).contains(Set.of(AdminRoles.ADMIN));
  }

  @Test
  void accountWhenRolesBroughtUpToDateAtSignInThenOtherSessionsOfTheAccountSeeThemAtOnce() {
    Account boss =
        f.accounts.create("boss@example.com", true, Optional.empty(), Optional.empty(), Set.of());
    SessionTokens phone = f.sessions.open(boss.id(), "password", AuthFixture.client());
    String phoneSid = f.tokens.verify(phone.accessToken()).sessionId();
    // Written elsewhere (another instance whose admin list did not name the address yet), and
    // read here with the phone's session.
    f.accounts.setRoles(boss.id(), Set.of());
    assertThat(f.sessions.account(phoneSid)).map(Account::roles).contains(Set.of());

    // This instance's next sign-in writes the configured roles back: the phone's session answers
    // them at once, not after the liveness window.
    f.sessions.open(boss.id(), "password", AuthFixture.client());

    assertThat(f.sessions.account(phoneSid)).map(Account::roles).contains(Set.of(AdminRoles.ADMIN));
  }

  @Test
  void accountAnswerWhenAskedAgainThenRenderedOncePerLivenessEntryAndAnewAfterAChange() {
    String sid =
        f.tokens
            .verify(f.sessions.open(ann.id(), "password", AuthFixture.client()).accessToken())
            .sessionId();
    List<Account> rendered = new ArrayList<>();
    Function<Account, byte[]> render =
        a -> {
          rendered.add(a);
          return (a.id() + " " + a.roles()).getBytes(StandardCharsets.UTF_8);
        };

    byte[] first = f.sessions.accountAnswer(sid, ann.id(), render).orElseThrow();
    assertThat(f.sessions.accountAnswer(sid, ann.id(), render)).containsSame(first);
    assertThat(rendered).containsExactly(ann);
    assertThat(f.sessions.accountAnswer(sid, "acc_someone_else", render)).isEmpty();

    // A change made here drops the entry, and its answer with it, at once.
    f.accounts.setRoles(ann.id(), Set.of(AdminRoles.ADMIN));
    f.sessions.revokeAll(ann.id(), sid, "password_changed");
    assertThat(f.sessions.accountAnswer(sid, ann.id(), render).map(String::new))
        .contains(ann.id() + " [admin]");
    // One made elsewhere shows with the next liveness read, as the account itself does.
    f.accounts.setRoles(ann.id(), Set.of());
    f.clock.advance(Sessions.LIVE_CACHE);
    assertThat(f.sessions.accountAnswer(sid, ann.id(), render).map(String::new))
        .contains(ann.id() + " []");
    assertThat(rendered).hasSize(3);

    f.sessions.revokeSession(sid, f.clock.instant(), "revoked");
    assertThat(f.sessions.accountAnswer(sid, ann.id(), render)).isEmpty();
  }

  /**
   * Writes these refreshes as one group of the lane, in one transaction, as concurrent ones are.
   */
  private List<Sessions.Outcome> group(Sessions sessions, String... refreshTokens) {
    List<Sessions.Rotation> rotations =
        Arrays.stream(refreshTokens)
            .map(t -> new Sessions.Rotation(t, AuthFixture.client()))
            .toList();
    return f.transactions.execute(tx -> sessions.rotate(rotations));
  }

  /** How many tokens the session's family has had: its current generation and the first. */
  private long tokensOf(String sessionId) {
    return family(sessionId).generation() + 1;
  }

  private SessionStore.RefreshFamily family(String sessionId) {
    return f.sessionStore.family(sessionId).orElseThrow().family().orElseThrow();
  }

  /** Whether the token is its family's current one (stored as its hash). */
  private boolean isCurrent(String token) {
    return family(FamilyTokens.parse(token).sessionId()).tokenHash().equals(AuthIds.hash(token));
  }

  @Test
  void refreshWhenGroupOfDistinctSessionsThenEachRotatedInTwoStatementsForTheWholeGroup() {
    List<SessionTokens> opened = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      opened.add(f.sessions.open(ann.id(), "password", AuthFixture.client()));
    }
    f.clock.advance(Duration.ofMinutes(1));
    int before = f.statements.get();

    List<Sessions.Outcome> outcomes =
        group(f.sessions, opened.stream().map(SessionTokens::refreshToken).toArray(String[]::new));

    // One read of every session with its family and account, then one batch of conditional
    // updates of the sessions' rows.
    assertThat(f.statements.get() - before).isEqualTo(2);
    for (int i = 0; i < 5; i++) {
      Sessions.Outcome outcome = outcomes.get(i);
      String sid = f.tokens.verify(opened.get(i).accessToken()).sessionId();
      assertThat(outcome.error()).isNull();
      assertThat(outcome.grant().sessionId()).isEqualTo(sid);
      assertThat(outcome.grant().account().id()).isEqualTo(ann.id());
      assertThat(isCurrent(opened.get(i).refreshToken())).isFalse();
      assertThat(isCurrent(outcome.grant().refresh())).isTrue();
      assertThat(FamilyTokens.parse(outcome.grant().refresh()).sessionId()).isEqualTo(sid);
      assertThat(family(sid).rotations()).containsExactly(f.clock.instant());
      assertThat(f.sessionStore.find(sid).orElseThrow().lastUsedAt()).isEqualTo(f.clock.instant());
    }
    // The successors work as any rotation's do.
    assertThat(f.sessions.refresh(outcomes.get(2).grant().refresh(), AuthFixture.client()))
        .isNotNull();
  }

  @Test
  void refreshWhenGroupsOfDifferentSizesThenTheirReadsAreOneStatementText() {
    List<String> reads = new ArrayList<>();
    for (int size : new int[] {2, 3, 7}) {
      List<String> tokens = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        tokens.add(f.sessions.open(ann.id(), "password", AuthFixture.client()).refreshToken());
      }
      f.clock.advance(Duration.ofMinutes(1));
      int from = f.prepared.size();

      List<Sessions.Outcome> outcomes = group(f.sessions, tokens.toArray(String[]::new));

      assertThat(outcomes).allSatisfy(o -> assertThat(o.error()).isNull());
      reads.add(f.prepared.subList(from, f.prepared.size()).get(0));
    }
    // Each pooled connection parses, plans and caches a statement text once: a text per group
    // size was a statement of its own for each size.
    assertThat(reads).hasSize(3).containsOnly(reads.get(0));
  }

  @Test
  void refreshWhenGroupFromClientsWithoutUserAgentThenBoundWithoutAskingForParameterTypes() {
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      tokens.add(f.sessions.open(ann.id(), "password", AuthFixture.client()).refreshToken());
    }
    f.clock.advance(Duration.ofMinutes(1));
    int before = f.parameterTypeLookups.get();

    List<Sessions.Rotation> rotations =
        tokens.stream()
            .map(t -> new Sessions.Rotation(t, new ClientInfo("203.0.113.7", null)))
            .toList();
    List<Sessions.Outcome> outcomes = f.transactions.execute(tx -> f.sessions.rotate(rotations));

    assertThat(outcomes).allSatisfy(o -> assertThat(o.error()).isNull());
    String sid = FamilyTokens.parse(tokens.get(0)).sessionId();
    assertThat(f.sessionStore.find(sid).orElseThrow().userAgent()).isEmpty();
    // A null of unknown type had Spring ask the driver for the statement's parameter types, per
    // null and row.
    assertThat(f.parameterTypeLookups.get() - before).isZero();
  }

  @Test
  void refreshWhenSameTokenTwiceInOneGroupThenOneRotationAndTheSecondIsAReuseAnsweredItsPair() {
    SessionTokens first = f.sessions.open(ann.id(), "password", AuthFixture.client());
    SessionTokens other = f.sessions.open(ann.id(), "google", AuthFixture.client());
    String sid = f.tokens.verify(first.accessToken()).sessionId();

    List<Sessions.Outcome> outcomes =
        group(f.sessions, first.refreshToken(), other.refreshToken(), first.refreshToken());

    assertThat(outcomes.get(0).error()).isNull();
    assertThat(outcomes.get(2).error()).isNull();
    assertThat(outcomes.get(2).grant().refresh()).isEqualTo(outcomes.get(0).grant().refresh());
    assertThat(outcomes.get(1).grant().refresh()).isNotEqualTo(outcomes.get(0).grant().refresh());
    assertThat(tokensOf(sid)).isEqualTo(2);
    assertThat(f.sessions.live(sid)).isTrue();
  }

  @Test
  void refreshWhenRotatedTokenReusedAfterGraceInAGroupThenFamilyRevokedAndOthersRotated() {
    SessionTokens stolen = f.sessions.open(ann.id(), "password", AuthFixture.client());
    SessionTokens rotated = f.sessions.refresh(stolen.refreshToken(), AuthFixture.client());
    SessionTokens bystander = f.sessions.open(ann.id(), "google", AuthFixture.client());
    String sid = f.tokens.verify(rotated.accessToken()).sessionId();
    f.clock.advance(Sessions.REUSE_GRACE.plusSeconds(1));

    List<Sessions.Outcome> outcomes =
        group(f.sessions, bystander.refreshToken(), stolen.refreshToken(), "not-a-token");

    assertThat(outcomes.get(0).error()).isNull();
    assertThat(outcomes.get(1).error().code()).isEqualTo("refresh_token_reused");
    assertThat(outcomes.get(2).error().code()).isEqualTo("invalid_refresh_token");
    // Committed with the group: the family stays revoked, its current token is refused.
    assertThat(f.sessions.live(sid)).isFalse();
    assertRefreshRefused(rotated.refreshToken(), "invalid_refresh_token");
    assertThat(f.sessions.refresh(outcomes.get(0).grant().refresh(), AuthFixture.client()))
        .isNotNull();
  }

  @Test
  void refreshWhenOneSessionOfAGroupRevokedBeforeItsTouchThenOnlyThatRotationUndone() {
    SessionTokens kept = f.sessions.open(ann.id(), "password", AuthFixture.client());
    SessionTokens ended = f.sessions.open(ann.id(), "google", AuthFixture.client());
    String endedSid = f.tokens.verify(ended.accessToken()).sessionId();
    String keptSid = f.tokens.verify(kept.accessToken()).sessionId();
    f.clock.advance(Duration.ofMinutes(1));
    // A logout on another connection commits after the group read both sessions as live and
    // claimed both tokens.
    Sessions sessions =
        withStore(
            racing("rotate", () -> f.sessionStore.revoke(endedSid, f.clock.instant(), "logout")));

    List<Sessions.Outcome> outcomes = group(sessions, kept.refreshToken(), ended.refreshToken());

    assertThat(outcomes.get(0).error()).isNull();
    assertThat(outcomes.get(1).error().code()).isEqualTo("invalid_refresh_token");
    assertThat(isCurrent(ended.refreshToken())).isTrue();
    assertThat(tokensOf(endedSid)).isEqualTo(1);
    assertThat(f.sessionStore.find(endedSid).orElseThrow().lastUsedAt())
        .isEqualTo(Instant.parse("2026-01-05T10:00:00Z"));
    assertThat(tokensOf(keptSid)).isEqualTo(2);
    assertThat(f.sessionStore.find(keptSid).orElseThrow().lastUsedAt())
        .isEqualTo(f.clock.instant());
  }

  @Test
  void refreshWhenAnotherInstanceRotatesATokenOfTheGroupAfterItsReadThenThatOneAnswersTheirPair() {
    SessionTokens mine = f.sessions.open(ann.id(), "password", AuthFixture.client());
    SessionTokens shared = f.sessions.open(ann.id(), "google", AuthFixture.client());
    String sharedSid = f.tokens.verify(shared.accessToken()).sessionId();
    Sessions elsewhere = withStore(f.sessionStore);
    AtomicReference<SessionTokens> theirs = new AtomicReference<>();
    Sessions sessions =
        withStore(
            racing(
                "rotate",
                () -> theirs.set(elsewhere.refresh(shared.refreshToken(), AuthFixture.client()))));

    List<Sessions.Outcome> outcomes = group(sessions, mine.refreshToken(), shared.refreshToken());

    assertThat(outcomes.get(0).error()).isNull();
    assertThat(outcomes.get(1).error()).isNull();
    assertThat(outcomes.get(1).grant().refresh()).isEqualTo(theirs.get().refreshToken());
    assertThat(tokensOf(sharedSid)).isEqualTo(2);
  }

  @Test
  void refreshWhenTokenOfASessionOpenedBeforeFamiliesThenRotatesOntoTheFamilyAndReuseStillCaught() {
    // A session as an earlier version opened it: its token in a row of its own.
    Instant opened = f.clock.instant();
    String sid = AuthIds.session();
    f.sessionStore.insert(
        new UserSession(
            sid,
            ann.id(),
            "password",
            Optional.empty(),
            Optional.empty(),
            opened,
            opened,
            opened.plus(Sessions.IDLE_LIFETIME),
            Optional.empty()));
    String earlier = AuthIds.secret();
    f.sessionStore.insertToken(AuthIds.hash(earlier), sid, opened);
    f.clock.advance(Duration.ofMinutes(20));

    SessionTokens first = f.sessions.refresh(earlier, AuthFixture.client());
    assertThat(f.tokens.verify(first.accessToken()).sessionId()).isEqualTo(sid);
    assertThat(FamilyTokens.parse(first.refreshToken()).generation()).isEqualTo(1);
    assertThat(isCurrent(first.refreshToken())).isTrue();
    assertThat(f.sessionStore.token(AuthIds.hash(earlier)).orElseThrow().rotatedAt()).isPresent();
    f.clock.advance(Duration.ofSeconds(2));
    SessionTokens second = f.sessions.refresh(first.refreshToken(), AuthFixture.client());
    // Within the grace window the old token answers the family's current pair.
    f.clock.advance(Duration.ofSeconds(3));
    assertThat(f.sessions.refresh(earlier, AuthFixture.client()).refreshToken())
        .isEqualTo(second.refreshToken());
    assertThat(f.sessions.refresh(first.refreshToken(), AuthFixture.client()).refreshToken())
        .isEqualTo(second.refreshToken());

    f.clock.advance(Sessions.REUSE_GRACE);
    assertRefreshRefused(earlier, "refresh_token_reused");
    assertThat(f.sessions.live(sid)).isFalse();
    assertRefreshRefused(second.refreshToken(), "invalid_refresh_token");
  }

  @Test
  void refreshWhenTokenRotatedTwiceWithinGraceThenAnswersCurrentAndLaterRevokes() {
    SessionTokens first = f.sessions.open(ann.id(), "password", AuthFixture.client());
    SessionTokens second = f.sessions.refresh(first.refreshToken(), AuthFixture.client());
    f.clock.advance(Duration.ofSeconds(4));
    SessionTokens third = f.sessions.refresh(second.refreshToken(), AuthFixture.client());
    f.clock.advance(Duration.ofSeconds(4));

    assertThat(f.sessions.refresh(first.refreshToken(), AuthFixture.client()).refreshToken())
        .isEqualTo(third.refreshToken());
    // Three seconds later the first token's rotation is past the window, the second's is not.
    f.clock.advance(Duration.ofSeconds(3));
    assertThat(f.sessions.refresh(second.refreshToken(), AuthFixture.client()).refreshToken())
        .isEqualTo(third.refreshToken());
    assertRefreshRefused(first.refreshToken(), "refresh_token_reused");
  }

  @Test
  void refreshWhenMadeUpTokenNamesALiveSessionThenInvalidAndTheSessionStays() {
    SessionTokens first = f.sessions.open(ann.id(), "password", AuthFixture.client());
    SessionTokens second = f.sessions.refresh(first.refreshToken(), AuthFixture.client());
    String sid = f.tokens.verify(second.accessToken()).sessionId();
    f.clock.advance(Sessions.REUSE_GRACE.plusSeconds(1));
    String tag = first.refreshToken().substring(first.refreshToken().lastIndexOf('.') + 1);
    String forgedOld = sid + ".0." + AuthIds.secret() + "." + tag;
    String forgedCurrent =
        second.refreshToken().substring(0, second.refreshToken().lastIndexOf('.') - 43)
            + AuthIds.secret()
            + second.refreshToken().substring(second.refreshToken().lastIndexOf('.'));

    for (String forged : List.of(forgedOld, forgedCurrent, sid + ".7." + AuthIds.secret() + ".x")) {
      assertRefreshRefused(forged, "invalid_refresh_token");
    }
    assertThat(f.sessions.live(sid)).isTrue();
    assertThat(f.sessions.refresh(second.refreshToken(), AuthFixture.client())).isNotNull();
  }

  @Test
  void openAndRefreshThenOnlyTheCurrentTokensHashIsStored() {
    SessionTokens first = f.sessions.open(ann.id(), "password", AuthFixture.client());
    SessionTokens second = f.sessions.refresh(first.refreshToken(), AuthFixture.client());
    String sid = f.tokens.verify(second.accessToken()).sessionId();

    String row =
        f.jdbc
            .sql("SELECT * FROM auth_sessions WHERE id = ?")
            .param(sid)
            .query(
                (rs, n) -> {
                  StringBuilder all = new StringBuilder();
                  for (int c = 1; c <= rs.getMetaData().getColumnCount(); c++) {
                    all.append(rs.getString(c)).append('|');
                  }
                  return all.toString();
                })
            .single();
    for (String token : List.of(first.refreshToken(), second.refreshToken())) {
      String chain = token.split("\\.")[2];
      assertThat(row).doesNotContain(chain);
    }
    assertThat(row).contains(AuthIds.hash(second.refreshToken()));
    assertThat(f.jdbc.sql("SELECT COUNT(*) FROM refresh_tokens").query(Long.class).single())
        .isZero();
  }

  /** A Sessions of its own (another instance's lane) on this store. */
  private Sessions withStore(SessionStore store) {
    return new Sessions(
        f.accounts, store, f.tokens, f.encryption, f.roles, f.transactions, f.events::add, f.clock);
  }

  /**
   * The fixture's store, where the first batched call of {@code method} (one taking a list) first
   * lets {@code meanwhile} run and commit on another connection.
   */
  private SessionStore racing(String method, Runnable meanwhile) {
    AtomicBoolean done = new AtomicBoolean();
    return (SessionStore)
        Proxy.newProxyInstance(
            SessionStore.class.getClassLoader(),
            new Class<?>[] {SessionStore.class},
            (proxy, m, args) -> {
              if (m.getName().equals(method)
                  && args[0] instanceof List
                  && done.compareAndSet(false, true)) {
                CompletableFuture.runAsync(meanwhile).join();
              }
              try {
                return m.invoke(f.sessionStore, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  /** A refresh with {@code token} is refused with {@code code}. */
  private void assertRefreshRefused(String token, String code) {
    assertThatThrownBy(() -> f.sessions.refresh(token, AuthFixture.client()))
        .isInstanceOfSatisfying(AuthException.class, e -> assertThat(e.code()).isEqualTo(code));
  }
}
