package dev.switchboard.platform.apikeys;

import dev.switchboard.platform.http.ApiException;
import dev.switchboard.platform.http.CallerGuard;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.reflect.Method;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Enforces {@link RequiresScope} before a handler runs. It throws {@link ApiException}, so the
 * answer has the one error shape via the controller advice.
 */
public class ScopeInterceptor implements HandlerInterceptor {

  /**
   * Each handler's scope, looked up once: merging annotations is reflection, and the set of
   * handlers is fixed.
   */
  private final ConcurrentHashMap<Handler, Optional<String>> scopes = new ConcurrentHashMap<>();

  /** A handler method as declared on its controller (an inherited method may differ per class). */
  private record Handler(Class<?> type, Method method) {}

  @Override
  public boolean preHandle(
      HttpServletRequest request, HttpServletResponse response, Object handler) {
    if (!(handler instanceof HandlerMethod method)) {
      return true;
    }
    Optional<String> scope =
        scopes.computeIfAbsent(
            new Handler(method.getBeanType(), method.getMethod()), h -> requiredScope(method));
    if (scope.isEmpty()) {
      return true;
    }
    CallerGuard.withScope(request, scope.get());
    return true;
  }

  /** The method's scope, else the class's; meta-annotations count too. */
  static Optional<String> requiredScope(HandlerMethod method) {
    RequiresScope onMethod =
        AnnotatedElementUtils.findMergedAnnotation(method.getMethod(), RequiresScope.class);
    if (onMethod != null) {
      return Optional.of(onMethod.value());
    }
    return Optional.ofNullable(
            AnnotatedElementUtils.findMergedAnnotation(method.getBeanType(), RequiresScope.class))
        .map(RequiresScope::value);
  }
}
