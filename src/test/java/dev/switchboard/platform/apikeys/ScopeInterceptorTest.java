package dev.switchboard.platform.apikeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.platform.http.ApiException;
import dev.switchboard.platform.http.Caller;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.method.HandlerMethod;

class ScopeInterceptorTest {

  static class Base {
    public void shared() {}
  }

  @RequiresScope("email:send")
  static class EmailRoutes extends Base {}

  @RequiresScope("files:write")
  static class FileRoutes extends Base {}

  static class OpenRoutes extends Base {}

  private final ScopeInterceptor interceptor = new ScopeInterceptor();

  @Test
  void preHandleWhenSameMethodOnTwoControllersThenEachClassScopeApplies() throws Exception {
    Caller emailKey = new Caller("key_1", Caller.Kind.API_KEY, Set.of("email:send"));
    // The same inherited method, declared on controllers with different scopes, asked alternately:
    // the remembered scope is per controller, not per method.
    for (int i = 0; i < 2; i++) {
      assertThat(interceptor.preHandle(request(emailKey), response(), handler(EmailRoutes.class)))
          .isTrue();
      assertThatThrownBy(
              () -> interceptor.preHandle(request(emailKey), response(), handler(FileRoutes.class)))
          .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(403));
      assertThat(interceptor.preHandle(request(null), response(), handler(OpenRoutes.class)))
          .isTrue();
    }
  }

  @Test
  void preHandleWhenAnonymousOnScopedRouteThen401EveryTime() throws Exception {
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(
              () -> interceptor.preHandle(request(null), response(), handler(EmailRoutes.class)))
          .isInstanceOfSatisfying(
              ApiException.class, e -> assertThat(e.code()).isEqualTo("missing_api_key"));
    }
  }

  private static MockHttpServletRequest request(Caller caller) {
    MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/anything");
    if (caller != null) {
      request.setAttribute(Caller.ATTRIBUTE, caller);
    }
    return request;
  }

  private static MockHttpServletResponse response() {
    return new MockHttpServletResponse();
  }

  private static HandlerMethod handler(Class<?> type) throws Exception {
    return new HandlerMethod(type.getDeclaredConstructor().newInstance(), type.getMethod("shared"));
  }
}
