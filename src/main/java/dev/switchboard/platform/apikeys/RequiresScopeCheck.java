package dev.switchboard.platform.apikeys;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.springframework.context.event.ContextRefreshedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Refuses to start when a route declares a scope that is not in {@link Scopes#ALL}: no key could
 * carry it, so the route would silently be reachable by admin keys only.
 */
class RequiresScopeCheck {

  private final Map<String, RequestMappingHandlerMapping> mappings;

  RequiresScopeCheck(Map<String, RequestMappingHandlerMapping> mappings) {
    this.mappings = mappings;
  }

  @EventListener(ContextRefreshedEvent.class)
  void check() {
    List<String> problems = new ArrayList<>();
    for (RequestMappingHandlerMapping mapping : mappings.values()) {
      problems.addAll(unknownScopes(mapping.getHandlerMethods().values()));
    }
    if (!problems.isEmpty()) {
      throw new IllegalStateException(
          "@RequiresScope names unknown scopes (allowed: "
              + String.join(", ", Scopes.ALL)
              + "):\n  - "
              + String.join("\n  - ", problems));
    }
  }

  /** One line per handler whose required scope is unknown. */
  static List<String> unknownScopes(Collection<HandlerMethod> handlers) {
    List<String> problems = new ArrayList<>();
    for (HandlerMethod handler : handlers) {
      ScopeInterceptor.requiredScope(handler)
          .filter(scope -> !Scopes.ALL.contains(scope))
          .ifPresent(
              scope ->
                  problems.add(
                      handler.getBeanType().getName()
                          + "#"
                          + handler.getMethod().getName()
                          + ": '"
                          + scope
                          + "'"));
    }
    return problems;
  }
}
