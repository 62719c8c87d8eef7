package dev.switchboard.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AccountLinkerTest {

  final AuthFixture f = new AuthFixture();

  static ProviderProfile google(String sub, String email, boolean verified) {
    return new ProviderProfile(
        "google", sub, Optional.ofNullable(email), verified, Optional.of("Ann"));
  }

  @Test
  void signInWhenNewVerifiedProfileThenCreatesVerifiedAccountAndPublishesCreatedOnce() {
    Account first = f.linker.signIn(google("g-1", "Ann@Example.com", true));
    Account again = f.linker.signIn(google("g-1", "ann@example.com", true));

    assertThat(first.email()).isEqualTo("ann@example.com");
    assertThat(first.emailVerified()).isTrue();
    assertThat(again.id()).isEqualTo(first.id());
    assertThat(f.events)
        .containsExactly(new AccountCreated(first.id(), "google", f.clock.instant()));
    assertThat(f.accounts.identities(first.id()))
        .extracting(Identity::provider)
        .containsExactly("google");
  }

  @Test
  void signInWhenKnownIdentityThenSameAccountEvenIfProviderEmailChanged() {
    Account first = f.linker.signIn(google("g-1", "ann@example.com", true));
    Account again = f.linker.signIn(google("g-1", "ann.new@example.com", false));

    assertThat(again.id()).isEqualTo(first.id());
    assertThat(f.accounts.identity("google", "g-1").orElseThrow().email())
        .contains("ann.new@example.com");
  }

  @Test
  void signInWhenUnverifiedEmailMatchesExistingAccountThenRefusedWithEmailInUseAndNothingLinked() {
    Account owner =
        f.accounts.create("ann@example.com", true, Optional.empty(), Optional.of("hash"), Set.of());

    assertThatThrownBy(
            () ->
                f.linker.signIn(
                    new ProviderProfile(
                        "github", "42", Optional.of("ann@example.com"), false, Optional.empty())))
        .isInstanceOfSatisfying(
            AuthException.class,
            e -> {
              assertThat(e.status()).isEqualTo(409);
              assertThat(e.code()).isEqualTo("email_in_use");
            });
    assertThat(f.accounts.identities(owner.id())).isEmpty();
    assertThat(f.accounts.identity("github", "42")).isEmpty();
    assertThat(f.events).isEmpty();
  }

  @Test
  void signInWhenVerifiedEmailMatchesVerifiedAccountThenLinksAndKeepsPassword() {
    Account owner =
        f.accounts.create("ann@example.com", true, Optional.empty(), Optional.of("hash"), Set.of());

    Account signedIn = f.linker.signIn(google("g-1", "ann@example.com", true));

    assertThat(signedIn.id()).isEqualTo(owner.id());
    assertThat(f.accounts.passwordHash(owner.id())).contains("hash");
    assertThat(f.events).isEmpty();
  }

  @Test
  void signInWhenVerifiedEmailMatchesUnverifiedAccountThenTakesOverSafely() {
    Account squatter =
        f.accounts.create(
            "ann@example.com", false, Optional.empty(), Optional.of("attacker-hash"), Set.of());
    f.accounts.addIdentity(
        new Identity(
            "github",
            "evil",
            squatter.id(),
            Optional.of("ann@example.com"),
            false,
            f.clock.instant()));
    // The squatter's own GitHub, verified by GitHub for the squatter's own address.
    f.accounts.addIdentity(
        new Identity(
            "github",
            "squatter",
            squatter.id(),
            Optional.of("eve@evil.example"),
            true,
            f.clock.instant()));
    f.jdbc
        .sql(
            "INSERT INTO oauth_flows (state_hash, provider, redirect_to, code_verifier, nonce, link_account_id, "
                + "attempt, created_at, expires_at) VALUES ('h', 'google', 'https://app.example/x', 'v', 'n', ?, 1, ?, ?)")
        .params(
            squatter.id(),
            f.clock.instant().atOffset(java.time.ZoneOffset.UTC),
            f.clock.instant().plusSeconds(600).atOffset(java.time.ZoneOffset.UTC))
        .update();
    SessionTokens attackerSession =
        f.sessions.open(squatter.id(), "password", AuthFixture.client());
    String pendingReset =
        f.mailedTokens.issue(
            MailedTokens.PASSWORD_RESET, squatter.id(), java.time.Duration.ofHours(1));

    Account owner = f.linker.signIn(google("g-1", "ann@example.com", true));

    assertThat(owner.id()).isEqualTo(squatter.id());
    assertThat(owner.emailVerified()).isTrue();
    assertThat(f.accounts.passwordHash(owner.id())).isEmpty();
    assertThat(f.accounts.identities(owner.id()))
        .extracting(Identity::subject)
        .containsExactly("g-1");
    assertThat(f.jdbc.sql("SELECT COUNT(*) FROM oauth_flows").query(Long.class).single()).isZero();
    assertThat(f.sessions.list(owner.id())).isEmpty();
    assertThatThrownBy(
            () -> f.sessions.refresh(attackerSession.refreshToken(), AuthFixture.client()))
        .isInstanceOfSatisfying(
            AuthException.class, e -> assertThat(e.code()).isEqualTo("invalid_refresh_token"));
    assertThat(f.mailedTokens.consume(MailedTokens.PASSWORD_RESET, pendingReset)).isEmpty();
  }

  @Test
  void signInWhenNoVerifiedEmailForNewAccountThenEmailAddressNotProvided() {
    for (ProviderProfile p :
        new ProviderProfile[] {
          google("g-1", null, false), google("g-2", "ann@example.com", false)
        }) {
      assertThatThrownBy(() -> f.linker.signIn(p))
          .isInstanceOfSatisfying(
              AuthException.class,
              e -> {
                assertThat(e.status()).isEqualTo(400);
                assertThat(e.code()).isEqualTo("email_address_not_provided");
              });
    }
    assertThat(f.accounts.recent(10)).isEmpty();
  }

  @Test
  void signInWhenVerifiedAdminEmailThenAdminRole() {
    assertThat(f.linker.signIn(google("g-1", "Boss@example.com", true)).roles())
        .containsExactly("admin");
  }

  @Test
  void linkWhenIdentityBelongsToAnotherAccountThenIdentityAlreadyLinked() {
    Account ann = f.linker.signIn(google("g-1", "ann@example.com", true));
    Account bob =
        f.accounts.create("bob@example.com", true, Optional.empty(), Optional.empty(), Set.of());

    assertThat(f.linker.link(ann.id(), google("g-1", "ann@example.com", true)).id())
        .isEqualTo(ann.id());
    assertThatThrownBy(() -> f.linker.link(bob.id(), google("g-1", "ann@example.com", true)))
        .isInstanceOfSatisfying(
            AuthException.class,
            e -> {
              assertThat(e.status()).isEqualTo(409);
              assertThat(e.code()).isEqualTo("identity_already_linked");
            });
    Account linked =
        f.linker.link(
            bob.id(),
            new ProviderProfile(
                "github",
                "7",
                Optional.of("bob@users.noreply.github.com"),
                false,
                Optional.empty()));
    assertThat(linked.id()).isEqualTo(bob.id());
    assertThat(f.accounts.identities(bob.id()))
        .extracting(Identity::provider)
        .containsExactly("github");
  }

  @Test
  void unlinkWhenLastWayToSignInThenRefusedAndWhenAnotherExistsThenRemoved() {
    Account ann = f.linker.signIn(google("g-1", "ann@example.com", true));

    assertThatThrownBy(() -> f.linker.unlink(ann.id(), "google"))
        .isInstanceOfSatisfying(
            AuthException.class,
            e -> {
              assertThat(e.status()).isEqualTo(409);
              assertThat(e.code()).isEqualTo("last_sign_in_method");
            });
    assertThat(f.accounts.identities(ann.id())).hasSize(1);
    assertThatThrownBy(() -> f.linker.unlink(ann.id(), "github"))
        .isInstanceOfSatisfying(
            AuthException.class, e -> assertThat(e.code()).isEqualTo("identity_not_found"));

    f.linker.link(
        ann.id(), new ProviderProfile("github", "9", Optional.empty(), false, Optional.empty()));
    f.linker.unlink(ann.id(), "google");
    assertThat(f.accounts.identities(ann.id()))
        .extracting(Identity::provider)
        .containsExactly("github");
    f.accounts.setPassword(ann.id(), Optional.of("hash"));
    f.linker.unlink(ann.id(), "github");
    assertThat(f.accounts.identities(ann.id())).isEmpty();
  }

  @Test
  void unlinkWhenTwoRaceForTheLastTwoIdentitiesThenOneIsRefused() throws Exception {
    Account ann = f.linker.signIn(google("g-1", "ann@example.com", true));
    f.linker.link(
        ann.id(), new ProviderProfile("github", "9", Optional.empty(), false, Optional.empty()));
    java.util.concurrent.CyclicBarrier bothCounted = new java.util.concurrent.CyclicBarrier(2);
    // Each unlink waits after counting until the other has counted too (or 300 ms pass, when the
    // other is blocked).
    JdbcAccounts slow =
        new JdbcAccounts(f.jdbc, f.clock) {
          @Override
          public java.util.List<Identity> identities(String accountId) {
            java.util.List<Identity> found = super.identities(accountId);
            try {
              bothCounted.await(300, java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (Exception timedOutOrBroken) {
              // The other unlink is waiting for the row lock.
            }
            return found;
          }
        };
    AccountLinker racing =
        new AccountLinker(
            slow, f.sessions, f.mailedTokens, f.roles, f.transactions, f.events::add, f.clock);
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      java.util.List<java.util.concurrent.Future<Account>> results =
          pool.invokeAll(
              java.util.List.of(
                  () -> racing.unlink(ann.id(), "google"),
                  () -> racing.unlink(ann.id(), "github")));
      long refused =
          results.stream()
              .filter(
                  r -> {
                    try {
                      r.get();
                      return false;
                    } catch (Exception e) {
                      return e.getCause() instanceof AuthException a
                          && a.code().equals("last_sign_in_method");
                    }
                  })
              .count();
      assertThat(refused).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
    assertThat(f.accounts.identities(ann.id())).hasSize(1);
  }
}
