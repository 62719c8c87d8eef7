package dev.switchboard.platform.apikeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.platform.http.ApiException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScopesTest {

  @Test
  void parseWhenKnownScopesThenCanonicalOrderWithoutDuplicates() {
    assertThat(Scopes.parse(List.of("admin", "email:send", "email:send")))
        .containsExactly("email:send", "admin");
  }

  @Test
  void parseWhenUnknownScopeThenErrorOnScopesNamingAllowedOnes() {
    assertThatThrownBy(() -> Scopes.parse(List.of("email:send", "email:read")))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.field()).contains("scopes");
              assertThat(e.getMessage())
                  .contains("'email:read'")
                  .contains("email:send, files:write, payments:write, analytics:read, admin");
            });
  }

  @Test
  void parseWhenEmptyOrNullThenErrorOnScopes() {
    assertThatThrownBy(() -> Scopes.parse(List.of()))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.field()).contains("scopes"));
    assertThatThrownBy(() -> Scopes.parse(null)).isInstanceOf(ApiException.class);
    assertThatThrownBy(() -> Scopes.parse(Arrays.asList("admin", null)))
        .isInstanceOf(ApiException.class);
  }

  @Test
  void parseWhenCaseDiffersThenUnknown() {
    assertThatThrownBy(() -> Scopes.parse(List.of("Admin"))).isInstanceOf(ApiException.class);
  }

  @Test
  void parseCommaSeparatedWhenSpacesAndEmptyEntriesThenIgnored() {
    assertThat(Scopes.parseCommaSeparated(" files:write, ,email:send "))
        .containsExactly("email:send", "files:write");
    assertThatThrownBy(() -> Scopes.parseCommaSeparated(" , ")).isInstanceOf(ApiException.class);
  }

  @Test
  void parseWhenUnknownScopeHasControlCharactersThenMessageIsCleaned() {
    assertThatThrownBy(() -> Scopes.parse(List.of("bad\nscope")))
        .hasMessageContaining("'bad?scope'");
  }
}
