package dev.switchboard.platform.apikeys;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.web.method.HandlerMethod;

class RequiresScopeCheckTest {

  @RequiresScope("email:send")
  static class Routes {
    public void inherits() {}

    @RequiresScope("files:write")
    public void overrides() {}

    @RequiresScope("email:sned")
    public void misspelled() {}
  }

  static class Open {
    public void anything() {}
  }

  @Test
  void unknownScopesWhenDeclarationsKnownThenNone() throws Exception {
    assertThat(
            RequiresScopeCheck.unknownScopes(
                List.of(
                    handler(Routes.class, "inherits"),
                    handler(Routes.class, "overrides"),
                    handler(Open.class, "anything"))))
        .isEmpty();
  }

  @Test
  void unknownScopesWhenMisspelledThenNamesHandlerAndScope() throws Exception {
    assertThat(RequiresScopeCheck.unknownScopes(List.of(handler(Routes.class, "misspelled"))))
        .containsExactly(Routes.class.getName() + "#misspelled: 'email:sned'");
  }

  private static HandlerMethod handler(Class<?> type, String method) throws Exception {
    return new HandlerMethod(type.getDeclaredConstructor().newInstance(), type.getMethod(method));
  }
}
