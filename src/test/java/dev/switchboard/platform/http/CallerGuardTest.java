package dev.switchboard.platform.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.mock.web.MockHttpServletRequest;

class CallerGuardTest {

  static final Caller USER = new Caller("usr_1", Caller.Kind.USER, Set.of());
  static final Caller KEY_WITH_FILES =
      new Caller("key_1", Caller.Kind.API_KEY, Set.of("files:write"));
  static final Caller KEY_WITHOUT = new Caller("key_2", Caller.Kind.API_KEY, Set.of("email:send"));
  static final Caller ADMIN_KEY =
      new Caller("key_3", Caller.Kind.API_KEY, Set.of(Caller.ADMIN_SCOPE));

  @ParameterizedTest(name = "[{0}] → [{1}]")
  @CsvSource(
      nullValues = "NULL",
      value = {
        "Bearer abc, abc",
        "bearer abc, abc",
        "BEARER   abc  , abc",
        "Bearer , NULL",
        "Basic abc, NULL",
        "Bearerabc, NULL",
        "NULL, NULL"
      })
  void bearerTokenWhenHeaderGivenThenSchemeCaseInsensitiveAndTrimmed(
      String header, String expected) {
    assertThat(CallerGuard.bearerToken(header).orElse(null)).isEqualTo(expected);
  }

  static Stream<Arguments> scenarios() {
    Function<MockHttpServletRequest, Caller> user = CallerGuard::user;
    Function<MockHttpServletRequest, Caller> files = r -> CallerGuard.userOrKey(r, "files:write");
    Function<MockHttpServletRequest, Caller> scoped = r -> CallerGuard.withScope(r, "files:write");
    return Stream.of(
        Arguments.of("user route, user", user, USER, null, 0, null),
        Arguments.of("user route, nobody", user, null, null, 401, "unauthenticated"),
        Arguments.of(
            "user route, API key in the attribute only",
            user,
            KEY_WITH_FILES,
            null,
            401,
            "unauthenticated"),
        Arguments.of(
            "user route, bearer that is not a user token",
            user,
            KEY_WITH_FILES,
            "Bearer sk_test_x",
            401,
            "invalid_token"),
        Arguments.of(
            "user route, unknown bearer", user, null, "bearer garbage", 401, "invalid_token"),
        Arguments.of("files route, user", files, USER, null, 0, null),
        Arguments.of("files route, key with scope", files, KEY_WITH_FILES, null, 0, null),
        Arguments.of("files route, admin key", files, ADMIN_KEY, null, 0, null),
        Arguments.of(
            "files route, key without scope", files, KEY_WITHOUT, null, 403, "insufficient_scope"),
        Arguments.of("files route, nobody", files, null, null, 401, "unauthenticated"),
        Arguments.of("scoped route, key with scope", scoped, KEY_WITH_FILES, null, 0, null),
        Arguments.of(
            "scoped route, key without scope",
            scoped,
            KEY_WITHOUT,
            null,
            403,
            "insufficient_scope"),
        Arguments.of("scoped route, nobody", scoped, null, null, 401, "missing_api_key"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void guardWhenCallerGivenThenAdmittedOrOneRefusal(
      String name,
      Function<MockHttpServletRequest, Caller> guard,
      Caller caller,
      String authorization,
      int status,
      String code) {
    MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/x");
    if (caller != null) {
      request.setAttribute(Caller.ATTRIBUTE, caller);
    }
    if (authorization != null) {
      request.addHeader("Authorization", authorization);
    }
    if (status == 0) {
      assertThat(guard.apply(request)).isEqualTo(caller);
      return;
    }
    ApiException e = catchThrowableOfType(ApiException.class, () -> guard.apply(request));
    assertThat(e.status()).isEqualTo(status);
    assertThat(e.code()).isEqualTo(code);
    if (status == 401) {
      assertThat(e.headers()).containsKey("WWW-Authenticate");
    }
  }
}
