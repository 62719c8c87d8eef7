package dev.switchboard.platform.apikeys;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Requires the caller to hold a scope (one of {@link Scopes#ALL}) before the handler runs. On a
 * controller class it covers every handler method; on a method it replaces the class's scope.
 * Without a caller the answer is 401 {@code missing_api_key}; with a caller lacking the scope, 403
 * {@code insufficient_scope}. {@code admin} holders pass every check.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface RequiresScope {

  /** The scope, e.g. {@code "email:send"}. */
  String value();
}
