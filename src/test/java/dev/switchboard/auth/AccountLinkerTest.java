package dev.switchboard.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AccountLinkerTest {

  final AuthFixture f = new AuthFixture();

  static ProviderProfile google(String sub, String email, boolean verified) {
    return new ProviderProfile("google", sub, Optional.ofNullable(email), verified, Optional.of("Ann"));
  }

  @Test
  void signInWhenNewVerifiedProfileThenCreatesVerifiedAccountAndPublishesCreatedOnce() {
    Account first = f.linker.signIn(google("g-1", "Ann@Example.com", true));
    Account again = f.linker.signIn(google("g-1", "ann@example.com", true));

    assertThat(first.email()).isEqualTo("ann@example.com");
    assertThat(first.emailVerified()).isTrue();
    assertThat(again.id()).isEqualTo(first.id());
    assertThat(f.events).containsExactly(new AccountCreated(first.id(), "google", f.clock.instant()));
    assertThat(f.accounts.identities(first.id())).extracting(Identity::provider).containsExactly("google");
  }

  @Test
  void signInWhenKnownIdentityThenSameAccountEvenIfProviderEmailChanged() {
    Account first = f.linker.signIn(google("g-1", "ann@example.com", true));
    Account again = f.linker.signIn(google("g-1", "ann.new@example.com", false));

    assertThat(again.id()).isEqualTo(first.id());
    assertThat(f.accounts.identity("google", "g-1").orElseThrow().email()).contains("ann.new@example.com");
  }

  @Test
  void signInWhenUnverifiedEmailMatchesExistingAccountThenRefusedWithEmailInUseAndNothingLinked() {
    Account owner = f.accounts.create("ann@example.com", true, Optional.empty(), Optional.of("hash"), Set.of());

    assertThatThrownBy(() -> f.linker.signIn(
        new ProviderProfile("github", "42", Optional.of("ann@example.com"), false, Optional.empty())))
        .isInstanceOfSatisfying(AuthException.class, e -> {
          assertThat(e.status()).isEqualTo(409);
          assertThat(e.code()).isEqualTo("email_in_use");
        });
    assertThat(f.accounts.identities(owner.id())).isEmpty();
    assertThat(f.accounts.identity("github", "42")).isEmpty();
    assertThat(f.events).isEmpty();
  }

  @Test
  void signInWhenVerifiedEmailMatchesVerifiedAccountThenLinksAndKeepsPassword() {
    Account owner = f.accounts.create("ann@example.com", true, Optional.empty(), Optional.of("hash"), Set.of());

    Account signedIn = f.linker.signIn(google("g-1", "ann@example.com", true));

    assertThat(signedIn.id()).isEqualTo(owner.id());
    assertThat(f.accounts.passwordHash(owner.id())).contains("hash");
    assertThat(f.events).isEmpty();
  }

  @Test
  void signInWhenVerifiedEmailMatchesUnverifiedAccountThenTakesOverSafely() {
    Account squatter = f.accounts.create("ann@example.com", false, Optional.empty(), Optional.of("attacker-hash"),
        Set.of());
    f.accounts.addIdentity(new Identity("github", "evil", squatter.id(), Optional.of("ann@example.com"), false,
        f.clock.instant()));
    f.accounts.addIdentity(new Identity("google", "other", squatter.id(), Optional.of("x@example.com"), true,
        f.clock.instant()));
    SessionTokens attackerSession = f.sessions.open(squatter.id(), "password", AuthFixture.client());
    String pendingReset = f.mailedTokens.issue(MailedTokens.PASSWORD_RESET, squatter.id(), java.time.Duration.ofHours(1));

    Account owner = f.linker.signIn(google("g-1", "ann@example.com", true));

    assertThat(owner.id()).isEqualTo(squatter.id());
    assertThat(owner.emailVerified()).isTrue();
    assertThat(f.accounts.passwordHash(owner.id())).isEmpty();
    assertThat(f.accounts.identities(owner.id())).extracting(Identity::subject).containsExactlyInAnyOrder("other", "g-1");
    assertThat(f.sessions.list(owner.id())).isEmpty();
    assertThatThrownBy(() -> f.sessions.refresh(attackerSession.refreshToken(), AuthFixture.client()))
        .isInstanceOfSatisfying(AuthException.class, e -> assertThat(e.code()).isEqualTo("invalid_refresh_token"));
    assertThat(f.mailedTokens.consume(MailedTokens.PASSWORD_RESET, pendingReset)).isEmpty();
  }

  @Test
  void signInWhenNoVerifiedEmailForNewAccountThenEmailAddressNotProvided() {
    for (ProviderProfile p : new ProviderProfile[] {google("g-1", null, false), google("g-2", "ann@example.com", false)}) {
      assertThatThrownBy(() -> f.linker.signIn(p))
          .isInstanceOfSatisfying(AuthException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.code()).isEqualTo("email_address_not_provided");
          });
    }
    assertThat(f.accounts.recent(10)).isEmpty();
  }

  @Test
  void signInWhenVerifiedAdminEmailThenAdminRole() {
    assertThat(f.linker.signIn(google("g-1", "Boss@example.com", true)).roles()).containsExactly("admin");
  }

  @Test
  void linkWhenIdentityBelongsToAnotherAccountThenIdentityAlreadyLinked() {
    Account ann = f.linker.signIn(google("g-1", "ann@example.com", true));
    Account bob = f.accounts.create("bob@example.com", true, Optional.empty(), Optional.empty(), Set.of());

    assertThat(f.linker.link(ann.id(), google("g-1", "ann@example.com", true)).id()).isEqualTo(ann.id());
    assertThatThrownBy(() -> f.linker.link(bob.id(), google("g-1", "ann@example.com", true)))
        .isInstanceOfSatisfying(AuthException.class, e -> {
          assertThat(e.status()).isEqualTo(409);
          assertThat(e.code()).isEqualTo("identity_already_linked");
        });
    Account linked = f.linker.link(bob.id(),
        new ProviderProfile("github", "7", Optional.of("bob@users.noreply.github.com"), false, Optional.empty()));
    assertThat(linked.id()).isEqualTo(bob.id());
    assertThat(f.accounts.identities(bob.id())).extracting(Identity::provider).containsExactly("github");
  }

  @Test
  void unlinkWhenLastWayToSignInThenRefusedAndWhenAnotherExistsThenRemoved() {
    Account ann = f.linker.signIn(google("g-1", "ann@example.com", true));

    assertThatThrownBy(() -> f.linker.unlink(ann.id(), "google"))
        .isInstanceOfSatisfying(AuthException.class, e -> {
          assertThat(e.status()).isEqualTo(409);
          assertThat(e.code()).isEqualTo("last_sign_in_method");
        });
    assertThat(f.accounts.identities(ann.id())).hasSize(1);
    assertThatThrownBy(() -> f.linker.unlink(ann.id(), "github"))
        .isInstanceOfSatisfying(AuthException.class, e -> assertThat(e.code()).isEqualTo("identity_not_found"));

    f.linker.link(ann.id(), new ProviderProfile("github", "9", Optional.empty(), false, Optional.empty()));
    f.linker.unlink(ann.id(), "google");
    assertThat(f.accounts.identities(ann.id())).extracting(Identity::provider).containsExactly("github");
    f.accounts.setPassword(ann.id(), Optional.of("hash"));
    f.linker.unlink(ann.id(), "github");
    assertThat(f.accounts.identities(ann.id())).isEmpty();
  }
}
